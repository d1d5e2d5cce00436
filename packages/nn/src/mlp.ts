import { invalidArgument } from '@argmin/core';
import type { ActivationName } from './activations';
import type { LayerSpec } from './layers';
import { Network, type NetworkSpec } from './network';

export interface MlpOptions {
  /** Layer widths [input, hidden..., output], e.g. [784, 256, 256, 10]. */
  readonly sizes: readonly number[];
  /** Hidden activation (default 'relu'). */
  readonly activation?: ActivationName;
  /** Activation after the last layer (default none: logits / linear outputs). */
  readonly outputActivation?: ActivationName;
  /** LayerNorm after each hidden dense layer, before the activation. */
  readonly layerNorm?: boolean;
  /** Extra residual blocks [dense(h, h), activation] after each hidden layer (h → h). */
  readonly residualBlocks?: number;
  /** Dense layers with bias (default true). */
  readonly bias?: boolean;
}

/** The spec of a multilayer perceptron. */
export function mlpSpec({
  sizes,
  activation = 'relu',
  outputActivation,
  layerNorm = false,
  residualBlocks = 0,
  bias = true,
}: MlpOptions): NetworkSpec {
  if (!Array.isArray(sizes) || sizes.length < 2)
    invalidArgument(
      'nn/mlp',
      'sizes',
      sizes,
      '`sizes` needs at least an input and an output width, e.g. [2, 16, 1]',
    );
  const layers: LayerSpec[] = [];
  for (let i = 0; i < sizes.length - 1; i++) {
    layers.push({ type: 'dense', inputs: sizes[i], outputs: sizes[i + 1], bias });
    const hidden = i < sizes.length - 2;
    if (hidden) {
      if (layerNorm) layers.push({ type: 'layer-norm', size: sizes[i + 1] });
      layers.push({ type: 'activation', size: sizes[i + 1], activation });
      for (let r = 0; r < residualBlocks; r++) {
        layers.push({
          type: 'residual',
          layers: [
            { type: 'dense', inputs: sizes[i + 1], outputs: sizes[i + 1], bias },
            { type: 'activation', size: sizes[i + 1], activation },
          ],
        });
      }
    } else if (outputActivation) {
      layers.push({ type: 'activation', size: sizes[i + 1], activation: outputActivation });
    }
  }
  return { layers };
}

/**
 * A multilayer perceptron: dense layers with `activation` between them.
 *
 * @example
 * const network = mlp({ sizes: [2, 32, 32, 2], activation: 'tanh' });
 * const params = network.initialize(createRng(0), 'xavier-uniform');
 */
export function mlp(options: MlpOptions): Network {
  return new Network(mlpSpec(options));
}

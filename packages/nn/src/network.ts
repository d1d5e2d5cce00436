import {
  assertAllocation,
  assertFinite,
  type DenseMatrix,
  InvalidArgumentError,
  invalidArgument,
  type Rng,
  type Vec,
} from '@argmin/core';
import { type ActivationName, activationNames } from './activations';
import { buildLayers, type Layer, type LayerSpec, type ParameterBlock, Workspace } from './layers';
import type { Loss } from './losses';

/** The JSON form of a network: its layers. */
export interface NetworkSpec {
  readonly layers: readonly LayerSpec[];
}

/** Initialization schemes (weights; biases and LayerNorm β start at 0, γ at 1). */
export type Initializer = 'he-normal' | 'he-uniform' | 'xavier-uniform' | 'xavier-normal' | 'zeros';

/** The initialization schemes `initialize` accepts. */
export const initializers: readonly Initializer[] = [
  'he-normal',
  'he-uniform',
  'xavier-uniform',
  'xavier-normal',
  'zeros',
];

/** Options of a forward/backward pass. */
export interface PassOptions {
  /** Per top-level layer: false skips the layer (identity; only for layers with equal input and output sizes). */
  readonly layerMask?: readonly boolean[];
}

/** A named parameter block with a view into a parameter vector. */
export interface ParameterView extends ParameterBlock {
  readonly layer: number;
  readonly data: Float64Array;
}

/**
 * A feed-forward network over a flat Float64Array of parameters. Batches are row-major [n, d].
 * Workspaces are allocated once per batch size and reused, so repeated passes allocate nothing.
 */
export class Network {
  readonly spec: NetworkSpec;
  readonly layers: readonly Layer[];
  readonly inputSize: number;
  readonly outputSize: number;
  readonly parameterCount: number;
  private readonly workspaces = new Map<number, Workspace>();

  constructor(spec: NetworkSpec) {
    validateSpec(spec);
    this.spec = spec;
    this.layers = buildLayers(spec.layers);
    this.inputSize = this.layers[0].inputSize;
    this.outputSize = this.layers[this.layers.length - 1].outputSize;
    this.parameterCount = this.layers.reduce((s, l) => s + l.parameterCount, 0);
    // Parameter vectors, gradients and HVPs are this long: refuse absurd sizes before anyone allocates.
    assertAllocation('nn/network', `a network with ${this.parameterCount} parameters`, this.parameterCount);
  }

  /** Buffers for batch size n (cached). */
  workspace(n: number): Workspace {
    let ws = this.workspaces.get(n);
    if (!ws) {
      ws = new Workspace([this.inputSize, ...this.layers.map((l) => l.outputSize)], n);
      this.workspaces.set(n, ws);
    }
    return ws;
  }

  /**
   * The parameter layout: named blocks in the order they sit in the flat parameter vector. Layers in
   * spec order; within a dense layer the weight W ([in, out], row-major: W[i][j] at offset + i·out + j)
   * then the bias b ([out]); within a layer norm γ then β ([size] each); a residual block's children in
   * order, recursively; activations own no parameters. Names are unique by path: `layers.0.weight`,
   * `layers.0.bias`, `layers.2.residual.0.weight`, ... `layer` is the top-level layer index.
   */
  blocks(): (ParameterBlock & { layer: number })[] {
    return this.layers.flatMap((layer, index) =>
      layer.blocks(`layers.${index}`).map((b) => ({ ...b, layer: index })),
    );
  }

  /** Views of each parameter block over `params` (they share its buffer). */
  views(params: Vec): ParameterView[] {
    this.checkParameters('views', params);
    return this.blocks().map((b) => ({
      ...b,
      data: params.subarray(b.offset, b.offset + b.shape.reduce((a, c) => a * c, 1)),
    }));
  }

  /** Seeded initial parameters (PyTorch's definitions of the schemes; fan_in/fan_out of each dense weight). */
  initialize(rng: Rng, scheme: Initializer = 'he-normal'): Float64Array {
    if (!initializers.includes(scheme))
      invalidArgument(
        'nn/initialize',
        'scheme',
        scheme,
        `unknown initializer; use one of ${initializers.join(', ')}`,
      );
    if (typeof rng?.fillNormal !== 'function')
      invalidArgument(
        'nn/initialize',
        'rng',
        typeof rng,
        'pass a seeded Rng, e.g. createRng(0) from @argmin/core',
      );
    const params = new Float64Array(this.parameterCount);
    for (const block of this.blocks()) {
      const size = block.shape.reduce((a, c) => a * c, 1);
      const target = params.subarray(block.offset, block.offset + size);
      if (block.kind === 'gamma') target.fill(1);
      if (block.kind !== 'weight' || scheme === 'zeros') continue;
      const [fanIn, fanOut] = block.shape;
      switch (scheme) {
        case 'he-normal':
          rng.fillNormal(target, 0, Math.sqrt(2 / fanIn));
          break;
        case 'he-uniform': {
          const limit = Math.sqrt(6 / fanIn);
          rng.fillUniform(target, -limit, limit);
          break;
        }
        case 'xavier-uniform': {
          const limit = Math.sqrt(6 / (fanIn + fanOut));
          rng.fillUniform(target, -limit, limit);
          break;
        }
        case 'xavier-normal':
          rng.fillNormal(target, 0, Math.sqrt(2 / (fanIn + fanOut)));
          break;
      }
    }
    return params;
  }

  private checkParameters(where: string, params: Vec): void {
    if (!(params instanceof Float64Array) || params.length !== this.parameterCount) {
      throw new InvalidArgumentError({
        argument: 'params',
        value: params?.length,
        message: `nn/${where}: \`params\` must be a Float64Array of length ${this.parameterCount} (the network's parameter count); got ${params instanceof Float64Array ? `length ${params.length}` : typeof params}. Create one with network.initialize(rng).`,
      });
    }
  }

  /** Checks a batch [n, inputSize] and returns its flat data and n. */
  checkInputs(where: string, inputs: DenseMatrix): void {
    if (inputs.cols !== this.inputSize) {
      throw new InvalidArgumentError({
        argument: 'inputs',
        value: inputs.cols,
        message: `nn/${where}: the data has ${inputs.cols} columns but the network's input size is ${this.inputSize}. Pass a [n, ${this.inputSize}] matrix.`,
      });
    }
    if (inputs.data.length !== inputs.rows * inputs.cols)
      invalidArgument(
        `nn/${where}`,
        'inputs',
        inputs.data.length,
        `inputs.data must have rows*cols = ${inputs.rows * inputs.cols} entries`,
      );
    assertFinite(`nn/${where}`, 'inputs', inputs.data);
  }

  private checkMask(mask: readonly boolean[] | undefined): void {
    if (!mask) return;
    if (mask.length !== this.layers.length)
      invalidArgument(
        'nn',
        'layerMask',
        mask.length,
        `layerMask needs one entry per layer (${this.layers.length})`,
      );
    mask.forEach((on, i) => {
      if (!on && this.layers[i].inputSize !== this.layers[i].outputSize) {
        invalidArgument(
          'nn',
          `layerMask[${i}]`,
          false,
          `layer ${i} maps ${this.layers[i].inputSize} to ${this.layers[i].outputSize} features and cannot be skipped`,
        );
      }
    });
  }

  /** Forward pass on a batch; returns the outputs [n, outputSize] (a copy). */
  forward(params: Vec, inputs: DenseMatrix, options: PassOptions = {}): DenseMatrix {
    this.checkParameters('forward', params);
    this.checkInputs('forward', inputs);
    this.checkMask(options.layerMask);
    const n = inputs.rows;
    const out = this.run(params, inputs.data, n, options.layerMask);
    return { rows: n, cols: this.outputSize, data: out.slice(0, n * this.outputSize) };
  }

  /** Forward pass into the workspace; returns the output buffer (valid until the next pass). @internal */
  run(params: Vec, x: Vec, n: number, mask?: readonly boolean[]): Vec {
    const ws = this.workspace(n);
    ws.values[0].set(x.subarray(0, n * this.inputSize));
    this.layers.forEach((layer, k) => {
      if (mask && !mask[k]) ws.values[k + 1].set(ws.values[k]);
      else layer.forward(params, ws.values[k], ws.values[k + 1], n);
    });
    return ws.values[this.layers.length];
  }

  /**
   * Mean loss on a batch and its exact gradient with respect to the parameters (reverse mode),
   * written into `gradient`. Inputs are validated by the callers (see `asOracle`).
   */
  lossAndGradient(
    params: Vec,
    x: Vec,
    targets: Vec,
    n: number,
    loss: Loss,
    gradient: Vec,
    mask?: readonly boolean[],
  ): number {
    const ws = this.workspace(n);
    const L = this.layers.length;
    this.run(params, x, n, mask);
    const value = loss.valueAndGradient(ws.values[L], targets, n, this.outputSize, ws.gradients[L]);
    for (let k = L - 1; k >= 0; k--) {
      if (mask && !mask[k]) {
        ws.gradients[k].set(ws.gradients[k + 1]);
        for (const b of this.layers[k].blocks())
          gradient.fill(0, b.offset, b.offset + b.shape.reduce((a, c) => a * c, 1));
        continue;
      }
      this.layers[k].backward(
        params,
        ws.values[k],
        ws.values[k + 1],
        ws.gradients[k + 1],
        ws.gradients[k],
        gradient,
        n,
      );
    }
    return value;
  }

  /**
   * Exact Hessian-vector product (∇²L) v by Pearlmutter's R-operator: a forward pass carrying the
   * direction v, then a reverse pass carrying the derivative of every adjoint along v. Writes Hv into
   * `out` and the gradient into `gradient`; returns the loss.
   */
  hessianVector(
    params: Vec,
    v: Vec,
    x: Vec,
    targets: Vec,
    n: number,
    loss: Loss,
    gradient: Vec,
    out: Vec,
    mask?: readonly boolean[],
  ): number {
    const ws = this.workspace(n);
    const L = this.layers.length;
    ws.values[0].set(x.subarray(0, n * this.inputSize));
    ws.tangents[0].fill(0);
    this.layers.forEach((layer, k) => {
      if (mask && !mask[k]) {
        ws.values[k + 1].set(ws.values[k]);
        ws.tangents[k + 1].set(ws.tangents[k]);
      } else
        layer.forwardTangent(
          params,
          v,
          ws.values[k],
          ws.tangents[k],
          ws.values[k + 1],
          ws.tangents[k + 1],
          n,
        );
    });
    const value = loss.valueAndGradient(ws.values[L], targets, n, this.outputSize, ws.gradients[L]);
    loss.hessianVector(ws.values[L], targets, n, this.outputSize, ws.tangents[L], ws.gradientTangents[L]);
    for (let k = L - 1; k >= 0; k--) {
      if (mask && !mask[k]) {
        ws.gradients[k].set(ws.gradients[k + 1]);
        ws.gradientTangents[k].set(ws.gradientTangents[k + 1]);
        for (const b of this.layers[k].blocks()) {
          const size = b.shape.reduce((a, c) => a * c, 1);
          gradient.fill(0, b.offset, b.offset + size);
          out.fill(0, b.offset, b.offset + size);
        }
        continue;
      }
      this.layers[k].backwardTangent(
        params,
        v,
        ws.values[k],
        ws.tangents[k],
        ws.values[k + 1],
        ws.tangents[k + 1],
        ws.gradients[k + 1],
        ws.gradientTangents[k + 1],
        ws.gradients[k],
        ws.gradientTangents[k],
        gradient,
        out,
        n,
      );
    }
    return value;
  }

  /** The JSON form ({ layers }); `new Network(spec)` rebuilds it. */
  toJSON(): NetworkSpec {
    return this.spec;
  }
}

function validateSpec(spec: NetworkSpec, path = 'layers'): void {
  if (!spec || !Array.isArray(spec.layers) || spec.layers.length === 0) {
    invalidArgument('nn/network', path, spec?.layers, `\`${path}\` must be a non-empty list of layers`);
  }
  let size: number | undefined;
  spec.layers.forEach((layer, i) => {
    const where = `${path}[${i}]`;
    const positive = (value: unknown, name: string) => {
      if (!Number.isInteger(value) || (value as number) < 1)
        invalidArgument(
          'nn/network',
          `${where}.${name}`,
          value,
          `\`${where}.${name}\` must be a positive integer`,
        );
    };
    let inputs: number;
    let outputs: number;
    switch (layer.type) {
      case 'dense':
        positive(layer.inputs, 'inputs');
        positive(layer.outputs, 'outputs');
        inputs = layer.inputs;
        outputs = layer.outputs;
        break;
      case 'activation':
        positive(layer.size, 'size');
        if (!activationNames.includes(layer.activation as ActivationName)) {
          invalidArgument(
            'nn/network',
            `${where}.activation`,
            layer.activation,
            `unknown activation; use one of ${activationNames.join(', ')}`,
          );
        }
        inputs = outputs = layer.size;
        break;
      case 'layer-norm':
        positive(layer.size, 'size');
        inputs = outputs = layer.size;
        break;
      case 'residual': {
        validateSpec({ layers: layer.layers }, `${where}.layers`);
        const inner = buildLayers(layer.layers);
        inputs = inner[0].inputSize;
        outputs = inner[inner.length - 1].outputSize;
        if (inputs !== outputs)
          invalidArgument(
            'nn/network',
            where,
            [inputs, outputs],
            `a residual block must map its input size to itself; it maps ${inputs} to ${outputs}`,
          );
        break;
      }
      default:
        invalidArgument(
          'nn/network',
          `${where}.type`,
          (layer as { type: unknown }).type,
          'unknown layer type; use dense, activation, layer-norm or residual',
        );
    }
    if (size !== undefined && inputs !== size) {
      invalidArgument(
        'nn/network',
        where,
        inputs,
        `layer ${i} expects ${inputs} inputs but the previous layer outputs ${size}`,
      );
    }
    size = outputs;
  });
}

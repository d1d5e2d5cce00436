import {
  assertInteger,
  type Batch,
  type DenseMatrix,
  drawWithReplacement,
  InvalidArgumentError,
  invalidArgument,
  type Oracle,
  type Rng,
  type Vec,
} from '@argmin/core';
import { type Loss, type LossName, loss as lossByName } from './losses';
import type { Network, PassOptions } from './network';

/** Training data: inputs [n, d] and targets in the loss's layout (see `Loss`). */
export interface Dataset {
  readonly inputs: DenseMatrix;
  readonly targets: Float64Array;
}

export interface NetworkOracleOptions extends PassOptions {
  /** Minibatch size of `sampleGrad` (default 32, at most n); rows drawn uniformly with replacement from the seeded Rng. */
  readonly batchSize?: number;
  /** l2 penalty (l2/2)‖θ‖² added to the mean loss (default 0). */
  readonly l2?: number;
  /** A 0/1 (or real) mask on the parameters: the network uses θ ⊙ mask, gradients are masked (pruning). */
  readonly weightMask?: Float64Array;
}

/** The network loss as an Oracle over the flat parameter vector, with per-example gradients. */
export interface NetworkOracle
  extends Oracle<
    | 'value'
    | 'grad'
    | 'hvp'
    | 'sampleGrad'
    | 'componentGrad'
    | 'drawBatch'
    | 'batchValue'
    | 'batchGrad'
    | 'batchHvp'
  > {
  readonly network: Network;
  readonly loss: Loss;
  readonly examples: number;
  /** Gradients of each example's loss (rows of a [indices.length, P] matrix; all examples by default). */
  perExampleGradients(params: Vec, indices?: ArrayLike<number>): DenseMatrix;
  /** Classification accuracy of argmax(outputs) (or sign for one output) against the targets. */
  accuracy(params: Vec, data?: Dataset): number;
}

/**
 * f(θ) = mean_i ℓ(network(θ, x_i), t_i) + (l2/2)‖θ‖² as an Oracle: exact `grad` by reverse mode,
 * exact `hvp` by the R-operator, `componentGrad(i)` for one example, and explicit minibatches:
 * `drawBatch(rng, size = batchSize)` draws example indices uniformly with replacement, and
 * `batchValue` / `batchGrad` / `batchHvp` evaluate the batch loss (the mean of ℓ_i over the examples i of the batch, plus (l2/2)‖θ‖²) on a given batch
 * (so a method can take the gradient and a Hessian-vector product on the same examples).
 * `sampleGrad(θ, rng, out)` is `batchGrad(drawBatch(rng), θ, out)` with the same Rng use.
 * Data are validated once here (width, NaN, target range); every call checks the parameter length.
 */
export function asOracle(
  network: Network,
  lossName: LossName | Loss,
  data: Dataset,
  options: NetworkOracleOptions = {},
): NetworkOracle {
  const loss = typeof lossName === 'string' ? lossByName(lossName) : lossName;
  if (!loss)
    invalidArgument(
      'nn/asOracle',
      'loss',
      lossName,
      'unknown loss; use mse, binary-cross-entropy, cross-entropy or hinge',
    );
  network.checkInputs('asOracle', data.inputs);
  const n = data.inputs.rows;
  const d = network.inputSize;
  const k = network.outputSize;
  const perExample = loss.targetLength(1, k);
  if (data.targets.length !== loss.targetLength(n, k)) {
    throw new InvalidArgumentError({
      argument: 'targets',
      value: data.targets.length,
      message: `nn/asOracle: ${loss.name} needs ${loss.targetLength(n, k)} targets for ${n} examples and ${k} outputs; got ${data.targets.length}.`,
    });
  }
  const problem = loss.checkTargets(data.targets, n, k);
  if (problem)
    throw new InvalidArgumentError({
      argument: 'targets',
      value: undefined,
      message: `nn/asOracle: ${problem} (loss ${loss.name}).`,
    });
  const batchSize = options.batchSize ?? Math.min(32, n);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > n)
    invalidArgument('nn/asOracle', 'batchSize', batchSize, `\`batchSize\` must be an integer in [1, ${n}]`);
  const l2 = options.l2 ?? 0;
  if (!(l2 >= 0)) invalidArgument('nn/asOracle', 'l2', l2, '`l2` must be >= 0');
  const mask = options.weightMask;
  if (mask && mask.length !== network.parameterCount)
    invalidArgument(
      'nn/asOracle',
      'weightMask',
      mask.length,
      `\`weightMask\` must have one entry per parameter (${network.parameterCount})`,
    );
  const layerMask = options.layerMask;

  const P = network.parameterCount;
  const effective = new Float64Array(P);
  const effectiveDirection = new Float64Array(P);
  const scratch = new Float64Array(P);
  const oneInput = new Float64Array(d);
  const oneTarget = new Float64Array(perExample);

  const masked = (params: Vec, out: Vec): Vec => {
    if (!mask) return params;
    for (let i = 0; i < P; i++) out[i] = params[i] * mask[i];
    return out;
  };
  const finish = (params: Vec, gradient: Vec, value: number): number => {
    if (mask) for (let i = 0; i < P; i++) gradient[i] *= mask[i];
    if (l2 === 0) return value;
    let squares = 0;
    for (let i = 0; i < P; i++) {
      squares += params[i] * params[i];
      gradient[i] += l2 * params[i];
    }
    return value + 0.5 * l2 * squares;
  };
  const valueAndGrad = (params: Vec, out: Vec): number => {
    const value = network.lossAndGradient(
      masked(params, effective),
      data.inputs.data,
      data.targets,
      n,
      loss,
      out,
      layerMask,
    );
    return finish(params, out, value);
  };
  /** Gathered rows of a batch, cached per batch size (allocated once per size). */
  const gathered = new Map<number, { inputs: Float64Array; targets: Float64Array }>();
  const gather = (indices: Int32Array) => {
    const count = indices.length;
    let buffers = gathered.get(count);
    if (!buffers) {
      buffers = { inputs: new Float64Array(count * d), targets: new Float64Array(count * perExample) };
      gathered.set(count, buffers);
    }
    for (let b = 0; b < count; b++) {
      const i = indices[b];
      buffers.inputs.set(data.inputs.data.subarray(i * d, (i + 1) * d), b * d);
      buffers.targets.set(data.targets.subarray(i * perExample, (i + 1) * perExample), b * perExample);
    }
    return buffers;
  };
  const checkParams = (name: string, params: Vec) => {
    if (params?.length !== P)
      invalidArgument(
        'nn/asOracle',
        name,
        params?.length,
        `\`${name}\` must have one entry per network parameter (${P})`,
      );
  };
  const checkBatch = (batch: Batch): Int32Array => {
    const indices = batch?.indices;
    if (!(indices instanceof Int32Array) || indices.length === 0)
      invalidArgument(
        'nn/asOracle',
        'batch',
        indices?.length,
        'a batch needs a non-empty Int32Array of example indices (use drawBatch or batchOf)',
      );
    for (let b = 0; b < indices.length; b++)
      if (!(indices[b] >= 0 && indices[b] < n))
        invalidArgument(
          'nn/asOracle',
          'batch.indices',
          indices[b],
          `example indices must be in [0, ${n - 1}]`,
        );
    return indices;
  };
  const batchValueAndGrad = (indices: Int32Array, params: Vec, out: Vec): number => {
    const rows = gather(indices);
    const value = network.lossAndGradient(
      masked(params, effective),
      rows.inputs,
      rows.targets,
      indices.length,
      loss,
      out,
      layerMask,
    );
    return finish(params, out, value);
  };
  const hessianVector = (
    inputs: Float64Array,
    targets: Float64Array,
    count: number,
    params: Vec,
    v: Vec,
    out: Vec,
  ): Vec => {
    const direction = mask ? masked(v, effectiveDirection) : v;
    network.hessianVector(
      masked(params, effective),
      direction,
      inputs,
      targets,
      count,
      loss,
      scratch,
      out,
      layerMask,
    );
    if (mask) for (let i = 0; i < P; i++) out[i] *= mask[i];
    if (l2 !== 0) for (let i = 0; i < P; i++) out[i] += l2 * v[i];
    return out;
  };

  return {
    dimension: P,
    components: n,
    batchSize,
    network,
    loss,
    examples: n,
    value(params) {
      checkParams('params', params);
      return valueAndGrad(params, scratch);
    },
    grad(params, out) {
      checkParams('params', params);
      valueAndGrad(params, out);
      return out;
    },
    valueAndGrad(params, out) {
      checkParams('params', params);
      return valueAndGrad(params, out);
    },
    hvp(params, v, out) {
      checkParams('params', params);
      checkParams('v', v);
      return hessianVector(data.inputs.data, data.targets, n, params, v, out);
    },
    drawBatch: (rng: Rng, size = batchSize) => drawWithReplacement(rng, n, size),
    batchValue(batch, params) {
      checkParams('params', params);
      return batchValueAndGrad(checkBatch(batch), params, scratch);
    },
    batchGrad(batch, params, out) {
      checkParams('params', params);
      batchValueAndGrad(checkBatch(batch), params, out);
      return out;
    },
    batchHvp(batch, params, v, out) {
      checkParams('params', params);
      checkParams('v', v);
      const indices = checkBatch(batch);
      const rows = gather(indices);
      return hessianVector(rows.inputs, rows.targets, indices.length, params, v, out);
    },
    sampleGrad(params: Vec, rng: Rng, out: Vec) {
      checkParams('params', params);
      batchValueAndGrad(drawWithReplacement(rng, n, batchSize).indices, params, out);
      return out;
    },
    componentValue(index, params) {
      checkParams('params', params);
      assertInteger('nn/asOracle', 'index', index, 0, n - 1);
      oneInput.set(data.inputs.data.subarray(index * d, (index + 1) * d));
      oneTarget.set(data.targets.subarray(index * perExample, (index + 1) * perExample));
      const value = network.lossAndGradient(
        masked(params, effective),
        oneInput,
        oneTarget,
        1,
        loss,
        scratch,
        layerMask,
      );
      return finish(params, scratch, value);
    },
    componentGrad(index, params, out) {
      checkParams('params', params);
      assertInteger('nn/asOracle', 'index', index, 0, n - 1);
      oneInput.set(data.inputs.data.subarray(index * d, (index + 1) * d));
      oneTarget.set(data.targets.subarray(index * perExample, (index + 1) * perExample));
      const value = network.lossAndGradient(
        masked(params, effective),
        oneInput,
        oneTarget,
        1,
        loss,
        out,
        layerMask,
      );
      finish(params, out, value);
      return out;
    },
    perExampleGradients(params, indices) {
      const rows = indices ?? Int32Array.from({ length: n }, (_, i) => i);
      const result = new Float64Array(rows.length * P);
      for (let r = 0; r < rows.length; r++)
        this.componentGrad(rows[r], params, result.subarray(r * P, (r + 1) * P));
      return { rows: rows.length, cols: P, data: result };
    },
    accuracy(params, evaluation = data) {
      const outputs = network.forward(masked(params, effective), evaluation.inputs, { layerMask });
      let correct = 0;
      for (let i = 0; i < outputs.rows; i++) {
        if (k === 1 || loss.name !== 'cross-entropy') {
          const y = outputs.data[i * k];
          const t = evaluation.targets[i * perExample];
          const predicted = loss.name === 'hinge' ? (y >= 0 ? 1 : -1) : y >= 0 ? 1 : 0;
          if (predicted === (loss.name === 'mse' ? Math.round(t) : t)) correct++;
        } else {
          let best = 0;
          for (let j = 1; j < k; j++) if (outputs.data[i * k + j] > outputs.data[i * k + best]) best = j;
          if (best === evaluation.targets[i]) correct++;
        }
      }
      return correct / outputs.rows;
    },
  };
}

import type { Rng } from '../rng/rng';
import type { Vec } from './vec';

/** The questions a problem can answer. A method declares the ones it needs in `meta.needs`. */
export type Capability =
  | 'value'
  | 'grad'
  | 'hvp'
  | 'sampleGrad'
  | 'componentGrad'
  | 'drawBatch'
  | 'batchValue'
  | 'batchGrad'
  | 'batchHvp';

export const capabilities: readonly Capability[] = [
  'value',
  'grad',
  'hvp',
  'sampleGrad',
  'componentGrad',
  'drawBatch',
  'batchValue',
  'batchGrad',
  'batchHvp',
];

/**
 * A minibatch of a finite sum f = (1/m) Σ_i f_i: the component indices drawn (with repetition when
 * drawn with replacement, in draw order). `payload` carries what is not an index set (for example
 * sampled trajectories of a policy-gradient problem). A batch is a value: evaluating it twice gives
 * the same numbers, so a method can ask for the gradient and the Hessian-vector product on the same
 * minibatch.
 */
export interface Batch {
  readonly indices: Int32Array;
  readonly payload?: unknown;
}

/** Method signatures per capability. All write into `out` and return it; none mutates `x`. */
export interface CapabilityMethods {
  /** f(x). */
  value(x: Vec): number;
  /** ∇f(x) into out. */
  grad(x: Vec, out: Vec): Vec;
  /** ∇²f(x) v into out (Hessian-vector product). */
  hvp(x: Vec, v: Vec, out: Vec): Vec;
  /** An unbiased stochastic gradient at x drawn with `rng` (e.g. a minibatch gradient) into out. */
  sampleGrad(x: Vec, rng: Rng, out: Vec): Vec;
  /** ∇f_i(x) for the finite sum f = (1/m) Σ_i f_i, i in [0, components). */
  componentGrad(index: number, x: Vec, out: Vec): Vec;
  /**
   * Draws a minibatch with `rng` (of `size` components, default `batchSize`). `sampleGrad(x, rng, out)`
   * is `batchGrad(drawBatch(rng), x, out)`: both consume the Rng identically.
   */
  drawBatch(rng: Rng, size?: number): Batch;
  /** f_B(x) = (1/|B|) Σ_{i∈B} f_i(x) (regularizers included as in `value`). */
  batchValue(batch: Batch, x: Vec): number;
  /** ∇f_B(x) into out. */
  batchGrad(batch: Batch, x: Vec, out: Vec): Vec;
  /** ∇²f_B(x) v into out, on the same batch as `batchGrad`. */
  batchHvp(batch: Batch, x: Vec, v: Vec, out: Vec): Vec;
}

/** Optional extras any oracle may provide. */
export interface OracleExtras {
  /** Number of components m of a finite sum f = (1/m) Σ f_i (required with `componentGrad`). */
  readonly components?: number;
  /** f(x) and ∇f(x) together (cheaper than two calls for most problems); writes the gradient into out. */
  valueAndGrad?(x: Vec, out: Vec): number;
  /** f_i(x) for a finite-sum component. */
  componentValue?(index: number, x: Vec): number;
  /** Minibatch size used by `sampleGrad`, if it has one. */
  readonly batchSize?: number;
}

/**
 * A problem typed by what it can answer: `Oracle<'value' | 'grad'>` has `value` and `grad`.
 * `dimension` is the length of x.
 *
 * @example
 * const quadratic: Oracle<'value' | 'grad'> = {
 *   dimension: 2,
 *   value: (x) => 0.5 * (x[0] ** 2 + 10 * x[1] ** 2),
 *   grad: (x, out) => { out[0] = x[0]; out[1] = 10 * x[1]; return out; },
 * };
 */
export type Oracle<C extends Capability = never> = { readonly dimension: number } & Pick<
  CapabilityMethods,
  C
> &
  Partial<Omit<CapabilityMethods, C>> &
  OracleExtras;

/** Number of calls per capability, as counted by `counted(oracle)`. */
export interface OracleCounts {
  value: number;
  grad: number;
  hvp: number;
  sampleGrad: number;
  componentGrad: number;
  /** valueAndGrad calls (each also counted once in value and grad). */
  valueAndGrad: number;
  /** drawBatch calls (not oracle work; not in totalCalls). */
  drawBatch: number;
  batchValue: number;
  batchGrad: number;
  batchHvp: number;
}

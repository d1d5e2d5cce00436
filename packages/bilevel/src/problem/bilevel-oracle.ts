import { type Batch, InvalidArgumentError, type Rng, type Vec } from '@argmin/core';

/**
 * A bilevel problem min_x Φ(x) = f(x, y*(x)), y*(x) ∈ argmin_y g(x, y) (notes §0: upper f, lower g).
 *
 * Every derivative writes into `out` and returns it; none mutates its inputs. The optional trailing
 * `batch` evaluates the stochastic version on that minibatch (the same batch gives the same numbers,
 * so a method can take a gradient and a Hessian-vector product on one sample, as BSVRB's MSVR
 * estimator and the stochastic Neumann series need); without it the exact (full) quantity.
 *
 * Symbols: `lowerHvpYY(x, y, v)` = ∇²_yy g · v (v ∈ R^dimY); `lowerCrossXY(x, y, v)` = ∇²_xy g · v,
 * the x-gradient of ⟨∇_y g(x, y), v⟩ (v ∈ R^dimY, out ∈ R^dimX). The implicit function theorem then
 * gives, for strongly convex g, ∇Φ(x) = ∇_x f − ∇²_xy g · [∇²_yy g]⁻¹ ∇_y f.
 */
export interface BilevelOracle {
  readonly dimX: number;
  readonly dimY: number;
  upperValue(x: Vec, y: Vec, batch?: Batch): number;
  upperGradX(x: Vec, y: Vec, out: Vec, batch?: Batch): Vec;
  upperGradY(x: Vec, y: Vec, out: Vec, batch?: Batch): Vec;
  lowerValue(x: Vec, y: Vec, batch?: Batch): number;
  lowerGradX(x: Vec, y: Vec, out: Vec, batch?: Batch): Vec;
  lowerGradY(x: Vec, y: Vec, out: Vec, batch?: Batch): Vec;
  lowerHvpYY(x: Vec, y: Vec, v: Vec, out: Vec, batch?: Batch): Vec;
  lowerCrossXY(x: Vec, y: Vec, v: Vec, out: Vec, batch?: Batch): Vec;
  /** Draws a minibatch for the upper level (stochastic problems only). */
  drawUpperBatch?(rng: Rng): Batch;
  /** Draws a minibatch for the lower level (stochastic problems only). */
  drawLowerBatch?(rng: Rng): Batch;
  /** Projects x onto the upper feasible set X, in place (default: X = R^dimX). */
  projectX?(x: Vec): void;
  /** Projects y onto the lower feasible set Y, in place (default: Y = R^dimY). */
  projectY?(y: Vec): void;
  /** The exact lower-level solution y*(x) when known in closed form (tests, experiments). */
  lowerSolution?(x: Vec, out: Vec): Vec;
  /** Φ(x) = f(x, y*(x)) when known in closed form. */
  hyperValue?(x: Vec): number;
  /** ∇Φ(x) when known in closed form. */
  hyperGradient?(x: Vec, out: Vec): Vec;
}

/**
 * A bilevel problem whose lower level has constraints coupling x and y (LV-HBA's setting):
 * min_{x∈X, y∈Y} F(x, y) s.t. y ∈ argmin_{θ∈Y} { f(x, θ) : G(x, θ) ≤ 0 }, G: R^dimX × R^dimY → R^constraints.
 * Upper F and lower f are the `upper*`/`lower*` members; G is `constraint*`.
 */
export interface ConstrainedBilevelOracle extends BilevelOracle {
  readonly constraints: number;
  /** G(x, y) into out (length `constraints`). */
  constraintValue(x: Vec, y: Vec, out: Vec): Vec;
  /** ∇_y G(x, y)ᵀ λ into out (length dimY). */
  constraintVjpY(x: Vec, y: Vec, lambda: Vec, out: Vec): Vec;
  /** ∇_x G(x, y)ᵀ λ into out (length dimX). */
  constraintVjpX(x: Vec, y: Vec, lambda: Vec, out: Vec): Vec;
  /** Projects (x, y) jointly onto the feasible set C of the pair, in place (default: projectX, projectY). */
  projectXY?(x: Vec, y: Vec): void;
}

/**
 * m lower-level problems sharing the upper variable (multi-block bilevel, BSVRB's setting):
 * min_x F(x) = (1/m) Σ_i f_i(x, y_i*(x)), y_i*(x) = argmin_y g_i(x, y). Each block has dimY unknowns.
 * `batch` evaluates block i on a minibatch: lower-level quantities on batches from `drawLowerBatch`,
 * upper-level ones on batches from `drawUpperBatch` (e.g. training vs validation rows).
 */
export interface MultiBlockBilevelOracle {
  readonly dimX: number;
  readonly dimY: number;
  readonly blocks: number;
  upperValue(block: number, x: Vec, y: Vec, batch?: Batch): number;
  upperGradX(block: number, x: Vec, y: Vec, out: Vec, batch?: Batch): Vec;
  upperGradY(block: number, x: Vec, y: Vec, out: Vec, batch?: Batch): Vec;
  lowerGradY(block: number, x: Vec, y: Vec, out: Vec, batch?: Batch): Vec;
  lowerHvpYY(block: number, x: Vec, y: Vec, v: Vec, out: Vec, batch?: Batch): Vec;
  lowerCrossXY(block: number, x: Vec, y: Vec, v: Vec, out: Vec, batch?: Batch): Vec;
  drawLowerBatch(block: number, rng: Rng, size: number): Batch;
  drawUpperBatch(block: number, rng: Rng, size: number): Batch;
}

/** Named error for a problem whose shape does not fit. */
export function assertBilevelOracle(where: string, problem: unknown): asserts problem is BilevelOracle {
  const p = problem as Partial<BilevelOracle> | undefined;
  const required = [
    'upperValue',
    'upperGradX',
    'upperGradY',
    'lowerValue',
    'lowerGradX',
    'lowerGradY',
    'lowerHvpYY',
    'lowerCrossXY',
  ] as const;
  if (typeof p !== 'object' || p === null) {
    throw new InvalidArgumentError({
      argument: 'problem',
      value: problem,
      message: `${where}: the problem must be a BilevelOracle object (upper f and lower g with their derivatives); got ${String(problem)}.`,
    });
  }
  const missing = required.filter((name) => typeof p[name] !== 'function');
  if (missing.length > 0) {
    throw new InvalidArgumentError({
      argument: 'problem',
      value: missing,
      message: `${where}: the problem lacks ${missing.join(', ')}; a BilevelOracle provides upper/lower values, gradients in x and y, ∇²_yy g·v and ∇²_xy g·v.`,
    });
  }
  for (const key of ['dimX', 'dimY'] as const) {
    const d = p[key];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1) {
      throw new InvalidArgumentError({
        argument: `problem.${key}`,
        value: d,
        message: `${where}: \`problem.${key}\` must be a positive integer; got ${String(d)}.`,
      });
    }
  }
}

/** Named error when a vector argument has the wrong length or is not finite. */
export function assertVector(where: string, name: string, v: unknown, length: number): asserts v is Vec {
  if (!(v instanceof Float64Array)) {
    throw new InvalidArgumentError({
      argument: name,
      value: v,
      message: `${where}: \`${name}\` must be a Float64Array of length ${length}; got ${Array.isArray(v) ? 'an array (use Float64Array.from)' : typeof v}.`,
    });
  }
  if (v.length !== length) {
    throw new InvalidArgumentError({
      argument: name,
      value: v.length,
      message: `${where}: \`${name}\` has length ${v.length}; the problem needs ${length}.`,
    });
  }
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) {
      throw new InvalidArgumentError({
        argument: name,
        value: v[i],
        message: `${where}: \`${name}[${i}]\` is ${v[i]}; every entry must be finite.`,
      });
    }
  }
}

import type { Rng } from '../rng/rng';
import type { Batch } from './oracle';
import type { Vec } from './vec';

/**
 * Derivative products beyond a scalar objective: vector-valued maps (constraints c(x), fixed-point
 * maps T(x), residuals r(x)) with Jacobian-vector and vector-Jacobian products, and two-block
 * functions g(x, y) (bilevel upper and lower levels, saddle and min-max objectives) with gradients
 * and Hessian-vector products in each block and the cross second derivatives. As with `Oracle`,
 * everything writes into a caller-provided `out`, returns it, and never mutates its inputs; the
 * capabilities a map or function provides are part of its type.
 */

/** Derivative products a vector-valued map can provide. */
export type MapCapability = 'jvp' | 'vjp';

export interface VectorMapMethods {
  /** Jacobian-vector product J_F(x) v (v of length inputDimension) into out (length outputDimension). */
  jvp(x: Vec, v: Vec, out: Vec): Vec;
  /** Vector-Jacobian product J_F(x)ᵀ w (w of length outputDimension) into out (length inputDimension). */
  vjp(x: Vec, w: Vec, out: Vec): Vec;
}

/**
 * A vector-valued map F: R^n → R^m, n = `inputDimension`, m = `outputDimension`, typed by the
 * derivative products it provides: `VectorMap<'jvp' | 'vjp'>` has both. `evaluate(x, out)` writes
 * F(x). J_F(x) is the m x n Jacobian, (J_F)_ij = ∂F_i/∂x_j; `jacobianOperator(F, x)` wraps the pair
 * as an `Operator` (apply = jvp, applyTranspose = vjp) for LSQR, Gauss-Newton and implicit
 * differentiation through a fixed point x = T(x).
 *
 * @example
 * // F(x) = (x0 x1, sin x1): J = [[x1, x0], [0, cos x1]]
 * const F: VectorMap<'jvp' | 'vjp'> = {
 *   inputDimension: 2,
 *   outputDimension: 2,
 *   evaluate: (x, out) => ((out[0] = x[0] * x[1]), (out[1] = Math.sin(x[1])), out),
 *   jvp: (x, v, out) => ((out[0] = x[1] * v[0] + x[0] * v[1]), (out[1] = Math.cos(x[1]) * v[1]), out),
 *   vjp: (x, w, out) => ((out[0] = x[1] * w[0]), (out[1] = x[0] * w[0] + Math.cos(x[1]) * w[1]), out),
 * };
 */
export type VectorMap<C extends MapCapability = never> = {
  readonly inputDimension: number;
  readonly outputDimension: number;
  /** F(x) into out (length outputDimension). */
  evaluate(x: Vec, out: Vec): Vec;
} & Pick<VectorMapMethods, C> &
  Partial<Omit<VectorMapMethods, C>>;

/** The questions a two-block function g(x, y) can answer. */
export type BlockCapability = 'value' | 'gradX' | 'gradY' | 'hvpXX' | 'hvpYY' | 'crossHvpXY' | 'crossHvpYX';

/**
 * Method signatures per block capability, for g: R^nx × R^ny → R, nx = `dimensionX`,
 * ny = `dimensionY`. Second-derivative blocks (symbols of the bilevel literature):
 * ∇²_xx g (nx x nx), ∇²_yy g (ny x ny), ∇²_xy g (nx x ny, entries ∂²g/∂x_i∂y_j) and
 * ∇²_yx g = (∇²_xy g)ᵀ (ny x nx).
 */
export interface BlockMethods {
  /** g(x, y). */
  value(x: Vec, y: Vec): number;
  /** ∇_x g(x, y) into out (length nx). */
  gradX(x: Vec, y: Vec, out: Vec): Vec;
  /** ∇_y g(x, y) into out (length ny). */
  gradY(x: Vec, y: Vec, out: Vec): Vec;
  /** ∇²_xx g(x, y) u for u of length nx, into out (length nx). */
  hvpXX(x: Vec, y: Vec, u: Vec, out: Vec): Vec;
  /** ∇²_yy g(x, y) v for v of length ny, into out (length ny). */
  hvpYY(x: Vec, y: Vec, v: Vec, out: Vec): Vec;
  /**
   * Cross product ∇²_xy g(x, y) v = ∇_x ⟨∇_y g(x, y), v⟩ for v of length ny, into out (length nx).
   * This is the product of the implicit hypergradient ∇Φ = ∇_x f − ∇²_xy g [∇²_yy g]⁻¹ ∇_y f.
   */
  crossHvpXY(x: Vec, y: Vec, v: Vec, out: Vec): Vec;
  /**
   * Cross product ∇²_yx g(x, y) u = ∇_y ⟨∇_x g(x, y), u⟩ for u of length nx, into out (length ny):
   * the transpose of `crossHvpXY` (forward-mode hypergradients, penalty methods, JVPs of y*(x)).
   */
  crossHvpYX(x: Vec, y: Vec, u: Vec, out: Vec): Vec;
}

/** Optional extras of a two-block function. */
export interface BlockExtras {
  /**
   * Draws a minibatch (as `Oracle.drawBatch`) for functions that are finite sums over data; with
   * `atBatch` a stochastic bilevel method can ask every product on the same batch.
   */
  drawBatch?(rng: Rng, size?: number): Batch;
  /**
   * The same function restricted to a minibatch, g_B(x, y) = (1/|B|) Σ over i in B of g_i(x, y), with the
   * same capabilities. The view is a value: evaluating it twice gives the same bits.
   */
  atBatch?(batch: Batch): TwoBlockFunction<BlockCapability>;
}

/**
 * A scalar function of two blocks g(x, y), typed by what it can answer: `TwoBlockFunction<'value' |
 * 'gradY' | 'hvpYY' | 'crossHvpXY'>` is what an implicit hypergradient needs of a lower level.
 * `fixX(g, x)` and `fixY(g, y)` turn it into an `Oracle` in the other block (so any core method
 * solves the lower level and `checkGradient`/`checkHvp` check each block); `checkCrossHvp` checks
 * the cross products against finite differences of the block gradients.
 */
export type TwoBlockFunction<C extends BlockCapability = never> = {
  readonly dimensionX: number;
  readonly dimensionY: number;
} & Pick<BlockMethods, C> &
  Partial<Omit<BlockMethods, C>> &
  BlockExtras;

/**
 * A bilevel problem min_x Φ(x) = f(x, y*(x)), y*(x) ∈ argmin_y g(x, y): the upper level f and the
 * lower level g over the same blocks (dimensionX, dimensionY). The capability parameters say what
 * each level provides; the default is what the implicit hypergradient needs when g is strongly
 * convex in y.
 */
export interface BilevelProblem<
  U extends BlockCapability = 'value' | 'gradX' | 'gradY',
  L extends BlockCapability = 'value' | 'gradY' | 'hvpYY' | 'crossHvpXY',
> {
  readonly dimensionX: number;
  readonly dimensionY: number;
  readonly upper: TwoBlockFunction<U>;
  readonly lower: TwoBlockFunction<L>;
}

import type { Vec } from '../spec/vec';
import { assertLength, invalidArgument } from '../validate/validate';

/** Result of a finite-difference check: the worst relative error and where. */
export interface DerivativeCheck {
  readonly ok: boolean;
  /** max_i |analytic_i − numeric_i| / max(|analytic_i|, |numeric_i|, floor). */
  readonly maxRelativeError: number;
  readonly worstIndex: number;
  readonly analytic: Vec;
  readonly numeric: Vec;
}

export interface CheckOptions {
  /**
   * Difference step h (scaled by max(1, |x_i|)); default 1e-6 for 'central' gradients, 1e-5 for
   * 'central' HVPs, 1e-3 for 'five-point'.
   */
  readonly step?: number;
  /**
   * 'central' (f(x+h) − f(x−h))/2h, error O(h²); or 'five-point'
   * (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h))/12h, error O(h⁴), for checks to 1e-8 and below.
   */
  readonly stencil?: 'central' | 'five-point';
  /** Relative tolerance for `ok` (default 1e-6). */
  readonly tolerance?: number;
  /** Absolute floor in the relative error's denominator (default 1e-8). */
  readonly floor?: number;
}

function compare(analytic: Vec, numeric: Vec, tolerance: number, floor: number): DerivativeCheck {
  let worst = 0;
  let worstIndex = -1;
  for (let i = 0; i < analytic.length; i++) {
    const denominator = Math.max(Math.abs(analytic[i]), Math.abs(numeric[i]), floor);
    const error = Math.abs(analytic[i] - numeric[i]) / denominator;
    if (!(error <= worst)) {
      worst = error;
      worstIndex = i;
    }
  }
  return { ok: worst <= tolerance, maxRelativeError: worst, worstIndex, analytic, numeric };
}

/**
 * Compares `grad(x)` with central differences of `value` (every coordinate; O(n) value calls).
 *
 * @example
 * checkGradient(rosenbrock(3), Float64Array.of(0.5, -0.2, 1.1)).ok; // true
 */
export function checkGradient(
  oracle: { value(x: Vec): number; grad(x: Vec, out: Vec): Vec },
  x: Vec,
  {
    stencil = 'central',
    step = stencil === 'central' ? 1e-6 : 1e-3,
    tolerance = 1e-6,
    floor = 1e-8,
  }: CheckOptions = {},
): DerivativeCheck {
  const n = x.length;
  const analytic = oracle.grad(x, new Float64Array(n)).slice();
  const numeric = new Float64Array(n);
  const probe = x.slice();
  const at = (i: number, offset: number): number => {
    probe[i] = x[i] + offset;
    const value = oracle.value(probe);
    probe[i] = x[i];
    return value;
  };
  for (let i = 0; i < n; i++) {
    const h = step * Math.max(1, Math.abs(x[i]));
    numeric[i] =
      stencil === 'central'
        ? (at(i, h) - at(i, -h)) / (2 * h)
        : (-at(i, 2 * h) + 8 * at(i, h) - 8 * at(i, -h) + at(i, -2 * h)) / (12 * h);
  }
  return compare(analytic, numeric, tolerance, floor);
}

/**
 * Compares `hvp(x, v)` with the central difference of gradients (∇f(x + h v) − ∇f(x − h v)) / 2h.
 */
export function checkHvp(
  oracle: { grad(x: Vec, out: Vec): Vec; hvp(x: Vec, v: Vec, out: Vec): Vec },
  x: Vec,
  v: Vec,
  {
    stencil = 'central',
    step = stencil === 'central' ? 1e-5 : 1e-3,
    tolerance = 1e-6,
    floor = 1e-8,
  }: CheckOptions = {},
): DerivativeCheck {
  const n = x.length;
  const analytic = oracle.hvp(x, v, new Float64Array(n)).slice();
  let vNorm = 0;
  let xNorm = 0;
  for (let i = 0; i < n; i++) {
    vNorm = Math.max(vNorm, Math.abs(v[i]));
    xNorm = Math.max(xNorm, Math.abs(x[i]));
  }
  const h = (step * Math.max(1, xNorm)) / Math.max(vNorm, 1e-300);
  const probe = new Float64Array(n);
  const gradientAt = (t: number): Float64Array => {
    for (let i = 0; i < n; i++) probe[i] = x[i] + t * v[i];
    return oracle.grad(probe, new Float64Array(n));
  };
  const numeric = new Float64Array(n);
  if (stencil === 'central') {
    const plus = gradientAt(h);
    const minus = gradientAt(-h);
    for (let i = 0; i < n; i++) numeric[i] = (plus[i] - minus[i]) / (2 * h);
  } else {
    const plus2 = gradientAt(2 * h);
    const plus = gradientAt(h);
    const minus = gradientAt(-h);
    const minus2 = gradientAt(-2 * h);
    for (let i = 0; i < n; i++) numeric[i] = (-plus2[i] + 8 * plus[i] - 8 * minus[i] + minus2[i]) / (12 * h);
  }
  return compare(analytic, numeric, tolerance, floor);
}

function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

function checkLengths(where: string, pairs: readonly [string, ArrayLike<number>, number][]): void {
  for (const [argument, x, expected] of pairs) assertLength(where, argument, x, expected);
}

/**
 * Derivative of t ↦ at(t) at t = 0 (a vector of `length`), by the central or five-point stencil
 * with step h. `at` may reuse its output buffer: values are copied out before the next call.
 */
function directionalDerivative(
  at: (t: number) => ArrayLike<number>,
  length: number,
  h: number,
  stencil: 'central' | 'five-point',
): Vec {
  const numeric = new Float64Array(length);
  const accumulate = (t: number, weight: number) => {
    const value = at(t);
    for (let i = 0; i < length; i++) numeric[i] += weight * value[i];
  };
  if (stencil === 'central') {
    accumulate(h, 1 / (2 * h));
    accumulate(-h, -1 / (2 * h));
  } else {
    accumulate(2 * h, -1 / (12 * h));
    accumulate(h, 8 / (12 * h));
    accumulate(-h, -8 / (12 * h));
    accumulate(-2 * h, 1 / (12 * h));
  }
  return numeric;
}

/** Step along direction d from x: step · max(1, ‖x‖∞) / ‖d‖∞. */
function directionStep(step: number, x: ArrayLike<number>, d: ArrayLike<number>): number {
  return (step * Math.max(1, maxAbs(x))) / Math.max(maxAbs(d), 1e-300);
}

/**
 * Compares a Jacobian-vector product `jvp(x, v)` with the finite difference of `evaluate` along v,
 * (F(x + h v) − F(x − h v)) / 2h or the five-point stencil (default 'five-point', step 1e-3, so the
 * check holds to 1e-8 and below). O(1) evaluations of F.
 *
 * @example
 * checkJvp(F, Float64Array.of(0.3, -1), Float64Array.of(1, 2)).ok; // true
 */
export function checkJvp(
  map: {
    readonly inputDimension: number;
    readonly outputDimension: number;
    evaluate(x: Vec, out: Vec): Vec;
    jvp(x: Vec, v: Vec, out: Vec): Vec;
  },
  x: Vec,
  v: Vec,
  {
    stencil = 'five-point',
    step = stencil === 'central' ? 1e-5 : 1e-3,
    tolerance = 1e-6,
    floor = 1e-8,
  }: CheckOptions = {},
): DerivativeCheck {
  const n = map.inputDimension;
  const m = map.outputDimension;
  checkLengths('checkJvp', [
    ['x', x, n],
    ['v', v, n],
  ]);
  const analytic = map.jvp(x, v, new Float64Array(m)).slice();
  const probe = new Float64Array(n);
  const value = new Float64Array(m);
  const numeric = directionalDerivative(
    (t) => {
      for (let i = 0; i < n; i++) probe[i] = x[i] + t * v[i];
      return map.evaluate(probe, value);
    },
    m,
    directionStep(step, x, v),
    stencil,
  );
  return compare(analytic, numeric, tolerance, floor);
}

/**
 * Compares a vector-Jacobian product `vjp(x, w)` = J(x)ᵀ w with the finite-difference gradient of
 * φ(x) = ⟨w, F(x)⟩, coordinate by coordinate (default 'five-point', step 1e-3 scaled by
 * max(1, |x_j|)). O(n) evaluations of F, so it checks the transpose independently of any `jvp`.
 */
export function checkVjp(
  map: {
    readonly inputDimension: number;
    readonly outputDimension: number;
    evaluate(x: Vec, out: Vec): Vec;
    vjp(x: Vec, w: Vec, out: Vec): Vec;
  },
  x: Vec,
  w: Vec,
  {
    stencil = 'five-point',
    step = stencil === 'central' ? 1e-6 : 1e-3,
    tolerance = 1e-6,
    floor = 1e-8,
  }: CheckOptions = {},
): DerivativeCheck {
  const n = map.inputDimension;
  const m = map.outputDimension;
  checkLengths('checkVjp', [
    ['x', x, n],
    ['w', w, m],
  ]);
  const analytic = map.vjp(x, w, new Float64Array(n)).slice();
  const probe = x.slice();
  const value = new Float64Array(m);
  const scalar = new Float64Array(1);
  const numeric = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const h = step * Math.max(1, Math.abs(x[j]));
    numeric[j] = directionalDerivative(
      (t) => {
        probe[j] = x[j] + t;
        map.evaluate(probe, value);
        probe[j] = x[j];
        let s = 0;
        for (let i = 0; i < m; i++) s += w[i] * value[i];
        scalar[0] = s;
        return scalar;
      },
      1,
      h,
      stencil,
    )[0];
  }
  return compare(analytic, numeric, tolerance, floor);
}

/**
 * Compares a cross second-derivative product of a two-block function g(x, y) with finite
 * differences of a block gradient (default 'five-point', step 1e-3):
 * - `block: 'xy'` (default): ∇²_xy g · v = `crossHvpXY(x, y, v)` (v of length ny, result length nx)
 *   against the derivative of t ↦ ∇_x g(x, y + t v);
 * - `block: 'yx'`: ∇²_yx g · u = `crossHvpYX(x, y, u)` (u of length nx, result length ny) against
 *   the derivative of t ↦ ∇_y g(x + t u, y).
 * Gradients and HVPs within one block are checked with `checkGradient`/`checkHvp` on
 * `fixX(g, x)` / `fixY(g, y)`.
 */
export function checkCrossHvp(
  g: {
    readonly dimensionX: number;
    readonly dimensionY: number;
    gradX?(x: Vec, y: Vec, out: Vec): Vec;
    gradY?(x: Vec, y: Vec, out: Vec): Vec;
    crossHvpXY?(x: Vec, y: Vec, v: Vec, out: Vec): Vec;
    crossHvpYX?(x: Vec, y: Vec, u: Vec, out: Vec): Vec;
  },
  x: Vec,
  y: Vec,
  direction: Vec,
  {
    block = 'xy',
    stencil = 'five-point',
    step = stencil === 'central' ? 1e-5 : 1e-3,
    tolerance = 1e-6,
    floor = 1e-8,
  }: CheckOptions & { readonly block?: 'xy' | 'yx' } = {},
): DerivativeCheck {
  const nx = g.dimensionX;
  const ny = g.dimensionY;
  const xy = block === 'xy';
  checkLengths('checkCrossHvp', [
    ['x', x, nx],
    ['y', y, ny],
    ['direction', direction, xy ? ny : nx],
  ]);
  const product = xy ? g.crossHvpXY : g.crossHvpYX;
  const gradient = xy ? g.gradX : g.gradY;
  if (typeof product !== 'function' || typeof gradient !== 'function')
    invalidArgument(
      'checkCrossHvp',
      'g',
      block,
      xy ? 'block "xy" needs g.crossHvpXY and g.gradX' : 'block "yx" needs g.crossHvpYX and g.gradY',
    );
  const outLength = xy ? nx : ny;
  const analytic = product.call(g, x, y, direction, new Float64Array(outLength)).slice();
  const probe = new Float64Array(xy ? ny : nx);
  const base = xy ? y : x;
  const value = new Float64Array(outLength);
  const numeric = directionalDerivative(
    (t) => {
      for (let i = 0; i < probe.length; i++) probe[i] = base[i] + t * direction[i];
      return xy ? gradient.call(g, x, probe, value) : gradient.call(g, probe, y, value);
    },
    outLength,
    directionStep(step, base, direction),
    stencil,
  );
  return compare(analytic, numeric, tolerance, floor);
}

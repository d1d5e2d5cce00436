import type { Vec } from '../spec/vec';

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

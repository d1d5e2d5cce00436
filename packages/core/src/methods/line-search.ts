import type { Oracle } from '../spec/oracle';
import type { Vec } from '../spec/vec';

/** Buffers a line search writes: the trial point and its gradient (the accepted ones on success). */
export interface LineSearchWork {
  readonly trial: Vec;
  readonly gradient: Vec;
}

export interface StrongWolfeOptions {
  /** Sufficient-decrease constant c₁ (Armijo), 0 < c₁ < c₂ < 1. */
  readonly c1: number;
  /** Curvature constant c₂ of the strong Wolfe condition |φ'(α)| <= c₂ |φ'(0)|. */
  readonly c2: number;
  /** First trial step α₀. */
  readonly initialStep: number;
  /** Largest step allowed. */
  readonly maxStep: number;
  /** Maximum number of function evaluations (scipy's maxls = 20). */
  readonly maxEvaluations: number;
}

export interface LineSearchOutcome {
  readonly ok: boolean;
  readonly step: number;
  readonly value: number;
  readonly evaluations: number;
  readonly message: string;
}

type ValueGrad = Oracle<'value' | 'grad'>;

function evaluate(
  oracle: ValueGrad,
  x: Vec,
  d: Vec,
  alpha: number,
  work: LineSearchWork,
): { value: number; slope: number } {
  const { trial, gradient } = work;
  const n = x.length;
  for (let i = 0; i < n; i++) trial[i] = x[i] + alpha * d[i];
  const value = oracle.valueAndGrad
    ? oracle.valueAndGrad(trial, gradient)
    : (oracle.grad(trial, gradient), oracle.value(trial));
  let slope = 0;
  for (let i = 0; i < n; i++) slope += gradient[i] * d[i];
  return { value, slope };
}

/** Minimizer of the cubic interpolating φ and φ' at a and b (Nocedal & Wright eq. 3.59), or NaN. */
function cubicMinimizer(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const radicand = d1 * d1 - da * db;
  if (!(radicand >= 0)) return Number.NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(radicand);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

/**
 * Line search for the strong Wolfe conditions, Nocedal & Wright (2006) Algorithms 3.5 (bracketing)
 * and 3.6 (zoom, cubic interpolation safeguarded by bisection). φ(α) = f(x + α d), φ'(0) = `slope0` < 0.
 * On success `work.trial` = x + α d and `work.gradient` = ∇f(x + α d).
 */
export function strongWolfe(
  oracle: ValueGrad,
  x: Vec,
  value0: number,
  slope0: number,
  d: Vec,
  work: LineSearchWork,
  { c1, c2, initialStep, maxStep, maxEvaluations }: StrongWolfeOptions,
): LineSearchOutcome {
  let evaluations = 0;
  let previousStep = 0;
  let previousValue = value0;
  let previousSlope = slope0;
  let step = Math.min(initialStep, maxStep);

  const zoom = (
    lo: number,
    flo: number,
    dlo: number,
    hi: number,
    fhi: number,
    dhi: number,
  ): LineSearchOutcome => {
    while (evaluations < maxEvaluations) {
      let alpha = cubicMinimizer(lo, flo, dlo, hi, fhi, dhi);
      const left = Math.min(lo, hi);
      const right = Math.max(lo, hi);
      const margin = 0.1 * (right - left);
      if (!Number.isFinite(alpha) || alpha < left + margin || alpha > right - margin) alpha = 0.5 * (lo + hi);
      if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) break;
      const { value, slope } = evaluate(oracle, x, d, alpha, work);
      evaluations++;
      if (!Number.isFinite(value) || value > value0 + c1 * alpha * slope0 || value >= flo) {
        hi = alpha;
        fhi = value;
        dhi = slope;
      } else {
        if (Math.abs(slope) <= -c2 * slope0)
          return { ok: true, step: alpha, value, evaluations, message: 'strong Wolfe conditions hold' };
        if (slope * (hi - lo) >= 0) {
          hi = lo;
          fhi = flo;
          dhi = dlo;
        }
        lo = alpha;
        flo = value;
        dlo = slope;
      }
    }
    return {
      ok: false,
      step: lo,
      value: flo,
      evaluations,
      message: `line search failed: no strong Wolfe step in ${evaluations} evaluations`,
    };
  };

  while (evaluations < maxEvaluations) {
    const { value, slope } = evaluate(oracle, x, d, step, work);
    evaluations++;
    if (
      !Number.isFinite(value) ||
      value > value0 + c1 * step * slope0 ||
      (evaluations > 1 && value >= previousValue)
    ) {
      return zoom(
        previousStep,
        previousValue,
        previousSlope,
        step,
        Number.isFinite(value) ? value : Number.MAX_VALUE,
        Number.isFinite(slope) ? slope : 0,
      );
    }
    if (Math.abs(slope) <= -c2 * slope0)
      return { ok: true, step, value, evaluations, message: 'strong Wolfe conditions hold' };
    if (slope >= 0) return zoom(step, value, slope, previousStep, previousValue, previousSlope);
    if (step >= maxStep)
      return {
        ok: false,
        step,
        value,
        evaluations,
        message: `line search reached the maximum step ${maxStep}`,
      };
    previousStep = step;
    previousValue = value;
    previousSlope = slope;
    step = Math.min(2 * step, maxStep);
  }
  return {
    ok: false,
    step: previousStep,
    value: previousValue,
    evaluations,
    message: `line search failed: no strong Wolfe step in ${evaluations} evaluations`,
  };
}

import { InvalidArgumentError, type Rng, type Vec } from '@argmin/core';
import type { BilevelOracle } from '../problem/bilevel-oracle';

/**
 * BO-REP's setting reduced to a toy with unbounded smoothness (notes §12(b)): the upper level's
 * Hessian grows with its gradient, ‖∇²f‖ ≤ L₀ + L₁‖∇f‖ with no global bound.
 *
 * g(x, y) = ½‖y − Ax‖² + (μ/2)‖y‖²  →  y*(x) = Ax/(1 + μ)  (strongly convex in y, ∇²_yy g = (1 + μ)I);
 * f(x, y) = ¼‖y − b‖⁴ + ½‖x‖²;  ∇Φ(x) = x + (A/(1 + μ))ᵀ ‖y* − b‖²(y* − b).
 * A has N(0, 1/d) entries and b N(0, 1) entries, drawn from `rng`.
 */
export function unboundedSmoothnessToy({
  dimension = 10,
  mu = 1,
  rng,
}: {
  dimension?: number;
  mu?: number;
  rng: Rng;
}): BilevelOracle & { readonly A: Float64Array; readonly b: Float64Array; readonly mu: number } {
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > 10_000) {
    throw new InvalidArgumentError({
      argument: 'dimension',
      value: dimension,
      message: `unboundedSmoothnessToy: \`dimension\` must be an integer in [1, 10000]; got ${dimension}.`,
    });
  }
  if (!(mu > 0) || !Number.isFinite(mu)) {
    throw new InvalidArgumentError({
      argument: 'mu',
      value: mu,
      message: `unboundedSmoothnessToy: \`mu\` must be a finite number > 0 (the lower level's strong convexity); got ${mu}.`,
    });
  }
  const d = dimension;
  const A = rng.fillNormal(new Float64Array(d * d), 0, 1 / Math.sqrt(d));
  const b = rng.fillNormal(new Float64Array(d));
  const ax = new Float64Array(d);
  const ystar = new Float64Array(d);
  const gy = new Float64Array(d);
  const applyA = (x: Vec, out: Vec) => {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += A[i * d + j] * x[j];
      out[i] = s;
    }
    return out;
  };
  const applyAT = (v: Vec, out: Vec, scale: number) => {
    out.fill(0);
    for (let i = 0; i < d; i++) {
      const vi = scale * v[i];
      for (let j = 0; j < d; j++) out[j] += A[i * d + j] * vi;
    }
    return out;
  };
  const dist2 = (y: Vec) => {
    let s = 0;
    for (let i = 0; i < d; i++) s += (y[i] - b[i]) ** 2;
    return s;
  };
  const upperGradY = (_x: Vec, y: Vec, out: Vec) => {
    const r2 = dist2(y);
    for (let i = 0; i < d; i++) out[i] = r2 * (y[i] - b[i]);
    return out;
  };
  const lowerSolution = (x: Vec, out: Vec) => {
    applyA(x, out);
    for (let i = 0; i < d; i++) out[i] /= 1 + mu;
    return out;
  };
  return {
    dimX: d,
    dimY: d,
    A,
    b,
    mu,
    upperValue(x, y) {
      let xx = 0;
      for (let i = 0; i < d; i++) xx += x[i] * x[i];
      return 0.25 * dist2(y) ** 2 + 0.5 * xx;
    },
    upperGradX(x, _y, out) {
      out.set(x);
      return out;
    },
    upperGradY,
    lowerValue(x, y) {
      applyA(x, ax);
      let s = 0;
      let yy = 0;
      for (let i = 0; i < d; i++) {
        s += (y[i] - ax[i]) ** 2;
        yy += y[i] * y[i];
      }
      return 0.5 * s + 0.5 * mu * yy;
    },
    lowerGradX(x, y, out) {
      applyA(x, ax);
      for (let i = 0; i < d; i++) gy[i] = y[i] - ax[i];
      return applyAT(gy, out, -1);
    },
    lowerGradY(x, y, out) {
      applyA(x, ax);
      for (let i = 0; i < d; i++) out[i] = y[i] - ax[i] + mu * y[i];
      return out;
    },
    lowerHvpYY(_x, _y, v, out) {
      for (let i = 0; i < d; i++) out[i] = (1 + mu) * v[i];
      return out;
    },
    lowerCrossXY: (_x, _y, v, out) => applyAT(v, out, -1),
    lowerSolution,
    hyperValue(x) {
      lowerSolution(x, ystar);
      let xx = 0;
      for (let i = 0; i < d; i++) xx += x[i] * x[i];
      return 0.25 * dist2(ystar) ** 2 + 0.5 * xx;
    },
    hyperGradient(x, out) {
      lowerSolution(x, ystar);
      upperGradY(x, ystar, gy);
      applyAT(gy, out, 1 / (1 + mu));
      for (let i = 0; i < d; i++) out[i] += x[i];
      return out;
    },
  };
}

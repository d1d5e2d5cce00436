import { InvalidArgumentError, type Vec } from '@argmin/core';
import type { ConstrainedBilevelOracle } from '../problem/bilevel-oracle';

/**
 * LV-HBA's toy with a lower-level constraint coupling x and y (notes §13, reference code
 * Toy-example/LLC): x ∈ R^n, y = (y₁, y₂) ∈ R^{2n},
 *   F(x, y) = ½‖x − y₂‖² + ½‖y₁ − 1‖²                       (upper)
 *   f(x, y) = ½‖y₁‖² − xᵀy₁ + 1ᵀy₂                           (lower)
 *   G(x, y) = 1ᵀx + 1ᵀy ≤ 0                                   (one coupling constraint)
 * and the pair (x, y) constrained to the hyperplane Σx + Σy = 0 (the code's projection, mean
 * subtraction). The lower-level solution set is non-singleton (y₁ = x + 1, only Σy₂ fixed) and the
 * optimum is x* = −0.3·1, y₁* = 0.7·1, y₂* = −0.4·1 (re-derived in the notes).
 */
export function coupledConstraintToy({ n = 10 }: { n?: number } = {}): ConstrainedBilevelOracle & {
  readonly solution: { readonly x: Vec; readonly y: Vec };
} {
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
    throw new InvalidArgumentError({
      argument: 'n',
      value: n,
      message: `coupledConstraintToy: \`n\` must be an integer in [1, 1e6]; got ${n}.`,
    });
  }
  const projectPair = (x: Vec, y: Vec) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i];
    for (let i = 0; i < 2 * n; i++) s += y[i];
    const mean = s / (3 * n);
    for (let i = 0; i < n; i++) x[i] -= mean;
    for (let i = 0; i < 2 * n; i++) y[i] -= mean;
  };
  const sumOf = (v: Vec) => {
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i];
    return s;
  };
  return {
    dimX: n,
    dimY: 2 * n,
    constraints: 1,
    solution: {
      x: new Float64Array(n).fill(-0.3),
      y: Float64Array.from({ length: 2 * n }, (_, i) => (i < n ? 0.7 : -0.4)),
    },
    upperValue(x, y) {
      let s = 0;
      for (let i = 0; i < n; i++) s += 0.5 * (x[i] - y[n + i]) ** 2 + 0.5 * (y[i] - 1) ** 2;
      return s;
    },
    upperGradX(x, y, out) {
      for (let i = 0; i < n; i++) out[i] = x[i] - y[n + i];
      return out;
    },
    upperGradY(x, y, out) {
      for (let i = 0; i < n; i++) {
        out[i] = y[i] - 1;
        out[n + i] = y[n + i] - x[i];
      }
      return out;
    },
    lowerValue(x, y) {
      let s = 0;
      for (let i = 0; i < n; i++) s += 0.5 * y[i] * y[i] - x[i] * y[i] + y[n + i];
      return s;
    },
    lowerGradX(_x, y, out) {
      for (let i = 0; i < n; i++) out[i] = -y[i];
      return out;
    },
    lowerGradY(x, y, out) {
      for (let i = 0; i < n; i++) {
        out[i] = y[i] - x[i];
        out[n + i] = 1;
      }
      return out;
    },
    lowerHvpYY(_x, _y, v, out) {
      for (let i = 0; i < n; i++) {
        out[i] = v[i];
        out[n + i] = 0;
      }
      return out;
    },
    lowerCrossXY(_x, _y, v, out) {
      for (let i = 0; i < n; i++) out[i] = -v[i];
      return out;
    },
    constraintValue(x, y, out) {
      out[0] = sumOf(x) + sumOf(y);
      return out;
    },
    constraintVjpY(_x, _y, lambda, out) {
      out.fill(lambda[0]);
      return out;
    },
    constraintVjpX(_x, _y, lambda, out) {
      out.fill(lambda[0]);
      return out;
    },
    projectXY: projectPair,
  };
}

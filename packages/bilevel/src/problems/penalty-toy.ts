import { InvalidArgumentError, type Vec } from '@argmin/core';
import type { BilevelOracle } from '../problem/bilevel-oracle';

/** The closed forms of `penaltyToy` (notes §11(b)). */
export interface PenaltyToy extends BilevelOracle {
  /** s = a₁ + a₂. */
  readonly s: number;
  /** ψ(x) = ½x² + (x − s)²/4, the hyper-objective (optimistic over the solution set y₁ + y₂ = x). */
  hyperValue(x: Vec): number;
  /** x* = s/3. */
  readonly solution: number;
  /** ψ_σ(x) = ½x² + (x − s)²/(2(σ + 2)), the penalty function's value. */
  penaltyValue(x: number, sigma: number): number;
  /** x*_σ = s/(σ + 3), the minimizer of ψ_σ. */
  penaltySolution(sigma: number): number;
}

/**
 * Kwon et al.'s setting reduced to an exact toy with a non-singleton lower level (notes §11(b)):
 * f(x, y) = ½x² + ½‖y − a‖², g(x, y) = ½(y₁ + y₂ − x)², x ∈ R, y ∈ R². The lower-level solution set
 * is the line y₁ + y₂ = x, so ∇²_yy g = [[1, 1], [1, 1]] is singular: implicit differentiation does
 * not apply, the penalty method does. ψ(x) = ½x² + (x − s)²/4 with s = a₁ + a₂, x* = s/3;
 * ψ_σ(x) = ½x² + (x − s)²/(2(σ + 2)), x*_σ = s/(σ + 3), |ψ_σ − ψ| = σ(x − s)²/(4(σ + 2)) = O(σ).
 */
export function penaltyToy({ a = [1, 2] }: { a?: readonly [number, number] } = {}): PenaltyToy {
  if (!Array.isArray(a) || a.length !== 2 || !a.every(Number.isFinite)) {
    throw new InvalidArgumentError({
      argument: 'a',
      value: a,
      message: `penaltyToy: \`a\` must be two finite numbers; got ${JSON.stringify(a)}.`,
    });
  }
  const [a1, a2] = a;
  const s = a1 + a2;
  const r = (x: Vec, y: Vec) => y[0] + y[1] - x[0];
  return {
    dimX: 1,
    dimY: 2,
    s,
    solution: s / 3,
    upperValue: (x, y) => 0.5 * x[0] ** 2 + 0.5 * ((y[0] - a1) ** 2 + (y[1] - a2) ** 2),
    upperGradX(x, _y, out) {
      out[0] = x[0];
      return out;
    },
    upperGradY(_x, y, out) {
      out[0] = y[0] - a1;
      out[1] = y[1] - a2;
      return out;
    },
    lowerValue: (x, y) => 0.5 * r(x, y) ** 2,
    lowerGradX(x, y, out) {
      out[0] = -r(x, y);
      return out;
    },
    lowerGradY(x, y, out) {
      const ri = r(x, y);
      out[0] = ri;
      out[1] = ri;
      return out;
    },
    lowerHvpYY(_x, _y, v, out) {
      const t = v[0] + v[1];
      out[0] = t;
      out[1] = t;
      return out;
    },
    lowerCrossXY(_x, _y, v, out) {
      out[0] = -(v[0] + v[1]);
      return out;
    },
    hyperValue: (x) => 0.5 * x[0] ** 2 + (x[0] - s) ** 2 / 4,
    hyperGradient(x, out) {
      out[0] = x[0] + (x[0] - s) / 2;
      return out;
    },
    penaltyValue: (x, sigma) => 0.5 * x ** 2 + (x - s) ** 2 / (2 * (sigma + 2)),
    penaltySolution: (sigma) => s / (sigma + 3),
  };
}

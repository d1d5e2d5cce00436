import { type DenseMatrix, solveDense, type Vec } from '@argmin/core';
import type { BilevelOracle } from '../problem/bilevel-oracle';

/** ∇²_yy g(x, y) as a dense matrix, from dimY Hessian-vector products (small problems only). */
export function lowerHessian(problem: BilevelOracle, x: Vec, y: Vec): DenseMatrix {
  const n = problem.dimY;
  const data = new Float64Array(n * n);
  const e = new Float64Array(n);
  const column = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    problem.lowerHvpYY(x, y, e, column);
    for (let i = 0; i < n; i++) data[i * n + j] = column[i];
  }
  // Symmetrize round-off.
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const m = 0.5 * (data[i * n + j] + data[j * n + i]);
      data[i * n + j] = m;
      data[j * n + i] = m;
    }
  return { rows: n, cols: n, data };
}

/**
 * y*(x) to near machine precision: the problem's closed form when it has one, else Newton's method on
 * g(x, ·) with dense Hessians (for strongly convex lower levels of small dimension: tests and
 * experiments use it as the exact reference).
 */
export function exactLowerSolution(
  problem: BilevelOracle,
  x: Vec,
  {
    y0,
    maxIterations = 100,
    tolerance = 1e-13,
  }: { y0?: Vec; maxIterations?: number; tolerance?: number } = {},
): Vec {
  const y = new Float64Array(problem.dimY);
  if (problem.lowerSolution) return problem.lowerSolution(x, y);
  if (y0) y.set(y0);
  const g = new Float64Array(problem.dimY);
  for (let k = 0; k < maxIterations; k++) {
    problem.lowerGradY(x, y, g);
    let norm = 0;
    for (let i = 0; i < g.length; i++) norm += g[i] * g[i];
    if (Math.sqrt(norm) <= tolerance) break;
    const step = solveDense(lowerHessian(problem, x, y), g);
    if (!step.ok) break;
    for (let i = 0; i < y.length; i++) y[i] -= step.x[i];
  }
  return y;
}

/**
 * The exact hypergradient ∇Φ(x) = ∇_x f − ∇²_xy g · [∇²_yy g]⁻¹ ∇_y f at y = y*(x) (dense solve): the
 * reference every estimator is tested against. Uses `problem.hyperGradient` when the problem has it.
 */
export function exactHypergradient(
  problem: BilevelOracle,
  x: Vec,
  out = new Float64Array(problem.dimX),
): Vec {
  if (problem.hyperGradient) return problem.hyperGradient(x, out);
  const y = exactLowerSolution(problem, x);
  const gy = problem.upperGradY(x, y, new Float64Array(problem.dimY));
  const solved = solveDense(lowerHessian(problem, x, y), gy);
  if (!solved.ok) {
    out.fill(Number.NaN);
    return out;
  }
  problem.upperGradX(x, y, out);
  const cross = problem.lowerCrossXY(x, y, solved.x, new Float64Array(problem.dimX));
  for (let i = 0; i < out.length; i++) out[i] -= cross[i];
  return out;
}

/** Φ(x) = f(x, y*(x)). */
export function exactHyperValue(problem: BilevelOracle, x: Vec): number {
  if (problem.hyperValue) return problem.hyperValue(x);
  return problem.upperValue(x, exactLowerSolution(problem, x));
}

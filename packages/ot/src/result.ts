import type { DenseMatrix, SolveStatus, SolveWarning } from '@argmin/core';

/** The one result of every OT solver (POT's plan + log, normalized). */
export interface OtResult {
  /** Transport plan P (len(a) x len(b)). */
  readonly plan: DenseMatrix;
  /** Linear cost ⟨P, C⟩ (POT's sinkhorn2 / emd2 value, without the entropy term). */
  readonly cost: number;
  /**
   * Dual potentials: for entropic solvers f = ε log u, g = ε log v, so P_ij = exp((f_i + g_j − C_ij)/ε);
   * for emd the LP duals with f_i + g_j <= C_ij.
   */
  readonly potentials: { readonly f: Float64Array; readonly g: Float64Array };
  /** Iterations performed (Sinkhorn sweeps; Newton steps are counted separately by SNS). */
  readonly iterations: number;
  /** ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ of the returned plan. */
  readonly marginalError: number;
  readonly status: SolveStatus;
  readonly converged: boolean;
  readonly message: string;
  readonly warnings: readonly SolveWarning[];
  /** Error history at the checked iterations (the error POT's stopping rule uses, see `errorNorm`). */
  readonly trace: { readonly iteration: number[]; readonly error: number[] };
  readonly method: string;
}

/** ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁. */
export function marginalError(plan: DenseMatrix, a: Float64Array, b: Float64Array): number {
  const { rows: n, cols: m, data } = plan;
  const column = new Float64Array(m);
  let error = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < m; j++) {
      row += data[i * m + j];
      column[j] += data[i * m + j];
    }
    error += Math.abs(row - a[i]);
  }
  for (let j = 0; j < m; j++) error += Math.abs(column[j] - b[j]);
  return error;
}

/** ⟨P, C⟩. */
export function linearCost(plan: DenseMatrix, cost: DenseMatrix): number {
  let s = 0;
  for (let i = 0; i < plan.data.length; i++) s += plan.data[i] * cost.data[i];
  return s;
}

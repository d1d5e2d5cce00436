import type { DenseMatrix, ResultBase, Trace } from '@argmin/core';

/**
 * The one result of every OT solver (POT's plan + log, normalized), on core's `ResultBase`:
 * `status`, `converged`, `iterations`, `message`, `warnings` and a columnar `trace` whose
 * `trace.metrics.error` is the stopping error at each checked iteration (the norm the caller chose,
 * see `marginalNorm`).
 */
export interface OtResult extends ResultBase {
  /** Transport plan P (len(a) x len(b)); with a failure status, the last finite plan. */
  readonly plan: DenseMatrix;
  /** Linear cost ⟨P, C⟩ (POT's sinkhorn2 / emd2 value, without the entropy term). */
  readonly cost: number;
  /**
   * Dual potentials: for entropic solvers f = ε log u, g = ε log v, so P_ij = exp((f_i + g_j − C_ij)/ε);
   * for emd the LP duals with f_i + g_j <= C_ij. Finite whatever the status.
   */
  readonly potentials: { readonly f: Float64Array; readonly g: Float64Array };
  /**
   * What the method counts: Sinkhorn sweeps (one v- and one u-update; POT's niter + 1); for
   * epsilon-scaling the total inner sweeps; for SNS warm-up sweeps + Newton steps; for emd pivots.
   */
  readonly iterations: number;
  /** ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ of the returned plan (whatever norm the stopping rule used). */
  readonly marginalError: number;
  /** `trace.metrics.error`: the stopping error at `trace.iteration`; `elapsedMs` since the call. */
  readonly trace: Trace;
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

/** The stopping error of a plan in a named norm: 'l1' = ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁, 'l2' = ‖Pᵀ1 − b‖₂ (POT). */
export function marginalErrorIn(
  norm: 'l1' | 'l2',
  plan: DenseMatrix,
  a: Float64Array,
  b: Float64Array,
): number {
  if (norm === 'l1') return marginalError(plan, a, b);
  const { rows: n, cols: m, data } = plan;
  const column = new Float64Array(m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) column[j] += data[i * m + j];
  let s = 0;
  for (let j = 0; j < m; j++) s += (column[j] - b[j]) ** 2;
  return Math.sqrt(s);
}

/** ⟨P, C⟩. */
export function linearCost(plan: DenseMatrix, cost: DenseMatrix): number {
  let s = 0;
  for (let i = 0; i < plan.data.length; i++) s += plan.data[i] * cost.data[i];
  return s;
}

/** True when every entry is finite. */
export function allFiniteValues(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

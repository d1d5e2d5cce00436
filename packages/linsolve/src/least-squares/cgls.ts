import {
  assertAllocation,
  monotonicNow,
  parseOptions,
  type ResultBase,
  type SolveStatus,
  traceOf,
  type Vec,
} from '@argmin/core';
import { cglsOptions } from '../options';
import { allFinite, type MatrixLike, validateLeastSquares } from '../validate';

/** Options of `cgls`. */
export interface CglsOptions {
  /** Damping λ: minimize ‖A x − b‖² + λ²‖x‖² (default 0). */
  readonly damp?: number;
  /** Stop when ‖Aᵀr − λ²x‖ ≤ rtol·‖Aᵀb‖ (default 1e-6). */
  readonly rtol?: number;
  /** Also stop when ‖b − A x‖ ≤ atol (default 0). */
  readonly atol?: number;
  /** Iteration limit (default 2n). */
  readonly maxIterations?: number;
  /** Starting guess (default zeros); never mutated. */
  readonly x0?: Vec;
}

/**
 * Result of `cgls` on core's `ResultBase`: `iterations` counts CG steps (one product with A and one
 * with Aᵀ each). `trace.metrics`: `residualNorm` ‖b − A x‖ (recurrence) and `normalResidualNorm`
 * ‖Aᵀr − λ²x‖ per iteration.
 */
export interface CglsResult extends ResultBase {
  readonly x: Vec;
  /** ‖b − A x‖ (recurrence). */
  readonly residualNorm: number;
  /** ‖Aᵀ(b − A x) − λ² x‖, the normal-equation residual. */
  readonly normalResidualNorm: number;
  /** Products with A and with Aᵀ. */
  readonly matvecs: number;
}

function dot(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * CGLS (Hestenes & Stiefel 1952, §10; Björck 1996, Alg. 7.4.1): CG on the normal equations
 * (AᵀA + λ²I) x = Aᵀb without forming AᵀA. With r = b − A x, s = Aᵀr − λ²x, p = s, γ = ‖s‖²:
 * q = A p, δ = ‖q‖² + λ²‖p‖², α = γ/δ, x += αp, r −= αq, s = Aᵀr − λ²x, β = ‖s‖²/γ, p = s + βp.
 * Mathematically equal to LSQR's iterates (LSQR is the numerically safer of the two on
 * ill-conditioned A); one product with A and one with Aᵀ per iteration.
 */
export function cgls(A: MatrixLike, b: Vec, options: CglsOptions = {}): CglsResult {
  const where = 'linsolve/cgls';
  const parsed = parseOptions(where, cglsOptions, options);
  const operator = validateLeastSquares(where, A, b, parsed.x0);
  const m = operator.rows;
  const n = operator.cols;
  const { damp, rtol, atol } = parsed;
  const limit = parsed.maxIterations ?? 2 * n;
  assertAllocation(where, `CGLS's vectors for a ${m} x ${n} system`, 2 * m + 4 * n);
  const started = monotonicNow();
  const dampsq = damp * damp;
  const x = parsed.x0 ? parsed.x0.slice() : new Float64Array(n);
  const lastFinite = x.slice();
  const r = b.slice();
  const q = new Float64Array(m);
  const s = new Float64Array(n);
  const p = new Float64Array(n);
  let matvecs = 0;
  if (parsed.x0) {
    operator.apply(x, q);
    matvecs++;
    for (let i = 0; i < m; i++) r[i] -= q[i];
  }
  const applyNormal = () => {
    operator.applyAdjoint?.(r, s);
    matvecs++;
    if (dampsq > 0) for (let j = 0; j < n; j++) s[j] -= dampsq * x[j];
  };
  applyNormal();
  // ‖Aᵀb‖ for the relative test (with x0 = 0 it is ‖s₀‖; otherwise one more product)
  let atb: number;
  if (parsed.x0) {
    const t = new Float64Array(n);
    operator.applyAdjoint?.(b, t);
    matvecs++;
    atb = Math.sqrt(dot(t, t));
  } else atb = Math.sqrt(dot(s, s));
  p.set(s);
  let gamma = dot(s, s);
  let rnorm = Math.sqrt(dot(r, r));
  let snorm = Math.sqrt(gamma);
  const iteration = [0];
  const residualTrace = [rnorm];
  const normalTrace = [snorm];
  const elapsed = [0];
  let iterations = 0;
  let status: SolveStatus = 'max-iterations';
  let message = `reached maxIterations = ${limit}`;
  const done = () => snorm <= rtol * atb || rnorm <= atol;
  if (!Number.isFinite(rnorm) || !Number.isFinite(snorm)) {
    status = 'numerical-error';
    message = 'the operator produced non-finite values at the start; returning x0';
  } else if (done()) {
    status = 'converged';
    message = 'x0 already meets the tolerance';
  } else {
    while (iterations < limit) {
      operator.apply(p, q);
      matvecs++;
      const delta = dot(q, q) + dampsq * dot(p, p);
      if (!(delta > 0)) {
        status = Number.isFinite(delta) ? 'stalled' : 'numerical-error';
        message =
          status === 'stalled'
            ? `A p = 0 for a nonzero direction (rank-deficient A with damp = 0 and a vanishing step) at iteration ${iterations}`
            : 'non-finite values in A p; returning the last finite iterate';
        break;
      }
      const alpha = gamma / delta;
      lastFinite.set(x);
      for (let j = 0; j < n; j++) x[j] += alpha * p[j];
      for (let i = 0; i < m; i++) r[i] -= alpha * q[i];
      applyNormal();
      const gammaNext = dot(s, s);
      const beta = gammaNext / gamma;
      gamma = gammaNext;
      for (let j = 0; j < n; j++) p[j] = s[j] + beta * p[j];
      iterations++;
      rnorm = Math.sqrt(dot(r, r));
      snorm = Math.sqrt(gamma);
      iteration.push(iterations);
      residualTrace.push(rnorm);
      normalTrace.push(snorm);
      elapsed.push(monotonicNow() - started);
      if (!Number.isFinite(rnorm) || !Number.isFinite(snorm) || !allFinite(x)) {
        x.set(lastFinite);
        status = 'numerical-error';
        message = 'non-finite values (the operator produced Inf/NaN); returning the last finite iterate';
        break;
      }
      if (done()) {
        status = 'converged';
        message =
          snorm <= rtol * atb
            ? `||A^T r - damp^2 x|| = ${snorm.toExponential(3)} <= rtol ||A^T b||`
            : `||b - A x|| = ${rnorm.toExponential(3)} <= atol`;
        break;
      }
    }
  }
  return {
    x,
    status,
    converged: status === 'converged',
    iterations,
    message,
    warnings: [],
    trace: traceOf(iteration, { residualNorm: residualTrace, normalResidualNorm: normalTrace }, elapsed),
    residualNorm: rnorm,
    normalResidualNorm: snorm,
    matvecs,
  };
}

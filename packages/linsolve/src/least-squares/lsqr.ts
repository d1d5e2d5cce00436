import {
  assertAllocation,
  monotonicNow,
  parseOptions,
  type ResultBase,
  type SolveStatus,
  traceOf,
  type Vec,
} from '@argmin/core';
import { lsqrOptions } from '../options';
import { allFinite, type MatrixLike, validateLeastSquares } from '../validate';

/** Options of `lsqr` (scipy's names; `iter_lim` is `maxIterations`). */
export interface LsqrOptions {
  /** Damping λ: minimize ‖A x − b‖² + λ²‖x − x0‖² (scipy `damp`, default 0). */
  readonly damp?: number;
  /** Least-squares test ‖Aᵀr‖/(‖A‖‖r‖) ≤ atol (default 1e-6). */
  readonly atol?: number;
  /** Compatible-system test ‖r‖ ≤ btol‖b‖ + atol‖A‖‖x‖ (default 1e-6). */
  readonly btol?: number;
  /** Stop when the estimate of cond(A) exceeds conlim (default 1e8; 0 disables). */
  readonly conlim?: number;
  /** Iteration limit (scipy `iter_lim`, default 2n). */
  readonly maxIterations?: number;
  /** Starting guess (default zeros); never mutated. */
  readonly x0?: Vec;
}

/**
 * scipy's `istop` codes: 0 x = 0 is exact, 1 compatible system solved to atol/btol, 2 least-squares
 * solution to atol, 3 cond(A) estimate exceeded conlim, 4-6 the same three at machine precision,
 * 7 iteration limit.
 */
export type LsqrStopReason = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

/**
 * Result of `lsqr` on core's `ResultBase`. `iterations` counts bidiagonalization steps (one product
 * with A and one with Aᵀ each), as scipy's `itn`. `status` is 'converged' for istop 0, 1, 2, 4, 5,
 * 'stalled' for 3 and 6 (the condition estimate stopped the run) and 'max-iterations' for 7.
 * `trace.metrics`: `residualNorm` (r1norm), `normalResidualNorm` (‖Aᵀr‖ estimate) per iteration.
 */
export interface LsqrResult extends ResultBase {
  readonly x: Vec;
  /** scipy's `istop`. */
  readonly stopReason: LsqrStopReason;
  /** ‖b − A x‖ (scipy `r1norm`, estimated by the recurrence). */
  readonly residualNorm: number;
  /** √(‖b − A x‖² + damp²‖x − x0‖²) (scipy `r2norm`). */
  readonly dampedResidualNorm: number;
  /** Frobenius-norm estimate of [A; damp I] (scipy `anorm`). */
  readonly normA: number;
  /** Condition-number estimate (scipy `acond`). */
  readonly condA: number;
  /** ‖Aᵀr − damp² x‖ estimate (scipy `arnorm`). */
  readonly normalResidualNorm: number;
  /** ‖x‖ estimate (scipy `xnorm`). */
  readonly xNorm: number;
  /** Products with A and with Aᵀ. */
  readonly matvecs: number;
}

const eps = Number.EPSILON;
const messages = [
  'The exact solution is x = 0 (or x0)',
  'A x - b is small enough, given atol, btol',
  'The least-squares solution is good enough, given atol',
  'The estimate of cond(Abar) has exceeded conlim',
  'A x - b is small enough for this machine',
  'The least-squares solution is good enough for this machine',
  'Cond(Abar) seems to be too large for this machine',
  'The iteration limit has been reached',
] as const;

/** Stable plane rotation [c s; −s c][a; b] = [r; 0] with r ≥ 0 when a dominates (Paige & Saunders' sym_ortho). */
function symOrtho(a: number, b: number): [number, number, number] {
  if (b === 0) return [Math.sign(a) || 1, 0, Math.abs(a)];
  if (a === 0) return [0, Math.sign(b), Math.abs(b)];
  if (Math.abs(b) > Math.abs(a)) {
    const tau = a / b;
    const s = Math.sign(b) / Math.sqrt(1 + tau * tau);
    return [s * tau, s, b / s];
  }
  const tau = b / a;
  const c = Math.sign(a) / Math.sqrt(1 + tau * tau);
  return [c, c * tau, a / c];
}

function norm2(v: Vec): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/**
 * LSQR (Paige & Saunders 1982) for min ‖A x − b‖² + damp²‖x − x0‖² with A any m × n operator that
 * has `applyAdjoint`: Golub–Kahan bidiagonalization βu = A v − αu, αv = Aᵀu − βv, a QR of the lower
 * bidiagonal by plane rotations (φ̄, ρ̄ as in the paper), x ← x + (φ/ρ) w, w ← v − (θ/ρ) w.
 * Iteration for iteration as scipy's `lsqr`, with its stopping tests (atol, btol, conlim and their
 * machine-precision versions) and norm estimates; `stopReason` is scipy's `istop`. Square,
 * tall (least squares) and wide (minimum-norm solution from x0 = 0) systems alike.
 *
 * @see C. C. Paige, M. A. Saunders, LSQR: An algorithm for sparse linear equations and sparse least squares, ACM TOMS 8 (1982)
 * @see scipy.sparse.linalg.lsqr
 */
export function lsqr(A: MatrixLike, b: Vec, options: LsqrOptions = {}): LsqrResult {
  const where = 'linsolve/lsqr';
  const parsed = parseOptions(where, lsqrOptions, options);
  const operator = validateLeastSquares(where, A, b, parsed.x0);
  const m = operator.rows;
  const n = operator.cols;
  const { damp, atol, btol, conlim } = parsed;
  const iterLimit = parsed.maxIterations ?? 2 * n;
  assertAllocation(where, `LSQR's vectors for a ${m} x ${n} system`, 2 * m + 4 * n);
  const started = monotonicNow();
  const ctol = conlim > 0 ? 1 / conlim : 0;
  const dampsq = damp * damp;
  const x = parsed.x0 ? parsed.x0.slice() : new Float64Array(n);
  const u = new Float64Array(m);
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  const workM = new Float64Array(m);
  const workN = new Float64Array(n);
  const lastFinite = x.slice();
  let matvecs = 0;
  const bnorm = norm2(b);
  u.set(b);
  if (parsed.x0) {
    operator.apply(x, workM);
    matvecs++;
    for (let i = 0; i < m; i++) u[i] -= workM[i];
  }
  let beta = norm2(u);
  let alfa = 0;
  if (beta > 0) {
    for (let i = 0; i < m; i++) u[i] /= beta;
    operator.applyAdjoint?.(u, v);
    matvecs++;
    alfa = norm2(v);
  }
  if (alfa > 0) for (let j = 0; j < n; j++) v[j] /= alfa;
  w.set(v);
  let anorm = 0;
  let acond = 0;
  let ddnorm = 0;
  let res2 = 0;
  let xnorm = 0;
  let xxnorm = 0;
  let z = 0;
  let cs2 = -1;
  let sn2 = 0;
  let rhobar = alfa;
  let phibar = beta;
  let rnorm = beta;
  let r1norm = rnorm;
  let r2norm = rnorm;
  let arnorm = alfa * beta;
  let itn = 0;
  let istop: LsqrStopReason = 0;
  const iteration = [0];
  const residualTrace = [r1norm];
  const normalTrace = [arnorm];
  const elapsed = [0];
  let status: SolveStatus = 'converged';
  let message: string = messages[0];
  if (arnorm !== 0 && !Number.isFinite(arnorm)) {
    status = 'numerical-error';
    message = 'the operator produced non-finite values at the start; returning x0';
  } else if (arnorm !== 0) {
    istop = 7;
    if (iterLimit === 0) message = messages[7];
    while (itn < iterLimit) {
      itn++;
      // bidiagonalization: βu = A v − αu, αv = Aᵀu − βv
      operator.apply(v, workM);
      matvecs++;
      for (let i = 0; i < m; i++) u[i] = workM[i] - alfa * u[i];
      beta = norm2(u);
      if (beta > 0) {
        for (let i = 0; i < m; i++) u[i] /= beta;
        anorm = Math.sqrt(anorm * anorm + alfa * alfa + beta * beta + dampsq);
        operator.applyAdjoint?.(u, workN);
        matvecs++;
        for (let j = 0; j < n; j++) v[j] = workN[j] - beta * v[j];
        alfa = norm2(v);
        if (alfa > 0) for (let j = 0; j < n; j++) v[j] /= alfa;
      }
      // eliminate the damping parameter (a rotation that alters the diagonal ρ̄)
      let rhobar1 = rhobar;
      let psi = 0;
      if (damp > 0) {
        rhobar1 = Math.sqrt(rhobar * rhobar + dampsq);
        const cs1 = rhobar / rhobar1;
        const sn1 = damp / rhobar1;
        psi = sn1 * phibar;
        phibar = cs1 * phibar;
      }
      // eliminate the subdiagonal β: lower bidiagonal → upper bidiagonal
      const [cs, sn, rho] = symOrtho(rhobar1, beta);
      const theta = sn * alfa;
      rhobar = -cs * alfa;
      const phi = cs * phibar;
      phibar = sn * phibar;
      const tau = sn * phi;
      // x and w updates; ‖d_k‖² = ‖w/ρ‖² for the condition estimate
      const t1 = phi / rho;
      const t2 = -theta / rho;
      let dk = 0;
      lastFinite.set(x);
      for (let j = 0; j < n; j++) {
        const wj = w[j];
        dk += (wj / rho) ** 2;
        x[j] += t1 * wj;
        w[j] = v[j] + t2 * wj;
      }
      ddnorm += dk;
      // a rotation on the right eliminates θ; estimate ‖x‖
      const delta = sn2 * rho;
      const gambar = -cs2 * rho;
      const rhs = phi - delta * z;
      const zbar = rhs / gambar;
      xnorm = Math.sqrt(xxnorm + zbar * zbar);
      const gamma = Math.sqrt(gambar * gambar + theta * theta);
      cs2 = gambar / gamma;
      sn2 = theta / gamma;
      z = rhs / gamma;
      xxnorm += z * z;
      // norm and condition estimates
      acond = anorm * Math.sqrt(ddnorm);
      const res1 = phibar * phibar;
      res2 += psi * psi;
      rnorm = Math.sqrt(res1 + res2);
      arnorm = alfa * Math.abs(tau);
      if (damp > 0) {
        const r1sq = rnorm * rnorm - dampsq * xxnorm;
        r1norm = Math.sign(r1sq) * Math.sqrt(Math.abs(r1sq));
      } else r1norm = rnorm;
      r2norm = rnorm;
      iteration.push(itn);
      residualTrace.push(r1norm);
      normalTrace.push(arnorm);
      elapsed.push(monotonicNow() - started);
      if (!Number.isFinite(rnorm) || !Number.isFinite(arnorm) || !allFinite(x)) {
        x.set(lastFinite);
        status = 'numerical-error';
        message =
          'non-finite values in the bidiagonalization (the operator produced Inf/NaN); returning the last finite iterate';
        break;
      }
      // stopping tests, in scipy's order (later tests override earlier ones)
      const test1 = rnorm / bnorm;
      const test2 = arnorm / (anorm * rnorm + eps);
      const test3 = 1 / (acond + eps);
      const t1test = test1 / (1 + (anorm * xnorm) / bnorm);
      const rtol = btol + (atol * anorm * xnorm) / bnorm;
      let stop = 0;
      if (itn >= iterLimit) stop = 7;
      if (1 + test3 <= 1) stop = 6;
      if (1 + test2 <= 1) stop = 5;
      if (1 + t1test <= 1) stop = 4;
      if (test3 <= ctol) stop = 3;
      if (test2 <= atol) stop = 2;
      if (test1 <= rtol) stop = 1;
      if (stop !== 0) {
        istop = stop as LsqrStopReason;
        break;
      }
    }
    if (status !== 'numerical-error') {
      message = messages[istop];
      status = istop === 7 ? 'max-iterations' : istop === 3 || istop === 6 ? 'stalled' : 'converged';
    }
  }
  return {
    x,
    status,
    converged: status === 'converged',
    iterations: itn,
    message,
    warnings: [],
    trace: traceOf(iteration, { residualNorm: residualTrace, normalResidualNorm: normalTrace }, elapsed),
    stopReason: istop,
    residualNorm: r1norm,
    dampedResidualNorm: r2norm,
    normA: anorm,
    condA: acond,
    normalResidualNorm: arnorm,
    xNorm: xnorm,
    matvecs,
  };
}

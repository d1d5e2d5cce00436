import {
  assertAllocation,
  monotonicNow,
  nrm2,
  type Operator,
  parseOptions,
  type SolveWarning,
  traceOf,
  type Vec,
} from '@argmin/core';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { KrylovOptions, LinearSolveResult } from '../krylov/driver';
import { resolveOptions } from '../krylov/driver';
import { lartg } from '../krylov/gmres';
import { gcrotCallOptions } from '../options';
import { allFinite, checkRecycleSpace, type MatrixLike } from '../validate';
import type { RecycleSpace } from './gcro-dr';

/**
 * The recycle space GCROT carries between solves: pairs (c_j, u_j) with C = A U and CᵀC = I for the
 * operator of the solve that produced them, plus `pending` directions whose c is not computed yet
 * (scipy's `(None, u)` entries: GCROT appends the solution x). Any `RecycleSpace` (e.g. GCRO-DR's) is
 * accepted as input; the next solve computes c = A u for pending vectors (and for all vectors with
 * `discardC`) and re-orthonormalises by a column-pivoted QR.
 */
export interface GcrotRecycleSpace extends RecycleSpace {
  readonly pending?: readonly Vec[];
}

/** Options of `gcrot` (scipy `gcrotmk` names spelled out). */
export interface GcrotOptions extends KrylovOptions {
  /** Inner FGMRES steps per outer iteration (scipy `m`, default 20). */
  readonly m?: number;
  /** Number of (c, u) pairs carried between outer iterations (scipy `k`, default m). */
  readonly k?: number;
  /** Which pairs to drop when more than k − 1 are kept: 'oldest' (default) or 'smallest' singular values of B R⁻¹. */
  readonly truncate?: 'oldest' | 'smallest';
  /** Recycle space from a previous solve (scipy `CU`); never mutated. */
  readonly recycleSpace?: GcrotRecycleSpace;
  /** Ignore the given C and recompute C = A U for this operator (scipy `discard_C=True`; use it when A changed). */
  readonly discardC?: boolean;
}

/** Result of `gcrot`: the shared solver fields plus the recycle space for the next solve. */
export interface GcrotResult extends LinearSolveResult {
  readonly recycleSpace: GcrotRecycleSpace;
}

const eps = Number.EPSILON;

/** Dot product with four partial sums (independent dependency chains run ~2x faster in V8). */
function dot(a: Vec, b: Vec): number {
  const n = a.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return s0 + s1 + (s2 + s3);
}

function axpy(alpha: number, x: Vec, y: Vec): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}

function scale(alpha: number, y: Vec): void {
  for (let i = 0; i < y.length; i++) y[i] *= alpha;
}

/**
 * Re-orthonormalises a recycle space for operator A as scipy does on entry: c = A u where c is
 * missing, a column-pivoted QR C P = Q R (Gram–Schmidt with the largest remaining column as pivot,
 * reorthogonalised), C := Q, U := U P R⁻¹, dropping columns from the first |R_jj| < 1e-12 |R_00|.
 * Returns the pairs in scipy's order (reversed pivot order, so the least significant pair is oldest).
 */
function reorthogonalise(
  A: Operator,
  space: GcrotRecycleSpace,
  discardC: boolean,
  counter: { matvecs: number },
): { cs: Vec[]; us: Vec[] } {
  const entries: { c?: Vec; u: Vec }[] = [];
  space.U.forEach((u, i) => {
    const c = discardC ? undefined : space.C[i];
    entries.push({ c: c ? c.slice() : undefined, u: u.slice() });
  });
  for (const u of space.pending ?? []) entries.push({ u: u.slice() });
  if (entries.length === 0) return { cs: [], us: [] };
  // scipy sorts with key `c is not None`: entries without c first (stable)
  const sorted = [...entries.filter((e) => !e.c), ...entries.filter((e) => e.c)];
  const columns: Vec[] = [];
  const us: Vec[] = [];
  for (const e of sorted) {
    let c = e.c;
    if (!c) {
      c = new Float64Array(e.u.length);
      A.apply(e.u, c);
      counter.matvecs++;
    }
    columns.push(c);
    us.push(e.u);
  }
  const count = columns.length;
  const perm = columns.map((_, i) => i);
  const R = new Float64Array(count * count); // R[i*count + j], j indexes pivoted positions
  const norms = columns.map((c) => dot(c, c));
  const newCs: Vec[] = [];
  const newUs: Vec[] = [];
  let r00 = 0;
  for (let j = 0; j < count; j++) {
    let p = j;
    for (let q = j + 1; q < count; q++) if (norms[perm[q]] > norms[perm[p]]) p = q;
    if (p !== j) {
      const t = perm[p];
      perm[p] = perm[j];
      perm[j] = t;
      for (let i = 0; i < j; i++) {
        const s = R[i * count + p];
        R[i * count + p] = R[i * count + j];
        R[i * count + j] = s;
      }
    }
    const c = columns[perm[j]];
    // second Gram–Schmidt pass for the pivot column (the first was applied as the columns were updated)
    for (let i = 0; i < j; i++) {
      const t = dot(newCs[i], c);
      R[i * count + j] += t;
      axpy(-t, newCs[i], c);
    }
    const rjj = Math.sqrt(dot(c, c));
    if (j === 0) r00 = rjj;
    if (!(rjj >= 1e-12 * r00) || rjj === 0) break;
    R[j * count + j] = rjj;
    scale(1 / rjj, c);
    // U P R⁻¹ by back substitution: u'_j = (u_{P j} − Σ_{i<j} R_ij u'_i)/R_jj
    const u = us[perm[j]];
    for (let i = 0; i < j; i++) axpy(-R[i * count + j], newUs[i], u);
    scale(1 / rjj, u);
    newCs.push(c);
    newUs.push(u);
    for (let q = j + 1; q < count; q++) {
      const other = columns[perm[q]];
      const t = dot(c, other);
      R[j * count + q] = t;
      axpy(-t, c, other);
      norms[perm[q]] = dot(other, other);
    }
  }
  newCs.reverse();
  newUs.reverse();
  return { cs: newCs, us: newUs };
}

/**
 * GCROT(m, k) (Hicken & Zingg 2010; de Sturler 1999), flexible, with scipy `gcrotmk` semantics.
 * Each outer iteration runs FGMRES(m + max(k − |CU|, 0)) on (I − CCᵀ) A with right preconditioner
 * M (z = M v), stopping early when the least-squares residual drops below max(rtol‖b‖, atol)/β;
 * the update direction u = (Z − U B) y, c = V H y (normalised) is added to the carried pairs, which
 * are truncated to k − 1 first ('oldest' or 'smallest' singular values of B R⁻¹). Convergence
 * (‖b − A x‖ ≤ max(rtol‖b‖, atol)) is confirmed with the true residual. `maxIterations` counts outer
 * iterations (scipy `maxiter`, default 1000); `iterations` counts inner FGMRES steps and `cycles`
 * outer iterations. The returned recycle space carries the pairs plus the solution (pending), as
 * scipy's `CU` list after the call.
 *
 * @see J. E. Hicken, D. W. Zingg, A simplified and flexible variant of GCROT for solving nonsymmetric linear systems, SIAM J. Sci. Comput. 32 (2010)
 * @see scipy.sparse.linalg.gcrotmk
 */
export function gcrot(A: MatrixLike, b: Vec, options: GcrotOptions = {}): GcrotResult {
  const where = 'linsolve/gcrot';
  const parsed = parseOptions(where, gcrotCallOptions, options);
  const { operator, rtol, atol, M, maxIterations } = resolveOptions(where, A, b, {
    ...parsed,
    maxIterations: parsed.maxIterations ?? 1000,
  });
  const m = parsed.m;
  const k = parsed.k ?? m;
  const truncate = parsed.truncate;
  const n = b.length;
  if (parsed.recycleSpace !== undefined) checkRecycleSpace(where, parsed.recycleSpace, n, 'prefix');
  assertAllocation(where, `the GCROT(${m}, ${k}) bases for n = ${n}`, (2 * (m + k) + 1) * n);
  const x = parsed.x0 ? parsed.x0.slice() : new Float64Array(n);
  const r = new Float64Array(n);
  const counter = { matvecs: 0 };
  if (parsed.x0) {
    operator.apply(x, r);
    counter.matvecs++;
    for (let i = 0; i < n; i++) r[i] = b[i] - r[i];
  } else r.set(b);
  const bnorm = nrm2(b);
  const tolerance = Math.max(atol, rtol * bnorm);
  const warnings: SolveWarning[] = [];
  const given = parsed.recycleSpace ?? { U: [], C: [] };
  if (bnorm === 0) {
    return {
      x: new Float64Array(n),
      status: 'converged',
      converged: true,
      iterations: 0,
      cycles: 0,
      matvecs: counter.matvecs,
      residualNorm: 0,
      tolerance,
      trace: traceOf([0], { residualNorm: [0] }, [0]),
      message: 'b = 0: x = 0',
      warnings,
      recycleSpace: given,
    };
  }
  const space = reorthogonalise(operator, given, parsed.discardC, counter);
  let cs = space.cs;
  let us = space.us;
  for (let j = 0; j < cs.length; j++) {
    const yc = dot(cs[j], r);
    axpy(yc, us[j], x);
    axpy(-yc, cs[j], r);
  }
  // workspace, sized for the largest inner dimension m + k (empty CU)
  const mlMax = m + k;
  const m1 = mlMax + 1;
  const V = new Float64Array(m1 * n);
  const Z = M ? new Float64Array(mlMax * n) : V;
  // row views made once, so the inner iteration allocates nothing
  const vRows = Array.from({ length: m1 }, (_, i) => V.subarray(i * n, (i + 1) * n));
  const zRows = M ? Array.from({ length: mlMax }, (_, i) => Z.subarray(i * n, (i + 1) * n)) : vRows;
  const hRaw = new Float64Array(mlMax * m1);
  const hRot = new Float64Array(mlMax * m1);
  const givens = new Float64Array(2 * mlMax);
  const g = new Float64Array(m1);
  const y = new Float64Array(mlMax);
  const hy = new Float64Array(m1);
  let bRows = Math.max(k + 1, cs.length);
  let Bmat = new Float64Array(bRows * mlMax);
  const by = new Float64Array(bRows);
  const started = monotonicNow();
  const residualTrace: number[] = [];
  const trace = traceOf([], { residualNorm: residualTrace }, []);
  let iterations = 0;
  let cycles = 0;
  let status: 'converged' | 'max-iterations' | 'numerical-error' = 'max-iterations';
  let message = `reached maxIterations = ${maxIterations} outer iterations`;
  let residual = Number.NaN;
  // the last finite iterate: an outer iteration that produces non-finite numbers returns this one
  const lastFinite = x.slice();
  for (let outer = 0; outer < maxIterations; outer++) {
    if (!allFinite(x) || !Number.isFinite(nrm2(r))) {
      status = 'numerical-error';
      message =
        'non-finite values in the iterate or residual (the operator or preconditioner produced Inf/NaN); returning the last finite iterate';
      x.set(lastFinite);
      break;
    }
    lastFinite.set(x);
    let beta = nrm2(r);
    if (beta <= tolerance && (outer > 0 || cs.length > 0)) {
      // recompute the residual to avoid rounding error (scipy)
      operator.apply(x, r);
      counter.matvecs++;
      for (let i = 0; i < n; i++) r[i] = b[i] - r[i];
      beta = nrm2(r);
    }
    trace.iteration.push(iterations);
    residualTrace.push(beta);
    trace.elapsedMs.push(monotonicNow() - started);
    if (beta <= tolerance) {
      status = 'converged';
      residual = beta;
      message = `||b - A x|| = ${beta.toExponential(3)} <= max(rtol*||b||, atol) = ${tolerance.toExponential(3)}`;
      break;
    }
    const ncu = cs.length;
    if (ncu > bRows) {
      bRows = ncu;
      Bmat = new Float64Array(bRows * mlMax);
    }
    const ml = m + Math.max(k - ncu, 0);
    // ---- FGMRES(ml) on (I − C Cᵀ) A, v0 = r/β
    const innerTol = tolerance / beta;
    const v0 = vRows[0];
    for (let i = 0; i < n; i++) v0[i] = r[i] / beta;
    g.fill(0);
    g[0] = 1;
    let breakdown = false;
    let j = 0;
    for (j = 0; j < ml; j++) {
      const vj = vRows[j];
      const w = vRows[j + 1];
      const z = zRows[j];
      if (M) M.apply(vj, z);
      operator.apply(z, w);
      counter.matvecs++;
      iterations++;
      const wNorm = Math.sqrt(dot(w, w));
      for (let i = 0; i < ncu; i++) {
        const alpha = dot(cs[i], w);
        Bmat[i * mlMax + j] = alpha;
        axpy(-alpha, cs[i], w);
      }
      const col = j * m1;
      for (let i = 0; i <= j; i++) {
        const vi = vRows[i];
        const alpha = dot(vi, w);
        hRaw[col + i] = alpha;
        axpy(-alpha, vi, w);
      }
      const hLast = Math.sqrt(dot(w, w));
      hRaw[col + j + 1] = hLast;
      const inv = 1 / hLast;
      if (Number.isFinite(inv)) scale(inv, w);
      if (!(hLast > eps * wNorm)) breakdown = true;
      for (let i = 0; i <= j + 1; i++) hRot[col + i] = hRaw[col + i];
      for (let i = 0; i < j; i++) {
        const c = givens[2 * i];
        const s = givens[2 * i + 1];
        const a0 = hRot[col + i];
        const a1 = hRot[col + i + 1];
        hRot[col + i] = c * a0 + s * a1;
        hRot[col + i + 1] = -s * a0 + c * a1;
      }
      const [c, s, mag] = lartg(hRot[col + j], hRot[col + j + 1]);
      givens[2 * j] = c;
      givens[2 * j + 1] = s;
      hRot[col + j] = mag;
      hRot[col + j + 1] = 0;
      g[j + 1] = -s * g[j];
      g[j] = c * g[j];
      if (Math.abs(g[j + 1]) < innerTol || breakdown) break;
    }
    if (j === ml) j = ml - 1;
    cycles++;
    if (!Number.isFinite(hRot[j * m1 + j])) {
      status = 'numerical-error';
      message = 'non-finite values in the inner FGMRES (overflow or NaN)';
      break;
    }
    // y = β R⁻¹ g (R upper triangular; a zero pivot after an exact breakdown contributes 0)
    for (let p = j; p >= 0; p--) {
      let t = g[p];
      for (let q = p + 1; q <= j; q++) t -= hRot[q * m1 + p] * y[q];
      const d = hRot[p * m1 + p];
      y[p] = d !== 0 ? t / d : 0;
    }
    for (let p = 0; p <= j; p++) y[p] *= beta;
    // ux = Z y − U (B y),  cx = V H y
    const ux = new Float64Array(n);
    for (let p = 0; p <= j; p++) axpy(y[p], zRows[p], ux);
    for (let i = 0; i < ncu; i++) {
      let t = 0;
      for (let p = 0; p <= j; p++) t += Bmat[i * mlMax + p] * y[p];
      by[i] = t;
      axpy(-t, us[i], ux);
    }
    hy.fill(0);
    for (let p = 0; p <= j; p++) for (let i = 0; i <= p + 1; i++) hy[i] += hRaw[p * m1 + i] * y[p];
    const cx = new Float64Array(n);
    for (let i = 0; i <= j + 1; i++) axpy(hy[i], vRows[i], cx);
    const alpha = 1 / Math.sqrt(dot(cx, cx));
    if (!Number.isFinite(alpha)) {
      warnings.push({
        type: 'numerical',
        message: `outer iteration ${outer}: the new direction c = A u vanished; skipped (scipy's behaviour)`,
      });
      continue;
    }
    scale(alpha, cx);
    scale(alpha, ux);
    const gamma = dot(cx, r);
    axpy(-gamma, cx, r);
    axpy(gamma, ux, x);
    // truncate the carried pairs
    if (truncate === 'oldest') {
      const drop = Math.max(0, cs.length - Math.max(k - 1, 0));
      if (cs.length >= k && drop > 0) {
        cs = cs.slice(drop);
        us = us.slice(drop);
      }
    } else if (cs.length >= k && cs.length > 0) {
      const next = smallestTruncation(cs, us, Bmat, mlMax, hRot, m1, j, k);
      cs = next.cs;
      us = next.us;
    }
    cs.push(cx);
    us.push(ux);
  }
  if (status === 'max-iterations' && !allFinite(x)) {
    status = 'numerical-error';
    message = 'the last outer iteration produced non-finite values; returning the last finite iterate';
    x.set(lastFinite);
  }
  if (Number.isNaN(residual)) {
    const work = new Float64Array(n);
    operator.apply(x, work);
    counter.matvecs++;
    let s = 0;
    for (let i = 0; i < n; i++) s += (b[i] - work[i]) ** 2;
    residual = Math.sqrt(s);
    if (!Number.isFinite(residual) && status !== 'numerical-error') {
      status = 'numerical-error';
      message = 'the true residual of the returned x is non-finite (the operator produced Inf/NaN)';
    }
    if (status === 'max-iterations' && residual <= tolerance) {
      status = 'converged';
      message = `converged in the last allowed outer iteration: ||b - A x|| = ${residual.toExponential(3)}`;
    }
    trace.iteration.push(iterations);
    residualTrace.push(residual);
    trace.elapsedMs.push(monotonicNow() - started);
  }
  return {
    x,
    status,
    converged: status === 'converged',
    iterations,
    cycles,
    matvecs: counter.matvecs,
    residualNorm: residual,
    tolerance,
    trace,
    message,
    warnings,
    recycleSpace:
      status === 'numerical-error' && !(us.every(allFinite) && cs.every(allFinite))
        ? given
        : { U: us, C: cs, pending: [x.slice()] },
  };
}

/**
 * 'smallest' truncation (de Sturler 1999; Hicken & Zingg 2010): D = B R⁻¹ (|CU| × (j+1)); keep the
 * k − 1 combinations of the pairs along D's leading left singular vectors W, reorthonormalised.
 */
function smallestTruncation(
  cs: Vec[],
  us: Vec[],
  Bmat: Float64Array,
  ldb: number,
  hRot: Float64Array,
  m1: number,
  j: number,
  k: number,
): { cs: Vec[]; us: Vec[] } {
  const count = cs.length;
  const cols = j + 1;
  // D = B R⁻¹ row by row: d R = b_row
  const DDt = new Matrix(count, count);
  const D = new Float64Array(count * cols);
  for (let i = 0; i < count; i++) {
    for (let l = 0; l < cols; l++) {
      let t = Bmat[i * ldb + l];
      for (let p = 0; p < l; p++) t -= D[i * cols + p] * hRot[l * m1 + p];
      D[i * cols + l] = t / hRot[l * m1 + l];
    }
  }
  for (let i = 0; i < count; i++)
    for (let q = 0; q <= i; q++) {
      let t = 0;
      for (let l = 0; l < cols; l++) t += D[i * cols + l] * D[q * cols + l];
      DDt.set(i, q, t);
      DDt.set(q, i, t);
    }
  // left singular vectors of D = eigenvectors of D Dᵀ, largest first
  const eig = new EigenvalueDecomposition(DDt, { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const vectors = eig.eigenvectorMatrix;
  const order = values.map((_, i) => i).sort((a, b2) => values[b2] - values[a]);
  const keep = Math.max(k - 1, 0);
  const n = cs[0].length;
  const newCs: Vec[] = [];
  const newUs: Vec[] = [];
  for (let col = 0; col < keep && col < count; col++) {
    const c = new Float64Array(n);
    const u = new Float64Array(n);
    for (let p = 0; p < count; p++) {
      const wp = vectors.get(p, order[col]);
      axpy(wp, cs[p], c);
      axpy(wp, us[p], u);
    }
    for (let q = 0; q < newCs.length; q++) {
      const a = dot(newCs[q], c);
      axpy(-a, newCs[q], c);
      axpy(-a, newUs[q], u);
    }
    const norm = Math.sqrt(dot(c, c));
    scale(1 / norm, c);
    scale(1 / norm, u);
    newCs.push(c);
    newUs.push(u);
  }
  return { cs: newCs, us: newUs };
}

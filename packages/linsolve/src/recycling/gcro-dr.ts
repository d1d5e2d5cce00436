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
import { solve as denseSolve, EigenvalueDecomposition, Matrix, QrDecomposition } from 'ml-matrix';
import { type LinearSolveResult, trueResidualNorm } from '../krylov/driver';
import { lartg } from '../krylov/gmres';
import { gcroDrCallOptions } from '../options';
import { allFinite, asOperator, checkRecycleSpace, type MatrixLike, validateSystem } from '../validate';

/**
 * A recycled subspace: `U` (k vectors) and `C` = A U with orthonormal columns (CᵀC = I), for the
 * operator of the solve that produced it. Pass it to the next solve: GCRO-DR recomputes C for the
 * new operator ([Q, R] = qr(A_new U), C = Q, U ← U R⁻¹, the SKR carry-over and scipy's
 * `discard_C=True`). Plain data: keep it, inspect it, serialize it.
 */
export interface RecycleSpace {
  readonly U: readonly Vec[];
  readonly C: readonly Vec[];
}

/** Options of `gcroDr`. */
export interface GcroDrOptions {
  /** Maximum subspace dimension m per cycle (SKR / PETSc `-ksp_gmres_restart`, default 40). */
  readonly restart?: number;
  /** Number of recycled (deflation) vectors k (SKR / PETSc `-ksp_hpddm_recycle`, default 20). */
  readonly recycle?: number;
  /** Relative tolerance: ‖b − A x‖ ≤ max(rtol·‖b‖, atol). Default 1e-5. */
  readonly rtol?: number;
  /** Absolute tolerance. Default 0. */
  readonly atol?: number;
  /** Maximum restart cycles (default 10n / restart, at least 100). */
  readonly maxIterations?: number;
  /** Starting guess (default zeros). */
  readonly x0?: Vec;
  /** Recycle space from a previous solve (its C is recomputed for this operator). */
  readonly recycleSpace?: RecycleSpace;
}

/**
 * Result of `gcroDr`: the shared `LinearSolveResult` fields (`iterations` = Arnoldi steps, `cycles` =
 * restart cycles, `trace.metrics.residualNorm` = the true residual after each cycle) plus the recycle
 * space to carry to the next system.
 */
export interface GcroDrResult extends LinearSolveResult {
  readonly status: 'converged' | 'max-iterations' | 'numerical-error' | 'stalled';
  readonly recycleSpace: RecycleSpace;
}

/** y += alpha x (small helper so V8 optimizes the hot loop on its own). */
function axpyInPlace(alpha: number, x: Vec, y: Vec): void {
  const n = y.length;
  for (let p = 0; p < n; p++) y[p] += alpha * x[p];
}

function scaleInPlace(alpha: number, y: Vec): void {
  for (let p = 0; p < y.length; p++) y[p] *= alpha;
}

function dotv(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Thin QR of the columns `vectors` by modified Gram–Schmidt, twice: returns Q (in place) and R (k×k, row-major). */
function mgsQr(vectors: Vec[]): Float64Array {
  const k = vectors.length;
  const R = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    const v = vectors[j];
    for (let pass = 0; pass < 2; pass++)
      for (let i = 0; i < j; i++) {
        const t = dotv(vectors[i], v);
        R[i * k + j] += t;
        axpyInPlace(-t, vectors[i], v);
      }
    const norm = Math.sqrt(dotv(v, v));
    R[j * k + j] = norm;
    if (norm > 0) for (let p = 0; p < v.length; p++) v[p] /= norm;
  }
  return R;
}

/** U ← U R⁻¹ for upper-triangular R (column j of U R⁻¹ = (u_j − Σ_{i<j} R_ij w_i)/R_jj). */
function rightSolveUpper(U: Vec[], R: Float64Array | number[][], k: number): Vec[] {
  const get = (i: number, j: number) => (R instanceof Float64Array ? R[i * k + j] : R[i][j]);
  const out: Vec[] = [];
  for (let j = 0; j < k; j++) {
    const w = U[j].slice();
    for (let i = 0; i < j; i++) {
      const f = get(i, j);
      if (f !== 0) axpyInPlace(-f, out[i], w);
    }
    const d = get(j, j);
    for (let p = 0; p < w.length; p++) w[p] /= d;
    out.push(w);
  }
  return out;
}

/** Combination Σ_j coefficients[j]·basis[j] into a new vector. */
function combine(basis: readonly Vec[], coefficients: ArrayLike<number>, n: number): Vec {
  const out = new Float64Array(n);
  for (let j = 0; j < basis.length; j++) {
    if (coefficients[j] !== 0) axpyInPlace(coefficients[j], basis[j], out);
  }
  return out;
}

/**
 * The k harmonic Ritz vectors of smallest |θ| from GᵀG z = θ GᵀŴᵀV̂ z (Parks et al. 2006, eq. 2.16),
 * returned as an m×k matrix P (complex pairs contribute their real and imaginary parts).
 */
export function harmonicRitzVectors(G: Matrix, WtV: Matrix, k: number): Matrix | undefined {
  const left = G.transpose().mmul(G);
  const right = G.transpose().mmul(WtV);
  let product: Matrix;
  try {
    product = denseSolve(right, left);
  } catch {
    return undefined;
  }
  const decomposition = new EigenvalueDecomposition(product);
  const re = decomposition.realEigenvalues;
  const im = decomposition.imaginaryEigenvalues;
  const vectors = decomposition.eigenvectorMatrix;
  const order = re.map((_, i) => i).sort((a, b) => Math.hypot(re[a], im[a]) - Math.hypot(re[b], im[b]));
  const m = G.columns;
  const columns: number[] = [];
  const taken = new Set<number>();
  for (const i of order) {
    if (columns.length >= k) break;
    if (taken.has(i)) continue;
    if (im[i] !== 0) {
      // ml-matrix stores a conjugate pair as consecutive columns [Re, Im]
      const first = im[i] > 0 ? i : i - 1;
      taken.add(first);
      taken.add(first + 1);
      columns.push(first);
      if (columns.length < k) columns.push(first + 1);
    } else {
      taken.add(i);
      columns.push(i);
    }
  }
  for (const c of columns) {
    for (let r = 0; r < m; r++) if (!Number.isFinite(vectors.get(r, c))) return undefined;
  }
  const P = new Matrix(m, columns.length);
  columns.forEach((c, j) => {
    for (let r = 0; r < m; r++) P.set(r, j, vectors.get(r, c));
  });
  return P;
}

/**
 * GCRO-DR(m, k): GMRES with deflated restarting and Krylov subspace recycling (Parks, de Sturler,
 * Mackey, Johnson & Maiti 2006), the solver SKR runs over sorted sequences of systems.
 *
 * Per system: carry the previous U over ([Q, R] = qr(A U), C = Q, U ← U R⁻¹; x += U Cᵀr, r −= C Cᵀr),
 * or, without a space, run one GMRES(m) cycle and extract k harmonic Ritz vectors. Then cycles of
 * m − k Arnoldi steps with (I − CCᵀ)A (B = CᵀA V), the least-squares problem
 * min ‖Ŵᵀr − G y‖ with V̂ = [U D, V], Ŵ = [C, V⁺], G = [[D, B], [0, H̄]] (solved by Givens rotations,
 * stopping a cycle early when the residual estimate passes the tolerance), and a new space from the
 * k harmonic Ritz vectors of GᵀG z = θ GᵀŴᵀV̂ z: Ỹ = V̂ P, [Q, R] = qr(G P), C = Ŵ Q, U = Ỹ R⁻¹.
 * The true residual is computed after every cycle (scipy's semantics). With k = 0 it is GMRES(m).
 * `iterations` counts Arnoldi steps over all cycles, `cycles` restart cycles (what `maxIterations`
 * limits, default max(100, ⌈10n/m⌉)); `matvecs` adds the carry-over products (k) and true-residual checks.
 *
 * @see Wang et al., Accelerating Data Generation for Neural Operators via Krylov Subspace Recycling (ICLR 2024), arXiv:2401.09516
 * @see Parks et al., Recycling Krylov subspaces for sequences of linear systems, SIAM J. Sci. Comput. 28 (2006)
 */
export function gcroDr(A: MatrixLike, b: Vec, options: GcroDrOptions = {}): GcroDrResult {
  const where = 'linsolve/gcro-dr';
  const parsed = parseOptions(where, gcroDrCallOptions, options);
  const operator = asOperator(where, 'A', A);
  const { rtol, atol } = parsed;
  validateSystem(where, operator, b, parsed.x0, rtol, atol);
  const n = b.length;
  // restart >= 2 (schema); on a 1-unknown system one Arnoldi step is all there is
  const m = Math.max(1, Math.min(parsed.restart, n));
  const kTarget = Math.max(0, Math.min(parsed.recycle, m - 1));
  const maxCycles = parsed.maxIterations ?? Math.max(100, Math.ceil((10 * n) / m));
  assertAllocation(where, `the GCRO-DR(${m}, ${kTarget}) bases for n = ${n}`, (2 * m + 2 * kTarget + 4) * n);
  if (parsed.recycleSpace !== undefined) checkRecycleSpace(where, parsed.recycleSpace, n, 'same');
  const bnorm = nrm2(b);
  const tolerance = Math.max(atol, rtol * bnorm);
  const warnings: SolveWarning[] = [];
  const x = parsed.x0 ? parsed.x0.slice() : new Float64Array(n);
  const r = new Float64Array(n);
  let matvecs = 0;
  let residual = trueResidualNorm(operator, b, x, r);
  for (let i = 0; i < n; i++) r[i] = b[i] - r[i];
  if (parsed.x0) matvecs++;
  const started = monotonicNow();
  const residualTrace = [residual];
  const trace = traceOf([0], { residualNorm: residualTrace }, [monotonicNow() - started]);
  let U: Vec[] = [];
  let C: Vec[] = [];
  // carry-over of a recycled space to this operator
  if (parsed.recycleSpace && parsed.recycleSpace.U.length > 0 && kTarget > 0) {
    const incoming = parsed.recycleSpace.U.slice(0, kTarget);
    const AU = incoming.map((u) => operator.apply(u, new Float64Array(n)));
    matvecs += AU.length;
    const R = mgsQr(AU);
    let rank = AU.length;
    const rmax = Math.max(...AU.map((_, j) => Math.abs(R[j * AU.length + j])));
    for (let j = 0; j < AU.length; j++)
      if (!(Math.abs(R[j * AU.length + j]) > 1e-12 * rmax)) rank = Math.min(rank, j);
    if (rank < AU.length)
      warnings.push({
        type: 'numerical',
        message: `recycle space was rank deficient for this operator; kept ${rank} of ${AU.length} vectors`,
      });
    C = AU.slice(0, rank);
    U = rightSolveUpper(incoming.slice(0, rank), R, AU.length);
    // x += U Cᵀ r; r −= C Cᵀ r
    for (let j = 0; j < C.length; j++) {
      const t = dotv(C[j], r);
      const u = U[j];
      const c = C[j];
      for (let p = 0; p < n; p++) {
        x[p] += t * u[p];
        r[p] -= t * c[p];
      }
    }
    residual = Math.sqrt(dotv(r, r));
  }
  let iterations = 0;
  let cycles = 0;
  let status: GcroDrResult['status'] = 'max-iterations';
  let message = `reached maxIterations = ${maxCycles} cycles`;
  const work = new Float64Array(n);
  // the last finite iterate and its residual: a cycle that produces non-finite numbers returns these
  const lastFinite = x.slice();
  let lastFiniteResidual = residual;
  if (!Number.isFinite(residual)) {
    status = 'numerical-error';
    message = 'the initial residual is non-finite (the operator produced Inf/NaN); returning x0';
  }
  while (cycles < maxCycles && status !== 'numerical-error') {
    if (residual <= tolerance) {
      const check = trueResidualNorm(operator, b, x, work);
      matvecs++;
      if (check <= tolerance) {
        residual = check;
        status = 'converged';
        message = `||b - A x|| = ${check.toExponential(3)} <= ${tolerance.toExponential(3)}`;
        break;
      }
      for (let p = 0; p < n; p++) r[p] = b[p] - work[p];
      residual = check;
    }
    const k = C.length;
    const steps = m - k;
    // Ũ = U D: unit columns
    const dScale = U.map((u) => 1 / Math.sqrt(dotv(u, u)));
    const Utilde = U.map((u, j) => u.map((v) => v * dScale[j]));
    // Arnoldi with (I − CCᵀ)A
    const V: Vec[] = [r.map((v) => v / residual)];
    const Hbar: number[][] = []; // Hbar[j] = column j, length j+2
    const B: number[][] = []; // B[j] = Cᵀ A v_j
    // Givens QR of G (size (k+steps+1) × (k+steps)); first k columns are diag(D) with no rotation
    const rhs = new Float64Array(k + steps + 1);
    for (let j = 0; j < k; j++) rhs[j] = dotv(C[j], r);
    rhs[k] = residual;
    const Rcols: Float64Array[] = [];
    const rotations: [number, number][] = [];
    let estimate = residual;
    let done = 0;
    let breakdown = false;
    for (let j = 0; j < steps; j++) {
      const w = operator.apply(V[j], new Float64Array(n));
      matvecs++;
      iterations++;
      const bj: number[] = new Array(k).fill(0);
      for (let pass = 0; pass < 2; pass++)
        for (let i = 0; i < k; i++) {
          const t = dotv(C[i], w);
          bj[i] += t;
          axpyInPlace(-t, C[i], w);
        }
      const h: number[] = new Array(j + 2).fill(0);
      const h0 = Math.sqrt(dotv(w, w));
      for (let pass = 0; pass < 2; pass++)
        for (let i = 0; i <= j; i++) {
          const t = dotv(V[i], w);
          h[i] += t;
          axpyInPlace(-t, V[i], w);
        }
      const hNext = Math.sqrt(dotv(w, w));
      h[j + 1] = hNext;
      if (hNext <= Number.EPSILON * h0) breakdown = true;
      else scaleInPlace(1 / hNext, w);
      V.push(w);
      Hbar.push(h);
      B.push(bj);
      // column k+j of G: [bj; h], rotated by previous rotations on rows k.. (the top k rows stay)
      const col = new Float64Array(k + j + 2);
      for (let i = 0; i < k; i++) col[i] = bj[i];
      for (let i = 0; i < j + 2; i++) col[k + i] = h[i];
      for (let i = 0; i < j; i++) {
        const [c, s] = rotations[i];
        const a0 = col[k + i];
        const a1 = col[k + i + 1];
        col[k + i] = c * a0 + s * a1;
        col[k + i + 1] = -s * a0 + c * a1;
      }
      const [c, s, mag] = lartg(col[k + j], col[k + j + 1]);
      rotations.push([c, s]);
      col[k + j] = mag;
      col[k + j + 1] = 0;
      const t0 = rhs[k + j];
      rhs[k + j] = c * t0;
      rhs[k + j + 1] = -s * t0;
      Rcols.push(col);
      done = j + 1;
      // residual of the LS problem: rows k+j+1 (rotated tail); top block solved exactly by y1
      estimate = Math.abs(rhs[k + j + 1]);
      if (estimate <= tolerance || breakdown) break;
    }
    // back substitution: R y = rhs[0..k+done), R = [[D, B], [0, R_H]] (columns: k identity-scaled, then Rcols)
    const size = k + done;
    const y = new Float64Array(size);
    for (let j = done - 1; j >= 0; j--) {
      let s = rhs[k + j];
      for (let i = j + 1; i < done; i++) s -= Rcols[i][k + j] * y[k + i];
      y[k + j] = s / Rcols[j][k + j];
    }
    for (let i = 0; i < k; i++) {
      // row i: D_ii y_i + Σ_j B[j][i] y_{k+j} = rhs[i], with A ũ_i = c_i/‖u_i‖ so D_ii = 1/‖u_i‖
      let s = rhs[i];
      for (let j = 0; j < done; j++) s -= Rcols[j][i] * y[k + j];
      y[i] = s / dScale[i];
    }
    // x += V̂ y, V̂ = [Ũ, V_done]
    const Vhat = [...Utilde, ...V.slice(0, done)];
    for (let j = 0; j < size; j++) {
      axpyInPlace(y[j], Vhat[j], x);
    }
    residual = trueResidualNorm(operator, b, x, work);
    matvecs++;
    for (let p = 0; p < n; p++) r[p] = b[p] - work[p];
    cycles++;
    trace.iteration.push(iterations);
    residualTrace.push(residual);
    trace.elapsedMs.push(monotonicNow() - started);
    if (!Number.isFinite(residual) || !allFinite(x)) {
      status = 'numerical-error';
      message = 'the residual became non-finite; returning the last finite iterate';
      x.set(lastFinite);
      residual = lastFiniteResidual;
      break;
    }
    lastFinite.set(x);
    lastFiniteResidual = residual;
    if (residual <= tolerance) {
      status = 'converged';
      message = `||b - A x|| = ${residual.toExponential(3)} <= ${tolerance.toExponential(3)}`;
    }
    // new recycle space from harmonic Ritz vectors (also after convergence: it is what the next system reuses)
    if (kTarget > 0 && size > 0) {
      const Wcols = size + 1;
      const G = new Matrix(Wcols, size);
      for (let i = 0; i < k; i++) G.set(i, i, dScale[i]);
      for (let j = 0; j < done; j++) {
        for (let i = 0; i < k; i++) G.set(i, k + j, B[j][i]);
        for (let i = 0; i < Hbar[j].length; i++) G.set(k + i, k + j, Hbar[j][i]);
      }
      const What = [...C, ...V.slice(0, done + 1)];
      const WtV = new Matrix(Wcols, size);
      for (let i = 0; i < Wcols; i++)
        for (let j = 0; j < size; j++) {
          if (i >= k && j >= k) WtV.set(i, j, i - k === j - k ? 1 : 0);
          else if (i < k && j >= k) WtV.set(i, j, 0);
          else WtV.set(i, j, dotv(What[i], Vhat[j]));
        }
      const P = harmonicRitzVectors(G, WtV, Math.min(kTarget, size));
      if (P) {
        const qr = new QrDecomposition(G.mmul(P));
        const Q = qr.orthogonalMatrix;
        const Rm = qr.upperTriangularMatrix.to2DArray();
        const kk = P.columns;
        let ok = true;
        for (let j = 0; j < kk; j++) if (!(Math.abs(Rm[j][j]) > 1e-14)) ok = false;
        if (ok) {
          const Ytilde = Array.from({ length: kk }, (_, j) => combine(Vhat, P.getColumn(j), n));
          C = Array.from({ length: kk }, (_, j) => combine(What, Q.getColumn(j), n));
          U = rightSolveUpper(Ytilde, Rm, kk);
        } else
          warnings.push({
            type: 'numerical',
            message: 'harmonic Ritz basis was rank deficient; kept the previous recycle space',
          });
      } else
        warnings.push({
          type: 'numerical',
          message: 'harmonic Ritz eigenproblem was singular; kept the previous recycle space',
        });
    }
    if (status === 'converged') break;
    if (breakdown && residual > tolerance) {
      status = 'stalled';
      message = `Arnoldi breakdown with true residual ${residual.toExponential(3)} above ${tolerance.toExponential(3)}`;
      break;
    }
  }
  return {
    x,
    status,
    converged: status === 'converged',
    iterations,
    cycles,
    matvecs,
    residualNorm: residual,
    tolerance,
    trace,
    message,
    warnings,
    recycleSpace: { U, C },
  };
}

/** Checks a recycle space against an operator: max |CᵀC − I| and max ‖A u_j − c_j‖. */
export function recycleSpaceDefects(
  A: Operator,
  space: RecycleSpace,
): { orthonormality: number; consistency: number } {
  let orthonormality = 0;
  for (let i = 0; i < space.C.length; i++)
    for (let j = 0; j < space.C.length; j++)
      orthonormality = Math.max(orthonormality, Math.abs(dotv(space.C[i], space.C[j]) - (i === j ? 1 : 0)));
  let consistency = 0;
  const work = new Float64Array(A.rows);
  for (let j = 0; j < space.U.length; j++) {
    A.apply(space.U[j], work);
    let s = 0;
    for (let p = 0; p < work.length; p++) s += (work[p] - space.C[j][p]) ** 2;
    consistency = Math.max(consistency, Math.sqrt(s));
  }
  return { orthonormality, consistency };
}

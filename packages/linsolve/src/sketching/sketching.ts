import {
  assertAllocation,
  type CsrMatrix,
  csrFromDense,
  csrOperator,
  type DenseMatrix,
  denseMatrix,
  InvalidArgumentError,
  monotonicNow,
  parseOptions,
  qr,
  type ResultBase,
  type Rng,
  type SolveStatus,
  traceOf,
  type Vec,
} from '@argmin/core';
import { type LsqrResult, lsqr } from '../least-squares/lsqr';
import { kaczmarzOptions, sketchAndProjectOptions, sketchPreconditionedLsqrOptions } from '../options';
import { allFinite, checkCsr, checkDense, checkVector } from '../validate';

/** Options of `randomizedKaczmarz`. */
export interface KaczmarzOptions {
  /** 'row-norm' (default; P(i) = ‖a_i‖²/‖A‖_F², Strohmer & Vershynin) or 'uniform'. */
  readonly sampling?: 'row-norm' | 'uniform';
  /** Converged when ‖b − A x‖ ≤ max(rtol‖b‖, atol) at a check (default 1e-6). */
  readonly rtol?: number;
  readonly atol?: number;
  /** Row projections between true-residual checks (default m: one pass). */
  readonly checkEvery?: number;
  /** Row projections (default 1000 m). */
  readonly maxIterations?: number;
  readonly x0?: Vec;
}

/** Options of `sketchAndProject`. */
export interface SketchAndProjectOptions {
  /** How SᵀA is formed: 'rows' (block Kaczmarz, default), 'gaussian' or 'count' (CountSketch). */
  readonly sketch?: 'rows' | 'gaussian' | 'count';
  /** Sketch size s (default 10). */
  readonly blockSize?: number;
  readonly rtol?: number;
  readonly atol?: number;
  /** Projections between true-residual checks (default ⌈m / s⌉). */
  readonly checkEvery?: number;
  /** Projections (default 1000 m / s). */
  readonly maxIterations?: number;
  readonly x0?: Vec;
}

/**
 * Result of the sketching solvers on core's `ResultBase`. `iterations` counts projections (one row
 * for Kaczmarz, one sketched block for sketch-and-project). `matvecEquivalents` is the work in units
 * of one product with A (nnz(A) multiply-adds): a Kaczmarz projection costs 2·nnz(a_i)/nnz(A), a
 * sketch-and-project step the cost of forming SᵀA and applying it twice, and each residual check 1.
 * `trace` has one row per check: `metrics.residualNorm` (true ‖b − A x‖) and `metrics.matvecEquivalents`.
 */
export interface SketchingResult extends ResultBase {
  readonly x: Vec;
  /** True ‖b − A x‖ of the returned x. */
  readonly residualNorm: number;
  readonly matvecEquivalents: number;
}

function rowsOf(where: string, A: CsrMatrix | DenseMatrix): CsrMatrix {
  if (A && (A as CsrMatrix).rowPointers instanceof Int32Array) {
    checkCsr(where, 'A', A as CsrMatrix);
    return A as CsrMatrix;
  }
  if (A && (A as DenseMatrix).data instanceof Float64Array) {
    checkDense(where, 'A', A as DenseMatrix);
    return csrFromDense(A as DenseMatrix);
  }
  throw new InvalidArgumentError({
    argument: 'A',
    value: typeof A,
    message: `${where}: \`A\` must be a CsrMatrix or a DenseMatrix (the method samples its rows).`,
  });
}

function checkRng(where: string, rng: Rng): void {
  if (!rng || typeof rng.uniform !== 'function' || typeof rng.integer !== 'function') {
    throw new InvalidArgumentError({
      argument: 'rng',
      value: typeof rng,
      message: `${where}: pass a seeded Rng, e.g. createRng(0), as the third argument.`,
    });
  }
}

/** ‖b − A x‖ into r. */
function residual(A: CsrMatrix, b: Vec, x: Vec, r: Vec): number {
  const { rowPointers, columnIndices, values } = A;
  let s = 0;
  for (let i = 0; i < A.rows; i++) {
    let ax = 0;
    const end = rowPointers[i + 1];
    for (let k = rowPointers[i]; k < end; k++) ax += values[k] * x[columnIndices[k]];
    const ri = b[i] - ax;
    r[i] = ri;
    s += ri * ri;
  }
  return Math.sqrt(s);
}

interface Loop {
  readonly where: string;
  readonly A: CsrMatrix;
  readonly b: Vec;
  readonly x: Vec;
  readonly tolerance: number;
  readonly limit: number;
  readonly checkEvery: number;
  /** One projection; returns its cost in matvec equivalents. */
  step(): number;
}

/** The shared outer loop: projections, a true-residual check every `checkEvery`, last finite x on trouble. */
function runLoop(loop: Loop): SketchingResult {
  const { A, b, x, tolerance, limit, checkEvery } = loop;
  const started = monotonicNow();
  const r = new Float64Array(A.rows);
  const lastFinite = x.slice();
  let work = 0;
  let rnorm = residual(A, b, x, r);
  const iteration = [0];
  const residualTrace = [rnorm];
  const workTrace = [0];
  const elapsed = [0];
  let iterations = 0;
  let status: SolveStatus = 'max-iterations';
  let message = `reached maxIterations = ${limit} projections`;
  if (rnorm <= tolerance) {
    status = 'converged';
    message = 'x0 already meets the tolerance';
  }
  while (status === 'max-iterations' && iterations < limit) {
    lastFinite.set(x);
    const stop = Math.min(limit, iterations + checkEvery);
    while (iterations < stop) {
      work += loop.step();
      iterations++;
    }
    rnorm = residual(A, b, x, r);
    work += 1;
    iteration.push(iterations);
    residualTrace.push(rnorm);
    workTrace.push(work);
    elapsed.push(monotonicNow() - started);
    if (!Number.isFinite(rnorm) || !allFinite(x)) {
      x.set(lastFinite);
      rnorm = residual(A, b, x, r);
      status = 'numerical-error';
      message = 'non-finite values in the projections; returning the last finite iterate (the last check)';
      break;
    }
    if (rnorm <= tolerance) {
      status = 'converged';
      message = `||b - A x|| = ${rnorm.toExponential(3)} <= ${tolerance.toExponential(3)}`;
    }
  }
  return {
    x,
    status,
    converged: status === 'converged',
    iterations,
    message,
    warnings: [],
    trace: traceOf(iteration, { residualNorm: residualTrace, matvecEquivalents: workTrace }, elapsed),
    residualNorm: rnorm,
    matvecEquivalents: work,
  };
}

function prepare(where: string, A: CsrMatrix | DenseMatrix, b: Vec, rng: Rng, x0: Vec | undefined) {
  const matrix = rowsOf(where, A);
  checkVector(where, 'b', b, matrix.rows);
  if (x0 !== undefined) checkVector(where, 'x0', x0, matrix.cols);
  checkRng(where, rng);
  let bnorm = 0;
  for (let i = 0; i < b.length; i++) bnorm += b[i] * b[i];
  return { matrix, bnorm: Math.sqrt(bnorm), nnz: Math.max(1, matrix.rowPointers[matrix.rows]) };
}

/**
 * Randomized Kaczmarz (Strohmer & Vershynin 2009): pick row i with probability ‖a_i‖²/‖A‖_F²
 * ('row-norm', the paper's choice; 'uniform' is the classical random variant) and project onto its
 * hyperplane, x ← x + (b_i − a_iᵀx)/‖a_i‖² · a_i. For consistent systems E‖x_k − x*‖² decays like
 * (1 − σ_min(A)²/‖A‖_F²)^k from x0 (to the solution nearest x0 when A has more columns than rank).
 * The true residual is checked every `checkEvery` projections (default m).
 *
 * @see T. Strohmer, R. Vershynin, A randomized Kaczmarz algorithm with exponential convergence, J. Fourier Anal. Appl. 15 (2009)
 */
export function randomizedKaczmarz(
  A: CsrMatrix | DenseMatrix,
  b: Vec,
  rng: Rng,
  options: KaczmarzOptions = {},
): SketchingResult {
  const where = 'linsolve/randomized-kaczmarz';
  const parsed = parseOptions(where, kaczmarzOptions, options);
  const { matrix, bnorm, nnz } = prepare(where, A, b, rng, parsed.x0);
  const { rows: m, cols: n, rowPointers, columnIndices, values } = matrix;
  assertAllocation(where, `row norms and the iterate for a ${m} x ${n} system`, 3 * m + 2 * n);
  const rowNorms = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let k = rowPointers[i]; k < rowPointers[i + 1]; k++) s += values[k] * values[k];
    rowNorms[i] = s;
  }
  // cumulative distribution for row-norm sampling (binary search on one uniform draw)
  const cumulative = new Float64Array(m);
  let total = 0;
  for (let i = 0; i < m; i++) {
    total += parsed.sampling === 'row-norm' ? rowNorms[i] : 1;
    cumulative[i] = total;
  }
  const x = parsed.x0 ? parsed.x0.slice() : new Float64Array(n);
  const draw = (): number => {
    if (parsed.sampling === 'uniform') return rng.integer(m);
    const target = rng.uniform() * total;
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  return runLoop({
    where,
    A: matrix,
    b,
    x,
    tolerance: Math.max(parsed.rtol * bnorm, parsed.atol),
    limit: parsed.maxIterations ?? 1000 * m,
    checkEvery: parsed.checkEvery ?? m,
    step() {
      const i = draw();
      const start = rowPointers[i];
      const end = rowPointers[i + 1];
      if (rowNorms[i] === 0) return 0;
      let ax = 0;
      for (let k = start; k < end; k++) ax += values[k] * x[columnIndices[k]];
      const t = (b[i] - ax) / rowNorms[i];
      for (let k = start; k < end; k++) x[columnIndices[k]] += t * values[k];
      return (2 * (end - start)) / nnz;
    },
  });
}

/** In-place Cholesky of the s × s SPD matrix G (row-major); false when a pivot is not positive. */
function choleskyInPlace(G: Float64Array, s: number): boolean {
  for (let j = 0; j < s; j++) {
    let d = G[j * s + j];
    for (let k = 0; k < j; k++) d -= G[j * s + k] * G[j * s + k];
    if (!(d > 0)) return false;
    const l = Math.sqrt(d);
    G[j * s + j] = l;
    for (let i = j + 1; i < s; i++) {
      let v = G[i * s + j];
      for (let k = 0; k < j; k++) v -= G[i * s + k] * G[j * s + k];
      G[i * s + j] = v / l;
    }
  }
  return true;
}

/**
 * Sketch-and-project (Gower & Richtárik 2015) for consistent A x = b: draw a sketch S (m × s) and
 * project x onto the solutions of SᵀA x = Sᵀb, x ← x − (SᵀA)ᵀ (SᵀA (SᵀA)ᵀ)⁻¹ Sᵀ(A x − b) (the
 * Euclidean-norm variant, B = I). Sketches: 'rows' — block Kaczmarz, s distinct rows drawn
 * uniformly (Needell & Tropp 2014 with random blocks); 'gaussian' — S with N(0, 1) entries
 * (SᵀA costs s products with A); 'count' — CountSketch, each row added with a random sign to one of s
 * buckets (SᵀA costs one product with A). The s × s system is solved by Cholesky; a rank-deficient
 * sketch (dependent rows) falls back to a ridge of 1e-12·trace on the diagonal.
 *
 * @see R. M. Gower, P. Richtárik, Randomized iterative methods for linear systems, SIAM J. Matrix Anal. Appl. 36 (2015)
 * @see D. Needell, J. A. Tropp, Paved with good intentions: analysis of a randomized block Kaczmarz method, Linear Algebra Appl. 441 (2014)
 */
export function sketchAndProject(
  A: CsrMatrix | DenseMatrix,
  b: Vec,
  rng: Rng,
  options: SketchAndProjectOptions = {},
): SketchingResult {
  const where = 'linsolve/sketch-and-project';
  const parsed = parseOptions(where, sketchAndProjectOptions, options);
  const { matrix, bnorm, nnz } = prepare(where, A, b, rng, parsed.x0);
  const { rows: m, cols: n, rowPointers, columnIndices, values } = matrix;
  const s = parsed.sketch === 'rows' ? Math.min(parsed.blockSize, m) : parsed.blockSize;
  assertAllocation(
    where,
    `a ${s} x ${n} sketched block for a ${m} x ${n} system`,
    s * n + s * s + 2 * m + 3 * n,
  );
  const M = new Float64Array(s * n); // SᵀA, row-major
  const sb = new Float64Array(s); // Sᵀb
  const G = new Float64Array(s * s);
  const y = new Float64Array(s);
  const selected = new Int32Array(m); // a permutation buffer for 'rows'
  for (let i = 0; i < m; i++) selected[i] = i;
  const x = parsed.x0 ? parsed.x0.slice() : new Float64Array(n);
  const addRow = (target: number, i: number, weight: number) => {
    const offset = target * n;
    for (let k = rowPointers[i]; k < rowPointers[i + 1]; k++)
      M[offset + columnIndices[k]] += weight * values[k];
    sb[target] += weight * b[i];
  };
  const formSketch = (): number => {
    M.fill(0);
    sb.fill(0);
    if (parsed.sketch === 'rows') {
      // partial Fisher–Yates: s distinct rows, uniformly
      let rowWork = 0;
      for (let k = 0; k < s; k++) {
        const j = k + rng.integer(m - k);
        const t = selected[k];
        selected[k] = selected[j];
        selected[j] = t;
        addRow(k, selected[k], 1);
        rowWork += rowPointers[selected[k] + 1] - rowPointers[selected[k]];
      }
      return rowWork / nnz;
    }
    if (parsed.sketch === 'count') {
      for (let i = 0; i < m; i++) addRow(rng.integer(s), i, rng.integer(2) === 0 ? -1 : 1);
      return 1;
    }
    for (let i = 0; i < m; i++) for (let k = 0; k < s; k++) addRow(k, i, rng.normal());
    return s;
  };
  return runLoop({
    where,
    A: matrix,
    b,
    x,
    tolerance: Math.max(parsed.rtol * bnorm, parsed.atol),
    limit: parsed.maxIterations ?? Math.ceil((1000 * m) / s),
    checkEvery: parsed.checkEvery ?? Math.max(1, Math.ceil(m / s)),
    step() {
      let work = formSketch();
      // G = M Mᵀ, y = M x − Sᵀb
      let trace = 0;
      for (let i = 0; i < s; i++) {
        let t = -sb[i];
        for (let j = 0; j < n; j++) t += M[i * n + j] * x[j];
        y[i] = t;
        for (let k = 0; k <= i; k++) {
          let g = 0;
          for (let j = 0; j < n; j++) g += M[i * n + j] * M[k * n + j];
          G[i * s + k] = g;
          G[k * s + i] = g;
        }
        trace += G[i * s + i];
      }
      if (!choleskyInPlace(G, s)) {
        // dependent sketched rows: rebuild G with a tiny ridge
        for (let i = 0; i < s; i++)
          for (let k = 0; k <= i; k++) {
            let g = 0;
            for (let j = 0; j < n; j++) g += M[i * n + j] * M[k * n + j];
            G[i * s + k] = g + (i === k ? 1e-12 * trace + Number.MIN_VALUE : 0);
            G[k * s + i] = G[i * s + k];
          }
        if (!choleskyInPlace(G, s)) return work;
      }
      // solve L Lᵀ z = y in place
      for (let i = 0; i < s; i++) {
        let t = y[i];
        for (let k = 0; k < i; k++) t -= G[i * s + k] * y[k];
        y[i] = t / G[i * s + i];
      }
      for (let i = s - 1; i >= 0; i--) {
        let t = y[i];
        for (let k = i + 1; k < s; k++) t -= G[k * s + i] * y[k];
        y[i] = t / G[i * s + i];
      }
      // x −= Mᵀ z
      for (let i = 0; i < s; i++) {
        const zi = y[i];
        if (zi !== 0) for (let j = 0; j < n; j++) x[j] -= zi * M[i * n + j];
      }
      // applying the (dense) s × n block twice: 2·s·n multiply-adds
      work += (2 * s * n) / nnz;
      return work;
    },
  });
}

/** Options of `sketchPreconditionedLsqr`. */
export interface SketchPreconditionedLsqrOptions {
  /** 'gaussian' (default) or 'count' (CountSketch). */
  readonly sketch?: 'gaussian' | 'count';
  /** Sketch rows s = ⌈oversampling·n⌉ (default 4). */
  readonly oversampling?: number;
  /** LSQR's tests on the preconditioned system (defaults 1e-6, 1e-6, 1e8). */
  readonly atol?: number;
  readonly btol?: number;
  readonly conlim?: number;
  /** LSQR iterations (default 2n). */
  readonly maxIterations?: number;
}

/** Result of `sketchPreconditionedLsqr`: LSQR's result (x mapped back, x = R⁻¹y) plus the sketch size. */
export interface SketchPreconditionedLsqrResult extends LsqrResult {
  /** Rows s of the sketch S A. */
  readonly sketchRows: number;
}

/**
 * Sketch-and-precondition least squares (Rokhlin & Tygert 2008; Blendenpik, Avron, Maymounkov &
 * Toledo 2010; LSRN, Meng, Saunders & Mahoney 2014) for a tall, full-column-rank A: sketch
 * S A (s = ⌈γ n⌉ rows, Gaussian or CountSketch S), factor S A = Q R, and run LSQR on the
 * well-conditioned A R⁻¹ (its singular values lie in a small interval around 1 with high
 * probability, whatever cond(A) is); x = R⁻¹ y. Costs one pass over A for the sketch (s passes for a
 * Gaussian S), an O(s n²) QR, and per LSQR iteration one product with A, one with Aᵀ and two
 * triangular solves. A rank-deficient sketch ends with status 'stalled'.
 *
 * @see V. Rokhlin, M. Tygert, A fast randomized algorithm for overdetermined linear least-squares regression, PNAS 105 (2008)
 * @see H. Avron, P. Maymounkov, S. Toledo, Blendenpik: supercharging LAPACK's least-squares solver, SIAM J. Sci. Comput. 32 (2010)
 * @see X. Meng, M. A. Saunders, M. W. Mahoney, LSRN: a parallel iterative solver for strongly over- or underdetermined systems, SIAM J. Sci. Comput. 36 (2014)
 */
export function sketchPreconditionedLsqr(
  A: CsrMatrix | DenseMatrix,
  b: Vec,
  rng: Rng,
  options: SketchPreconditionedLsqrOptions = {},
): SketchPreconditionedLsqrResult {
  const where = 'linsolve/sketch-preconditioned-lsqr';
  const parsed = parseOptions(where, sketchPreconditionedLsqrOptions, options);
  const { matrix } = prepare(where, A, b, rng, undefined);
  const { rows: m, cols: n, rowPointers, columnIndices, values } = matrix;
  const s = Math.max(n, Math.ceil(parsed.oversampling * n));
  assertAllocation(where, `the ${s} x ${n} sketch S A and its QR`, 2 * s * n + n * n + 4 * n + 2 * m);
  const SA = new Float64Array(s * n);
  const addRow = (target: number, i: number, weight: number) => {
    const offset = target * n;
    for (let k = rowPointers[i]; k < rowPointers[i + 1]; k++)
      SA[offset + columnIndices[k]] += weight * values[k];
  };
  if (parsed.sketch === 'count') {
    for (let i = 0; i < m; i++) addRow(rng.integer(s), i, rng.integer(2) === 0 ? -1 : 1);
  } else {
    const scale = 1 / Math.sqrt(s);
    for (let i = 0; i < m; i++) for (let k = 0; k < s; k++) addRow(k, i, scale * rng.normal());
  }
  const { r: R } = qr(denseMatrix(s, n, SA));
  const Rd = R.data;
  let largest = 0;
  for (let j = 0; j < n; j++) largest = Math.max(largest, Math.abs(Rd[j * n + j]));
  const operator = csrOperator(matrix);
  const { sketch: _sketch, oversampling: _oversampling, ...lsqrOptionsOnly } = parsed;
  const rankDeficient =
    !(largest > 0) || Rd.some((_, k) => k % (n + 1) === 0 && !(Math.abs(Rd[k]) > 1e-13 * largest));
  if (rankDeficient) {
    return {
      ...lsqr(operator, b, { ...lsqrOptionsOnly, maxIterations: 0 }),
      status: 'stalled',
      converged: false,
      message: `the sketch S A is rank deficient (a diagonal entry of R below 1e-13 of the largest): A (${m} x ${n}) does not have full column rank, or the sketch is too small; use lsqr`,
      sketchRows: s,
    };
  }
  const work = new Float64Array(n);
  // R⁻¹ y (back substitution) and R⁻ᵀ z (forward substitution), R row-major upper triangular
  const solveUpper = (y: Vec, out: Vec): Vec => {
    for (let i = n - 1; i >= 0; i--) {
      let t = y[i];
      for (let j = i + 1; j < n; j++) t -= Rd[i * n + j] * out[j];
      out[i] = t / Rd[i * n + i];
    }
    return out;
  };
  const solveUpperTransposed = (z: Vec, out: Vec): Vec => {
    for (let i = 0; i < n; i++) {
      let t = z[i];
      for (let j = 0; j < i; j++) t -= Rd[j * n + i] * out[j];
      out[i] = t / Rd[i * n + i];
    }
    return out;
  };
  const preconditioned = {
    rows: m,
    cols: n,
    apply: (y: Vec, out: Vec) => operator.apply(solveUpper(y, work), out),
    applyAdjoint: (u: Vec, out: Vec) => solveUpperTransposed(operator.applyAdjoint?.(u, work) ?? work, out),
  };
  const result = lsqr(preconditioned, b, lsqrOptionsOnly);
  const x = solveUpper(result.x, new Float64Array(n));
  return {
    ...result,
    x,
    xNorm: Math.sqrt(x.reduce((t, v) => t + v * v, 0)),
    sketchRows: s,
  };
}

import {
  CholeskyDecomposition,
  EigenvalueDecomposition,
  LuDecomposition,
  Matrix,
  QrDecomposition,
  SingularValueDecomposition,
} from 'ml-matrix';
import { assertAllocation } from '../resources/budget';
import { assertFinite, invalidArgument } from '../validate/validate';
import { type DenseMatrix, type MatrixLike, toDenseMatrix, toVec, type VecLike } from './dense-matrix';
import { fromMlMatrix, toMlMatrix } from './interop';

/**
 * Small dense factorizations through ml-matrix (copies in and out). They are for small matrices
 * outside hot loops (a Newton system of a few dozen unknowns, a d x d covariance): ml-matrix is
 * 20-50x slower than typed-array loops for vector work.
 *
 * Every input is first scaled by an exact power of two so its largest entry is in [0.5, 1) (2^-2k for
 * Cholesky, so the square roots unscale exactly), and entries below 2^-600 of the largest are set to
 * zero. Both steps change A by far less than the factorizations' own backward error (eps·‖A‖), and
 * they keep ml-matrix's Householder and Givens steps out of subnormal arithmetic, where its
 * `hypot`-based normalizations lose all accuracy (a 2 x 2 matrix with 5e-324 entries gave QᵀQ ≠ I).
 * Results are unscaled exactly.
 */

/** 2^-e copy of A for ml-matrix (largest entry in [0.5, 1)), optionally symmetrized; returns e. */
function scaledCopy(
  A: DenseMatrix,
  symmetrize = false,
  evenExponent = false,
): { M: Matrix; exponent: number } {
  const { rows, cols, data } = A;
  let largest = 0;
  for (let k = 0; k < data.length; k++) largest = Math.max(largest, Math.abs(data[k]));
  let exponent = largest > 0 ? Math.floor(Math.log2(largest)) + 1 : 0;
  if (evenExponent && exponent % 2 !== 0) exponent += 1;
  // 2^exponent may overflow for exponent 1024; scale in two exact steps.
  const half = Math.trunc(exponent / 2);
  const down1 = 2 ** -half;
  const down2 = 2 ** -(exponent - half);
  const floor = 2 ** -600;
  const M = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const entry = symmetrize ? 0.5 * (data[i * cols + j] + data[j * cols + i]) : data[i * cols + j];
      const value = entry * down1 * down2;
      M.set(i, j, Math.abs(value) < floor ? 0 : value);
    }
  return { M, exponent };
}

/** data *= 2^exponent, exactly, in two steps so that 2^exponent itself never overflows. */
function timesPowerOfTwo(data: Float64Array, exponent: number): Float64Array {
  const half = Math.trunc(exponent / 2);
  const first = 2 ** half;
  const second = 2 ** (exponent - half);
  for (let k = 0; k < data.length; k++) data[k] = data[k] * first * second;
  return data;
}

function assertSquare(where: string, A: DenseMatrix): void {
  if (A.rows !== A.cols)
    invalidArgument(where, 'A', [A.rows, A.cols], `A must be square; it is ${A.rows} x ${A.cols}`);
}

/**
 * A matrix argument: a DenseMatrix over a Float64Array is used as is (its shape checked by
 * `assertShape`); number[][], { rows, cols, data: number[] } and ndarray-likes are converted once.
 */
function matrixArgument(where: string, input: MatrixLike): DenseMatrix {
  const candidate = input as Partial<DenseMatrix> | null;
  if (candidate !== null && typeof candidate === 'object' && candidate.data instanceof Float64Array)
    return input as DenseMatrix;
  return toDenseMatrix(input, where, 'A');
}

function assertShape(where: string, A: DenseMatrix): void {
  if (A.data.length !== A.rows * A.cols)
    invalidArgument(
      where,
      'A',
      A.data.length,
      `A.data must hold rows * cols = ${A.rows * A.cols} entries (row-major); it holds ${A.data.length}`,
    );
  assertFinite(where, 'A.data', A.data);
}

/**
 * Symmetric input is required (only one triangle is read by the factorization). Round-off asymmetry
 * up to 1e-8 of the largest entry is accepted; beyond that the caller has the wrong matrix.
 */
function assertSymmetric(where: string, A: DenseMatrix): void {
  const { rows: n, data } = A;
  let largest = 0;
  for (let k = 0; k < data.length; k++) largest = Math.max(largest, Math.abs(data[k]));
  const tolerance = 1e-8 * largest;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const gap = Math.abs(data[i * n + j] - data[j * n + i]);
      if (gap > tolerance)
        invalidArgument(
          where,
          'A',
          [data[i * n + j], data[j * n + i]],
          `A must be symmetric; A[${i}][${j}] = ${data[i * n + j]} but A[${j}][${i}] = ${data[j * n + i]} (symmetrize with (A + Aᵀ) / 2 if this is round-off)`,
        );
    }
}

/**
 * A factorization that solves with A and with Aᵀ. `solve(b, out?)` returns x with A x = b and
 * `solveTranspose(b, out?)` x with Aᵀ x = b (out allocated when omitted; `out` may be `b`). Both
 * validate b's length and finiteness, never mutate b (unless it is `out`), and cost O(n²).
 */
export interface Factorization {
  /** Order n of the square matrix. */
  readonly n: number;
  solve(b: ArrayLike<number>, out?: Float64Array): Float64Array;
  solveTranspose(b: ArrayLike<number>, out?: Float64Array): Float64Array;
}

/** Cholesky A = L Lᵀ; A is symmetric, so `solveTranspose` is `solve` (kept for the common interface). */
export interface CholeskyFactorization extends Factorization {
  readonly ok: true;
  /** L, lower triangular with a positive diagonal. */
  readonly lower: DenseMatrix;
}

/**
 * LU with partial pivoting, P A = L U (LAPACK dgetrf's convention, as scipy.linalg.lu_factor):
 * `factors` holds U on and above the diagonal and the multipliers of the unit lower triangular L
 * below it (row-major); row k was swapped with row `pivots[k]` at step k (0-based, applied in order).
 */
export interface LuFactorization extends Factorization {
  readonly ok: true;
  readonly factors: DenseMatrix;
  readonly pivots: Int32Array;
}

function rightHandSide(where: string, n: number, b: ArrayLike<number>, out?: Float64Array): Float64Array {
  if (b === null || typeof b !== 'object' || typeof b.length !== 'number')
    invalidArgument(where, 'b', b, 'b must be an array of numbers');
  if (b.length !== n) invalidArgument(where, 'b', b.length, `b must have length ${n} (the order of A)`);
  assertFinite(where, 'b', b);
  if (out !== undefined && (!(out instanceof Float64Array) || out.length !== n))
    invalidArgument(where, 'out', out?.length, `out must be a Float64Array of length ${n}`);
  const x = out ?? new Float64Array(n);
  if (x !== b) for (let i = 0; i < n; i++) x[i] = b[i];
  return x;
}

/** Solves L y = x in place (L lower triangular, row-major, diagonal `unit` or stored). */
function forwardLower(a: Float64Array, n: number, x: Float64Array, unit: boolean): void {
  for (let i = 0; i < n; i++) {
    let s = x[i];
    const row = i * n;
    for (let j = 0; j < i; j++) s -= a[row + j] * x[j];
    x[i] = unit ? s : s / a[row + i];
  }
}

/** Solves U y = x in place (U upper triangular, row-major). */
function backwardUpper(a: Float64Array, n: number, x: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    const row = i * n;
    for (let j = i + 1; j < n; j++) s -= a[row + j] * x[j];
    x[i] = s / a[row + i];
  }
}

/** Solves Uᵀ y = x in place, reading U by rows (column-oriented forward substitution). */
function forwardUpperTransposed(a: Float64Array, n: number, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const yi = x[i] / a[row + i];
    x[i] = yi;
    for (let j = i + 1; j < n; j++) x[j] -= a[row + j] * yi;
  }
}

/** Solves Lᵀ y = x in place, reading L by rows (column-oriented back substitution). */
function backwardLowerTransposed(a: Float64Array, n: number, x: Float64Array, unit: boolean): void {
  for (let i = n - 1; i >= 0; i--) {
    const row = i * n;
    const yi = unit ? x[i] : x[i] / a[row + i];
    x[i] = yi;
    for (let j = 0; j < i; j++) x[j] -= a[row + j] * yi;
  }
}

/**
 * Cholesky A = L Lᵀ of a symmetric matrix; `ok: false` (no throw) when A is not positive definite.
 * Round-off asymmetry is averaged away ((A + Aᵀ)/2); larger asymmetry is an InvalidArgumentError.
 * The result solves A x = b by L y = b, Lᵀ x = y (`solve`; `solveTranspose` is the same, A = Aᵀ).
 */
export function cholesky(matrix: MatrixLike): CholeskyFactorization | { readonly ok: false } {
  const A = matrixArgument('cholesky', matrix);
  assertShape('cholesky', A);
  assertSquare('cholesky', A);
  assertSymmetric('cholesky', A);
  const { M, exponent } = scaledCopy(A, true, true);
  const decomposition = new CholeskyDecomposition(M);
  if (!decomposition.isPositiveDefinite()) return { ok: false };
  const lower = fromMlMatrix(decomposition.lowerTriangularMatrix);
  timesPowerOfTwo(lower.data, exponent / 2);
  const n = A.rows;
  const solve = (b: ArrayLike<number>, out?: Float64Array): Float64Array => {
    const x = rightHandSide('cholesky.solve', n, b, out);
    forwardLower(lower.data, n, x, false);
    backwardLowerTransposed(lower.data, n, x, false);
    return x;
  };
  return { ok: true, lower, n, solve, solveTranspose: solve };
}

/**
 * LU factorization with partial pivoting, P A = L U (LAPACK dgetf2's algorithm: at step k the row
 * with the largest |a_ik|, the first on ties, is swapped up). `ok: false` (no throw) when a pivot is
 * exactly zero (A singular), as LAPACK's info > 0. The result solves A x = b (`solve`: apply the
 * swaps, L, then U) and Aᵀ x = b (`solveTranspose`: Aᵀ = Uᵀ Lᵀ P, so Uᵀ, then Lᵀ, then the swaps in
 * reverse), each O(n²) without refactoring, like scipy.linalg.lu_solve with trans = 0 and 1.
 * Unlike the other factorizations here it runs on typed arrays (no ml-matrix copy), O(n³/3) flops.
 *
 * @example
 * const f = lu(fromRows([[0, 2], [1, 1]]));
 * if (f.ok) f.solveTranspose(Float64Array.of(1, 3)); // x with Aᵀ x = b: [1, 1]
 */
export function lu(matrix: MatrixLike): LuFactorization | { readonly ok: false } {
  const A = matrixArgument('lu', matrix);
  assertShape('lu', A);
  assertSquare('lu', A);
  const n = A.rows;
  assertAllocation('lu', `an ${n} x ${n} LU factorization`, n * n);
  const a = A.data.slice();
  const pivots = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    let p = k;
    let largest = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const candidate = Math.abs(a[i * n + k]);
      if (candidate > largest) {
        largest = candidate;
        p = i;
      }
    }
    pivots[k] = p;
    if (largest === 0) return { ok: false };
    if (p !== k) {
      const rowK = k * n;
      const rowP = p * n;
      for (let j = 0; j < n; j++) {
        const t = a[rowK + j];
        a[rowK + j] = a[rowP + j];
        a[rowP + j] = t;
      }
    }
    const rowK = k * n;
    const pivot = a[rowK + k];
    for (let i = k + 1; i < n; i++) {
      const rowI = i * n;
      const l = a[rowI + k] / pivot;
      a[rowI + k] = l;
      if (l === 0) continue;
      for (let j = k + 1; j < n; j++) a[rowI + j] -= l * a[rowK + j];
    }
  }
  const factors: DenseMatrix = { rows: n, cols: n, data: a };
  return {
    ok: true,
    n,
    factors,
    pivots,
    solve(b, out) {
      const x = rightHandSide('lu.solve', n, b, out);
      for (let k = 0; k < n; k++) {
        const p = pivots[k];
        if (p !== k) {
          const t = x[k];
          x[k] = x[p];
          x[p] = t;
        }
      }
      forwardLower(a, n, x, true);
      backwardUpper(a, n, x);
      return x;
    },
    solveTranspose(b, out) {
      const x = rightHandSide('lu.solveTranspose', n, b, out);
      forwardUpperTransposed(a, n, x);
      backwardLowerTransposed(a, n, x, true);
      for (let k = n - 1; k >= 0; k--) {
        const p = pivots[k];
        if (p !== k) {
          const t = x[k];
          x[k] = x[p];
          x[p] = t;
        }
      }
      return x;
    },
  };
}

/** QR A = Q R (Householder): Q is rows x cols with orthonormal columns, R is cols x cols upper triangular (rows >= cols). */
export function qr(matrix: MatrixLike): { readonly q: DenseMatrix; readonly r: DenseMatrix } {
  const A = matrixArgument('qr', matrix);
  assertShape('qr', A);
  if (A.rows < A.cols)
    invalidArgument('qr', 'A', [A.rows, A.cols], 'qr needs rows >= cols; factor the transpose instead');
  const { M, exponent } = scaledCopy(A);
  const decomposition = new QrDecomposition(M);
  const r = fromMlMatrix(decomposition.upperTriangularMatrix);
  timesPowerOfTwo(r.data, exponent);
  return { q: fromMlMatrix(decomposition.orthogonalMatrix), r };
}

/** Thin SVD A = U diag(s) Vᵀ with singular values in descending order. */
export function svd(matrix: MatrixLike): {
  readonly u: DenseMatrix;
  readonly singularValues: Float64Array;
  readonly v: DenseMatrix;
} {
  const A = matrixArgument('svd', matrix);
  assertShape('svd', A);
  const { M, exponent } = scaledCopy(A);
  const decomposition = new SingularValueDecomposition(M, { autoTranspose: true });
  return {
    u: fromMlMatrix(decomposition.leftSingularVectors),
    singularValues: timesPowerOfTwo(Float64Array.from(decomposition.diagonal), exponent),
    v: fromMlMatrix(decomposition.rightSingularVectors),
  };
}

/** Eigen-decomposition of a symmetric matrix: eigenvalues ascending, eigenvectors as the columns of `vectors`. */
export function symmetricEigen(matrix: MatrixLike): {
  readonly values: Float64Array;
  readonly vectors: DenseMatrix;
} {
  const A = matrixArgument('symmetricEigen', matrix);
  assertShape('symmetricEigen', A);
  assertSquare('symmetricEigen', A);
  assertSymmetric('symmetricEigen', A);
  const { M, exponent } = scaledCopy(A, true);
  const decomposition = new EigenvalueDecomposition(M, { assumeSymmetric: true });
  return {
    values: timesPowerOfTwo(Float64Array.from(decomposition.realEigenvalues), exponent),
    vectors: fromMlMatrix(decomposition.eigenvectorMatrix),
  };
}

/** Solves A x = b by LU with partial pivoting; `ok: false` when A is singular. */
export function solveDense(
  matrix: MatrixLike,
  rhs: VecLike,
): { readonly ok: true; readonly x: Float64Array } | { readonly ok: false } {
  const A = matrixArgument('solveDense', matrix);
  const b = toVec(rhs, 'solveDense', 'b');
  assertShape('solveDense', A);
  assertSquare('solveDense', A);
  if (b.length !== A.rows) invalidArgument('solveDense', 'b', b.length, `b must have length ${A.rows}`);
  assertFinite('solveDense', 'b', b);
  // (2^-e A) x = 2^-e b: both sides scaled, so x itself never passes through an overflowed value.
  const { M, exponent } = scaledCopy(A);
  const decomposition = new LuDecomposition(M);
  if (decomposition.isSingular()) return { ok: false };
  const right = timesPowerOfTwo(Float64Array.from(b), -exponent);
  const x = decomposition.solve(toMlMatrix({ rows: A.rows, cols: 1, data: right }));
  return { ok: true, x: Float64Array.from(x.getColumn(0)) };
}

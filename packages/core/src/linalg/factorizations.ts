import {
  CholeskyDecomposition,
  EigenvalueDecomposition,
  LuDecomposition,
  Matrix,
  QrDecomposition,
  SingularValueDecomposition,
} from 'ml-matrix';
import { assertFinite, invalidArgument } from '../validate/validate';
import type { DenseMatrix } from './dense-matrix';
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
 * Cholesky A = L Lᵀ of a symmetric matrix; `ok: false` (no throw) when A is not positive definite.
 * Round-off asymmetry is averaged away ((A + Aᵀ)/2); larger asymmetry is an InvalidArgumentError.
 */
export function cholesky(
  A: DenseMatrix,
): { readonly ok: true; readonly lower: DenseMatrix } | { readonly ok: false } {
  assertShape('cholesky', A);
  assertSquare('cholesky', A);
  assertSymmetric('cholesky', A);
  const { M, exponent } = scaledCopy(A, true, true);
  const decomposition = new CholeskyDecomposition(M);
  if (!decomposition.isPositiveDefinite()) return { ok: false };
  const lower = fromMlMatrix(decomposition.lowerTriangularMatrix);
  timesPowerOfTwo(lower.data, exponent / 2);
  return { ok: true, lower };
}

/** QR A = Q R (Householder): Q is rows x cols with orthonormal columns, R is cols x cols upper triangular (rows >= cols). */
export function qr(A: DenseMatrix): { readonly q: DenseMatrix; readonly r: DenseMatrix } {
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
export function svd(A: DenseMatrix): {
  readonly u: DenseMatrix;
  readonly singularValues: Float64Array;
  readonly v: DenseMatrix;
} {
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
export function symmetricEigen(A: DenseMatrix): {
  readonly values: Float64Array;
  readonly vectors: DenseMatrix;
} {
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
  A: DenseMatrix,
  b: Float64Array,
): { readonly ok: true; readonly x: Float64Array } | { readonly ok: false } {
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

import {
  CholeskyDecomposition,
  EigenvalueDecomposition,
  LuDecomposition,
  QrDecomposition,
  SingularValueDecomposition,
} from 'ml-matrix';
import { invalidArgument } from '../validate/validate';
import type { DenseMatrix } from './dense-matrix';
import { fromMlMatrix, toMlMatrix } from './interop';

/**
 * Small dense factorizations through ml-matrix (copies in and out). They are for small matrices
 * outside hot loops (a Newton system of a few dozen unknowns, a d x d covariance): ml-matrix is
 * 20-50x slower than typed-array loops for vector work.
 */

function assertSquare(where: string, A: DenseMatrix): void {
  if (A.rows !== A.cols)
    invalidArgument(where, 'A', [A.rows, A.cols], `A must be square; it is ${A.rows} x ${A.cols}`);
}

/** Cholesky A = L Lᵀ of a symmetric matrix; `ok: false` (no throw) when A is not positive definite. */
export function cholesky(
  A: DenseMatrix,
): { readonly ok: true; readonly lower: DenseMatrix } | { readonly ok: false } {
  assertSquare('cholesky', A);
  const decomposition = new CholeskyDecomposition(toMlMatrix(A));
  if (!decomposition.isPositiveDefinite()) return { ok: false };
  return { ok: true, lower: fromMlMatrix(decomposition.lowerTriangularMatrix) };
}

/** QR A = Q R (Householder): Q is rows x cols with orthonormal columns, R is cols x cols upper triangular (rows >= cols). */
export function qr(A: DenseMatrix): { readonly q: DenseMatrix; readonly r: DenseMatrix } {
  if (A.rows < A.cols)
    invalidArgument('qr', 'A', [A.rows, A.cols], 'qr needs rows >= cols; factor the transpose instead');
  const decomposition = new QrDecomposition(toMlMatrix(A));
  return {
    q: fromMlMatrix(decomposition.orthogonalMatrix),
    r: fromMlMatrix(decomposition.upperTriangularMatrix),
  };
}

/** Thin SVD A = U diag(s) Vᵀ with singular values in descending order. */
export function svd(A: DenseMatrix): {
  readonly u: DenseMatrix;
  readonly singularValues: Float64Array;
  readonly v: DenseMatrix;
} {
  const decomposition = new SingularValueDecomposition(toMlMatrix(A), { autoTranspose: true });
  return {
    u: fromMlMatrix(decomposition.leftSingularVectors),
    singularValues: Float64Array.from(decomposition.diagonal),
    v: fromMlMatrix(decomposition.rightSingularVectors),
  };
}

/** Eigen-decomposition of a symmetric matrix: eigenvalues ascending, eigenvectors as the columns of `vectors`. */
export function symmetricEigen(A: DenseMatrix): {
  readonly values: Float64Array;
  readonly vectors: DenseMatrix;
} {
  assertSquare('symmetricEigen', A);
  const decomposition = new EigenvalueDecomposition(toMlMatrix(A), { assumeSymmetric: true });
  return {
    values: Float64Array.from(decomposition.realEigenvalues),
    vectors: fromMlMatrix(decomposition.eigenvectorMatrix),
  };
}

/** Solves A x = b by LU with partial pivoting; `ok: false` when A is singular. */
export function solveDense(
  A: DenseMatrix,
  b: Float64Array,
): { readonly ok: true; readonly x: Float64Array } | { readonly ok: false } {
  assertSquare('solveDense', A);
  if (b.length !== A.rows) invalidArgument('solveDense', 'b', b.length, `b must have length ${A.rows}`);
  const decomposition = new LuDecomposition(toMlMatrix(A));
  if (decomposition.isSingular()) return { ok: false };
  const x = decomposition.solve(toMlMatrix({ rows: A.rows, cols: 1, data: b }));
  return { ok: true, x: Float64Array.from(x.getColumn(0)) };
}

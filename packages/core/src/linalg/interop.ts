import { Matrix } from 'ml-matrix';
import type { DenseMatrix } from './dense-matrix';

/**
 * ml-matrix copy of a DenseMatrix, for small dense factorizations (Cholesky, QR, SVD, eigen).
 * ml-matrix is 20-50x slower than typed-array loops for vector work: never use it in a hot loop.
 */
export function toMlMatrix(A: DenseMatrix): Matrix {
  const M = new Matrix(A.rows, A.cols);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.cols; j++) M.set(i, j, A.data[i * A.cols + j]);
  }
  return M;
}

/** DenseMatrix copy of an ml-matrix `Matrix` (or any object with rows, columns and get(i, j)). */
export function fromMlMatrix(M: {
  rows: number;
  columns: number;
  get(i: number, j: number): number;
}): DenseMatrix {
  const data = new Float64Array(M.rows * M.columns);
  for (let i = 0; i < M.rows; i++) {
    for (let j = 0; j < M.columns; j++) data[i * M.columns + j] = M.get(i, j);
  }
  return { rows: M.rows, cols: M.columns, data };
}

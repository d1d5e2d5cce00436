import { Matrix } from 'ml-matrix';
import type { NdArray } from 'ndarray';
import ndarray from 'ndarray';
import { InvalidArgumentError } from '../errors/argmin-error';
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

/** A 2-D ndarray view `[rows, cols]` over the same buffer (no copy). */
export function toNdArray(A: DenseMatrix): NdArray<Float64Array> {
  return ndarray(A.data, [A.rows, A.cols]);
}

/**
 * A DenseMatrix over a 2-D ndarray. Shares the buffer when the view is row-major contiguous with
 * offset 0; otherwise copies.
 */
export function fromNdArray(view: NdArray<Float64Array | Float32Array | number[]>): DenseMatrix {
  if (view.shape.length !== 2) {
    throw new InvalidArgumentError({
      argument: 'view',
      value: view.shape,
      message: `fromNdArray: expected a 2-D ndarray; got shape [${view.shape.join(', ')}]. Reshape it to [n, d].`,
    });
  }
  const [rows, cols] = view.shape;
  if (
    view.data instanceof Float64Array &&
    view.offset === 0 &&
    view.stride[1] === 1 &&
    view.stride[0] === cols &&
    view.data.length === rows * cols
  ) {
    return { rows, cols, data: view.data };
  }
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = view.get(i, j);
  return { rows, cols, data };
}

/** A batch view `[n, d]` over a flat buffer (n samples of dimension d), as ndarray. */
export function batchView(data: Float64Array, n: number, d: number): NdArray<Float64Array> {
  if (data.length !== n * d) {
    throw new InvalidArgumentError({
      argument: 'data',
      value: data.length,
      message: `batchView: data must have n*d = ${n * d} entries for shape [${n}, ${d}]; got ${data.length}.`,
    });
  }
  return ndarray(data, [n, d]);
}

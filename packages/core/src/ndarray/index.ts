// @argmin/core/ndarray: interop with scijs ndarray (an optional peer dependency: `npm i ndarray`).
// Views share the Float64Array buffer whenever the layout allows it; otherwise they copy once.
// argmin's functions take `Vec` (Float64Array) and `DenseMatrix` (row-major { rows, cols, data });
// `asVec` and `asDenseMatrix` turn an ndarray (or a plain array) into those, so an ndarray can be
// passed wherever a vector or a dense matrix is taken:
//
//   import { asDenseMatrix, asVec } from '@argmin/core/ndarray';
//   sinkhorn(asVec(a), asVec(b), asDenseMatrix(costView), { regularization: 0.05 });
import type { NdArray } from 'ndarray';
import ndarray from 'ndarray';
import { InvalidArgumentError } from '../errors/argmin-error';
import type { DenseMatrix } from '../linalg/dense-matrix';
import type { Vec } from '../spec/vec';

/** Anything with a shape and entries addressable by index: an ndarray view of any dtype. */
export interface NdArrayLike {
  readonly shape: number[];
  readonly stride: number[];
  readonly offset: number;
  readonly data: ArrayLike<number>;
  get(...indices: number[]): number;
}

function isNdArray(value: unknown): value is NdArrayLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as NdArrayLike).shape) &&
    Array.isArray((value as NdArrayLike).stride) &&
    typeof (value as NdArrayLike).get === 'function'
  );
}

/**
 * A `Vec` from a 1-D ndarray, a Float64Array or any array-like of numbers. A contiguous Float64Array
 * view (stride 1) is shared without a copy (offset honoured with `subarray`); anything else is copied
 * once (O(n)). Throws `InvalidArgumentError` for a view that is not 1-D or an entry that is not a number.
 */
export function asVec(x: NdArrayLike | ArrayLike<number>): Vec {
  if (x instanceof Float64Array) return x;
  if (isNdArray(x)) {
    if (x.shape.length !== 1) {
      throw new InvalidArgumentError({
        argument: 'x',
        value: x.shape,
        message: `asVec: expected a 1-D ndarray; got shape [${x.shape.join(', ')}]. Use asDenseMatrix for 2-D views, or reshape.`,
      });
    }
    const [n] = x.shape;
    if (x.data instanceof Float64Array && x.stride[0] === 1) return x.data.subarray(x.offset, x.offset + n);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = x.get(i);
    return out;
  }
  if (typeof x !== 'object' || x === null || typeof (x as ArrayLike<number>).length !== 'number') {
    throw new InvalidArgumentError({
      argument: 'x',
      value: x,
      message: 'asVec: expected a 1-D ndarray, a Float64Array or an array of numbers.',
    });
  }
  const values = x as ArrayLike<number>;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== 'number') {
      throw new InvalidArgumentError({
        argument: `x[${i}]`,
        value: values[i],
        message: `asVec: entry ${i} is not a number (got ${typeof values[i]}).`,
      });
    }
    out[i] = values[i];
  }
  return out;
}

/**
 * A `DenseMatrix` from a 2-D ndarray (shared when row-major contiguous Float64Array at offset 0,
 * copied otherwise), a `DenseMatrix` (returned as is) or rows as `number[][]` (copied; rows must
 * have equal length).
 */
export function asDenseMatrix(A: NdArrayLike | DenseMatrix | ArrayLike<ArrayLike<number>>): DenseMatrix {
  if (isNdArray(A)) return fromNdArray(A);
  if (typeof A === 'object' && A !== null && 'rows' in A && 'cols' in A && 'data' in A)
    return A as DenseMatrix;
  const rows = A as ArrayLike<ArrayLike<number>>;
  if (typeof rows !== 'object' || rows === null || typeof rows.length !== 'number') {
    throw new InvalidArgumentError({
      argument: 'A',
      value: A,
      message: 'asDenseMatrix: expected a 2-D ndarray, a DenseMatrix or an array of rows.',
    });
  }
  const cols = rows.length > 0 ? (rows[0]?.length ?? 0) : 0;
  const data = new Float64Array(rows.length * cols);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row?.length !== cols) {
      throw new InvalidArgumentError({
        argument: `A[${i}]`,
        value: row?.length,
        message: `asDenseMatrix: row ${i} has ${row?.length} entries but row 0 has ${cols}; all rows must have the same length.`,
      });
    }
    for (let j = 0; j < cols; j++) data[i * cols + j] = row[j];
  }
  return { rows: rows.length, cols, data };
}

/** A 1-D ndarray view over a Vec (no copy). */
export function vecToNdArray(x: Vec): NdArray<Float64Array> {
  return ndarray(x, [x.length]);
}

/** A 2-D ndarray view `[rows, cols]` over the same buffer (no copy). */
export function toNdArray(A: DenseMatrix): NdArray<Float64Array> {
  return ndarray(A.data, [A.rows, A.cols]);
}

/**
 * A DenseMatrix over a 2-D ndarray. Shares the buffer when the view is row-major contiguous with
 * offset 0; otherwise copies.
 */
export function fromNdArray(view: NdArrayLike): DenseMatrix {
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

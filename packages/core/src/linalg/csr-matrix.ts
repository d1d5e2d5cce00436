import { InvalidArgumentError } from '../errors/argmin-error';
import { assertAllocation } from '../resources/budget';
import { assertInteger } from '../validate/validate';
import type { DenseMatrix } from './dense-matrix';
import { assertCsrMatrix, guardDense } from './validate-matrix';

/**
 * Compressed sparse row matrix (scipy's `csr_matrix` layout): the entries of row i are
 * `values[rowPointers[i] .. rowPointers[i+1])` at columns `columnIndices[...]`.
 */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly rowPointers: Int32Array;
  readonly columnIndices: Int32Array;
  readonly values: Float64Array;
}

/**
 * A CSR matrix from its three arrays (scipy's `csr_matrix((data, indices, indptr), shape)`),
 * validated once: row pointers of length rows + 1, starting at 0, non-decreasing and ending at nnz;
 * column indices in [0, cols). Typed arrays are shared; other array-likes are copied.
 */
export function csrMatrix(
  rows: number,
  cols: number,
  rowPointers: ArrayLike<number>,
  columnIndices: ArrayLike<number>,
  values: ArrayLike<number>,
): CsrMatrix {
  assertInteger('csrMatrix', 'rows', rows, 0);
  assertInteger('csrMatrix', 'cols', cols, 0);
  for (const [name, array] of [
    ['rowPointers', rowPointers],
    ['columnIndices', columnIndices],
    ['values', values],
  ] as const)
    if (array === null || typeof array !== 'object' || typeof array.length !== 'number')
      throw new InvalidArgumentError({
        argument: name,
        value: array,
        message: `csrMatrix: \`${name}\` must be an array of numbers; got ${String(array)}.`,
      });
  assertAllocation(
    'csrMatrix',
    `a CSR matrix with ${values.length} entries`,
    values.length + rowPointers.length,
    12,
  );
  const toInt32 = (name: string, array: ArrayLike<number>): Int32Array => {
    if (array instanceof Int32Array) return array;
    const out = new Int32Array(array.length);
    for (let k = 0; k < array.length; k++) {
      assertInteger('csrMatrix', `${name}[${k}]`, array[k], 0, 2 ** 31 - 1);
      out[k] = array[k];
    }
    return out;
  };
  const A: CsrMatrix = {
    rows,
    cols,
    rowPointers: toInt32('rowPointers', rowPointers),
    columnIndices: toInt32('columnIndices', columnIndices),
    values: values instanceof Float64Array ? values : Float64Array.from(values),
  };
  assertCsrMatrix('csrMatrix', 'A', A);
  return A;
}

/** Number of stored entries. */
export function nnz(A: CsrMatrix): number {
  return A.rowPointers[A.rows];
}

/**
 * Builds a CSR matrix from coordinate triplets; duplicates are summed (as scipy's `coo.tocsr()`),
 * columns are sorted within each row.
 */
export function csrFromTriplets(
  rows: number,
  cols: number,
  rowIndices: ArrayLike<number>,
  columnIndices: ArrayLike<number>,
  values: ArrayLike<number>,
): CsrMatrix {
  assertInteger('csrFromTriplets', 'rows', rows, 0);
  assertInteger('csrFromTriplets', 'cols', cols, 0);
  const count = values.length;
  assertAllocation(
    'csrFromTriplets',
    `a CSR matrix with ${rows} rows and ${count} entries`,
    rows + 1 + 2 * count,
    8,
  );
  if (rowIndices.length !== count || columnIndices.length !== count) {
    throw new InvalidArgumentError({
      argument: 'rowIndices/columnIndices/values',
      value: [rowIndices.length, columnIndices.length, count],
      message: `csrFromTriplets: rowIndices, columnIndices and values must have the same length; got ${rowIndices.length}, ${columnIndices.length}, ${count}.`,
    });
  }
  for (let k = 0; k < count; k++) {
    const i = rowIndices[k];
    const j = columnIndices[k];
    if (!Number.isInteger(i) || i < 0 || i >= rows || !Number.isInteger(j) || j < 0 || j >= cols) {
      throw new InvalidArgumentError({
        argument: 'rowIndices/columnIndices',
        value: [i, j],
        message: `csrFromTriplets: entry ${k} at (${i}, ${j}) is outside a ${rows} x ${cols} matrix.`,
      });
    }
  }
  const order = Array.from({ length: count }, (_, k) => k).sort(
    (p, q) => rowIndices[p] - rowIndices[q] || columnIndices[p] - columnIndices[q],
  );
  const rowPointers = new Int32Array(rows + 1);
  const cIdx: number[] = [];
  const vals: number[] = [];
  let lastRow = -1;
  let lastCol = -1;
  for (const k of order) {
    const i = rowIndices[k];
    const j = columnIndices[k];
    if (i === lastRow && j === lastCol) {
      vals[vals.length - 1] += values[k];
      continue;
    }
    cIdx.push(j);
    vals.push(values[k]);
    rowPointers[i + 1]++;
    lastRow = i;
    lastCol = j;
  }
  for (let i = 0; i < rows; i++) rowPointers[i + 1] += rowPointers[i];
  return { rows, cols, rowPointers, columnIndices: Int32Array.from(cIdx), values: Float64Array.from(vals) };
}

/** CSR of the nonzero entries of a dense matrix. */
export function csrFromDense(A: DenseMatrix): CsrMatrix {
  guardDense('csrFromDense', 'A', A);
  const rowPointers = new Int32Array(A.rows + 1);
  const cIdx: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.cols; j++) {
      const v = A.data[i * A.cols + j];
      if (v !== 0) {
        cIdx.push(j);
        vals.push(v);
      }
    }
    rowPointers[i + 1] = vals.length;
  }
  return {
    rows: A.rows,
    cols: A.cols,
    rowPointers,
    columnIndices: Int32Array.from(cIdx),
    values: Float64Array.from(vals),
  };
}

/** Dense copy of a CSR matrix. */
export function csrToDense(A: CsrMatrix): DenseMatrix {
  assertCsrMatrix('csrToDense', 'A', A);
  assertAllocation('csrToDense', `a dense ${A.rows} x ${A.cols} matrix`, A.rows * A.cols);
  const data = new Float64Array(A.rows * A.cols);
  for (let i = 0; i < A.rows; i++) {
    for (let k = A.rowPointers[i]; k < A.rowPointers[i + 1]; k++)
      data[i * A.cols + A.columnIndices[k]] += A.values[k];
  }
  return { rows: A.rows, cols: A.cols, data };
}

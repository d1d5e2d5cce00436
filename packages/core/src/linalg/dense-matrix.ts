import { InvalidArgumentError } from '../errors/argmin-error';

/** A dense row-major matrix: entry (i, j) is `data[i * cols + j]`. */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/**
 * Creates a row-major matrix over `data` (shared, not copied) or a zero matrix.
 *
 * @example
 * const A = denseMatrix(2, 2, Float64Array.of(1, 2, 3, 4)); // [[1, 2], [3, 4]]
 */
export function denseMatrix(rows: number, cols: number, data?: Float64Array): DenseMatrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new InvalidArgumentError({
      argument: 'rows/cols',
      value: [rows, cols],
      message: `denseMatrix: rows and cols must be non-negative integers; got rows=${rows}, cols=${cols}.`,
    });
  }
  if (data && data.length !== rows * cols) {
    throw new InvalidArgumentError({
      argument: 'data',
      value: data.length,
      message: `denseMatrix: data must have rows*cols = ${rows * cols} entries; got ${data.length}.`,
    });
  }
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

/** Builds a matrix from nested arrays (rows must have equal length). */
export function fromRows(rows: ReadonlyArray<ArrayLike<number>>): DenseMatrix {
  const m = rows.length;
  const n = m === 0 ? 0 : rows[0].length;
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    if (rows[i].length !== n) {
      throw new InvalidArgumentError({
        argument: `rows[${i}]`,
        value: rows[i].length,
        message: `fromRows: every row must have ${n} entries (the length of row 0); row ${i} has ${rows[i].length}.`,
      });
    }
    for (let j = 0; j < n; j++) data[i * n + j] = rows[i][j];
  }
  return { rows: m, cols: n, data };
}

/** Nested arrays of a matrix (for printing and JSON). */
export function toRows(A: DenseMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < A.rows; i++) out.push(Array.from(A.data.subarray(i * A.cols, (i + 1) * A.cols)));
  return out;
}

/** The n x n identity matrix. */
export function eye(n: number): DenseMatrix {
  const A = denseMatrix(n, n);
  for (let i = 0; i < n; i++) A.data[i * n + i] = 1;
  return A;
}

/** A view of row `i` (shares the buffer). */
export function row(A: DenseMatrix, i: number): Float64Array {
  return A.data.subarray(i * A.cols, (i + 1) * A.cols);
}

/** Writes the transpose of `A` into `out` (a cols x rows matrix). Cache-blocked. */
export function transpose(A: DenseMatrix, out: DenseMatrix = denseMatrix(A.cols, A.rows)): DenseMatrix {
  const { rows: m, cols: n, data: a } = A;
  const b = out.data;
  const block = 32;
  for (let ii = 0; ii < m; ii += block) {
    const iEnd = Math.min(ii + block, m);
    for (let jj = 0; jj < n; jj += block) {
      const jEnd = Math.min(jj + block, n);
      for (let i = ii; i < iEnd; i++) {
        for (let j = jj; j < jEnd; j++) b[j * m + i] = a[i * n + j];
      }
    }
  }
  return out;
}

/** A deep copy. */
export function cloneMatrix(A: DenseMatrix): DenseMatrix {
  return { rows: A.rows, cols: A.cols, data: A.data.slice() };
}

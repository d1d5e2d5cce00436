import { InvalidArgumentError } from '../errors/argmin-error';
import { assertAllocation } from '../resources/budget';
import { guardDense, kernelShapeError } from './validate-matrix';

/** A dense row-major matrix: entry (i, j) is `data[i * cols + j]`. */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/**
 * Creates a row-major matrix over `data` (shared, not copied, when it is a Float64Array; any other
 * array of numbers is copied once) or a zero matrix. A zero matrix is checked against the
 * allocation budget first (`ResourceLimitError` for, e.g., 10⁵ x 10⁵ = 80 GB).
 *
 * @example
 * const A = denseMatrix(2, 2, Float64Array.of(1, 2, 3, 4)); // [[1, 2], [3, 4]]
 */
export function denseMatrix(rows: number, cols: number, data?: ArrayLike<number>): DenseMatrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new InvalidArgumentError({
      argument: 'rows/cols',
      value: [rows, cols],
      message: `denseMatrix: rows and cols must be non-negative integers; got rows=${rows}, cols=${cols}.`,
    });
  }
  if (data !== undefined && (data === null || typeof data !== 'object' || data.length !== rows * cols)) {
    throw new InvalidArgumentError({
      argument: 'data',
      value: data?.length,
      message: `denseMatrix: data must have rows*cols = ${rows * cols} entries; got ${data?.length}.`,
    });
  }
  if (data instanceof Float64Array) return { rows, cols, data };
  assertAllocation('denseMatrix', `a ${rows} x ${cols} matrix`, rows * cols);
  if (data === undefined) return { rows, cols, data: new Float64Array(rows * cols) };
  return { rows, cols, data: copyNumbers('denseMatrix', 'data', data) };
}

/** Copies an array-like of numbers into a new Float64Array, refusing entries that are not numbers. */
function copyNumbers(where: string, argument: string, values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number')
      throw new InvalidArgumentError({
        argument,
        value: v,
        message: `${where}: \`${argument}\` must contain numbers; entry ${i} is ${describeValue(v)}.`,
      });
    out[i] = v;
  }
  return out;
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (Array.isArray(v)) return `an array of length ${v.length} (one nesting level too deep?)`;
  return v === null ? 'null' : typeof v === 'object' ? 'an object' : String(v);
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return (
    (Array.isArray(value) || ArrayBuffer.isView(value)) &&
    typeof (value as { length?: unknown }).length === 'number'
  );
}

/** What `toVec` accepts: a Float64Array (used as is), a number[] or any array-like of numbers (copied once). */
export type VecLike = ArrayLike<number>;

/**
 * What `toDenseMatrix` accepts: a `DenseMatrix` (validated, buffer shared), `{ rows, cols, data }`
 * with any array-like `data` (copied once), nested rows (`number[][]`, an array of Float64Arrays),
 * or a 2-D ndarray-like `{ shape: [rows, cols], get(i, j) }` (copied once).
 */
export type MatrixLike =
  | DenseMatrix
  | { readonly rows: number; readonly cols: number; readonly data: ArrayLike<number> }
  | ReadonlyArray<ArrayLike<number>>
  | { readonly shape: readonly number[]; get(i: number, j: number): number };

/**
 * A vector argument at a public boundary as a Float64Array: a Float64Array is returned as is (no
 * copy, O(1)); a number[], typed array or other array-like of numbers is copied once (O(n)).
 * Anything else, or an entry that is not a number, is an InvalidArgumentError naming `where` and
 * `argument`. Finiteness is the caller's rule (check it with `assertFinite`).
 *
 * @example
 * const b = toVec([1, 2, 3]); // Float64Array [1, 2, 3]
 */
export function toVec(values: VecLike, where = 'toVec', argument = 'values'): Float64Array {
  if (values instanceof Float64Array) return values;
  const candidate = values as unknown;
  if (
    !isArrayLike(candidate) &&
    !(
      typeof candidate === 'object' &&
      candidate !== null &&
      typeof (candidate as { length?: unknown }).length === 'number'
    )
  )
    throw new InvalidArgumentError({
      argument,
      value: values,
      message: `${where}: \`${argument}\` must be an array of numbers (number[] or Float64Array); got ${describeValue(values)}.`,
    });
  assertAllocation(where, `a vector of length ${values.length}`, values.length);
  return copyNumbers(where, argument, values);
}

/**
 * A matrix argument at a public boundary as a row-major `DenseMatrix`, converted once: a
 * `DenseMatrix` over a Float64Array is validated (data.length = rows · cols) and shared (O(1));
 * `{ rows, cols, data: number[] }`, nested rows (`number[][]`) and 2-D ndarray-likes are copied once
 * (O(rows · cols)). Shape mistakes are InvalidArgumentErrors that say what was found: ragged rows
 * (naming the row), a flat number[] where rows were expected, a 3-D array, a data buffer of the
 * wrong length.
 *
 * @example
 * const C = toDenseMatrix([[0, 1], [1, 0]]); // { rows: 2, cols: 2, data: Float64Array [0, 1, 1, 0] }
 */
export function toDenseMatrix(input: MatrixLike, where = 'toDenseMatrix', argument = 'A'): DenseMatrix {
  if (input === null || typeof input !== 'object')
    throw new InvalidArgumentError({
      argument,
      value: input,
      message: `${where}: \`${argument}\` must be a matrix (number[][] or { rows, cols, data }); got ${describeValue(input)}.`,
    });
  if (isArrayLike(input)) return fromNested(input as ArrayLike<unknown>, where, argument);
  if ('data' in input && 'rows' in input && 'cols' in input) {
    const { rows, cols, data } = input;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0)
      throw new InvalidArgumentError({
        argument,
        value: [rows, cols],
        message: `${where}: \`${argument}\` must have non-negative integer rows and cols; got ${String(rows)} x ${String(cols)}.`,
      });
    if (!isArrayLike(data) || data.length !== rows * cols)
      throw new InvalidArgumentError({
        argument: `${argument}.data`,
        value: (data as { length?: unknown } | undefined)?.length,
        message: `${where}: \`${argument}.data\` must hold rows · cols = ${rows} · ${cols} = ${rows * cols} numbers (row-major); got ${isArrayLike(data) ? `${data.length}` : describeValue(data)}.`,
      });
    if (data instanceof Float64Array) return input as DenseMatrix;
    assertAllocation(where, `a ${rows} x ${cols} matrix`, rows * cols);
    return { rows, cols, data: copyNumbers(where, `${argument}.data`, data) };
  }
  if ('shape' in input && typeof (input as { get?: unknown }).get === 'function') {
    const shape = input.shape;
    if (!Array.isArray(shape) || shape.length !== 2)
      throw new InvalidArgumentError({
        argument,
        value: shape,
        message: `${where}: \`${argument}\` must be a 2-D ndarray; got shape [${Array.isArray(shape) ? shape.join(', ') : String(shape)}]. Reshape it to [rows, cols].`,
      });
    const [rows, cols] = shape;
    assertAllocation(where, `a ${rows} x ${cols} matrix`, rows * cols);
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = input.get(i, j);
    return { rows, cols, data };
  }
  throw new InvalidArgumentError({
    argument,
    value: Object.keys(input),
    message: `${where}: \`${argument}\` must be a matrix: number[][], { rows, cols, data } or a 2-D ndarray; got an object with keys ${Object.keys(input).join(', ') || '(none)'}.`,
  });
}

function fromNested(rowsIn: ArrayLike<unknown>, where: string, argument: string): DenseMatrix {
  const m = rowsIn.length;
  if (m > 0 && typeof rowsIn[0] === 'number')
    throw new InvalidArgumentError({
      argument,
      value: m,
      message: `${where}: \`${argument}\` must be a matrix (an array of rows); got a flat array of ${m} numbers. Wrap a single row as [[...]] or pass { rows, cols, data }.`,
    });
  for (let i = 0; i < m; i++)
    if (!isArrayLike(rowsIn[i]))
      throw new InvalidArgumentError({
        argument: `${argument}[${i}]`,
        value: rowsIn[i],
        message: `${where}: \`${argument}\` row ${i} must be an array of numbers; got ${describeValue(rowsIn[i])}.`,
      });
  const rows = rowsIn as ArrayLike<ArrayLike<unknown>>;
  const n = m === 0 ? 0 : rows[0].length;
  for (let i = 1; i < m; i++)
    if (rows[i].length !== n)
      throw new InvalidArgumentError({
        argument: `${argument}[${i}]`,
        value: rows[i].length,
        message: `${where}: \`${argument}\` is ragged: row ${i} has ${rows[i].length} entries but row 0 has ${n}. Every row needs the same length.`,
      });
  assertAllocation(where, `a ${m} x ${n} matrix`, m * n);
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const r = rows[i];
    for (let j = 0; j < n; j++) {
      const v = r[j];
      if (typeof v !== 'number')
        throw new InvalidArgumentError({
          argument: `${argument}[${i}][${j}]`,
          value: v,
          message: `${where}: \`${argument}[${i}][${j}]\` must be a number; got ${describeValue(v)}${Array.isArray(v) ? ' (a 3-D array is not a matrix)' : ''}.`,
        });
      data[i * n + j] = v;
    }
  }
  return { rows: m, cols: n, data };
}

/** Builds a matrix from nested arrays (rows must have equal length; entries must be numbers). */
export function fromRows(rows: ReadonlyArray<ArrayLike<number>>): DenseMatrix {
  if (!isArrayLike(rows))
    throw new InvalidArgumentError({
      argument: 'rows',
      value: rows,
      message: `fromRows: \`rows\` must be an array of rows; got ${describeValue(rows)}.`,
    });
  return fromNested(rows, 'fromRows', 'rows');
}

/** Nested arrays of a matrix (for printing and JSON). */
export function toRows(A: DenseMatrix): number[][] {
  guardDense('toRows', 'A', A);
  const out: number[][] = [];
  for (let i = 0; i < A.rows; i++) out.push(Array.from(A.data.subarray(i * A.cols, (i + 1) * A.cols)));
  return out;
}

/** The n x n identity matrix. */
export function eye(n: number): DenseMatrix {
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError({
      argument: 'n',
      value: n,
      message: `eye: \`n\` must be a non-negative integer; got ${String(n)}.`,
    });
  const A = denseMatrix(n, n);
  for (let i = 0; i < n; i++) A.data[i * n + i] = 1;
  return A;
}

/** A view of row `i` (shares the buffer). */
export function row(A: DenseMatrix, i: number): Float64Array {
  guardDense('row', 'A', A);
  if (!Number.isInteger(i) || i < 0 || i >= A.rows)
    throw new InvalidArgumentError({
      argument: 'i',
      value: i,
      message: `row: \`i\` must be an integer in [0, ${A.rows}); got ${String(i)}.`,
    });
  return A.data.subarray(i * A.cols, (i + 1) * A.cols);
}

/** Writes the transpose of `A` into `out` (a cols x rows matrix). Cache-blocked. */
export function transpose(A: DenseMatrix, out?: DenseMatrix): DenseMatrix {
  guardDense('transpose', 'A', A);
  if (out === undefined) out = denseMatrix(A.cols, A.rows);
  guardDense('transpose', 'out', out);
  if (out.rows !== A.cols || out.cols !== A.rows)
    kernelShapeError(
      'transpose',
      'out',
      [out.rows, out.cols],
      `out must be ${A.cols} x ${A.rows} (the transpose of A)`,
    );
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
  guardDense('cloneMatrix', 'A', A);
  return { rows: A.rows, cols: A.cols, data: A.data.slice() };
}

import { invalidArgument } from '../validate/validate';
import type { CsrMatrix } from './csr-matrix';
import type { DenseMatrix } from './dense-matrix';

/**
 * Boundary checks for matrices (O(1) for dense, O(nnz) for CSR). Constructors and the entry points
 * that take a matrix call them once; kernels (gemv, spmv, ...) never do.
 */

function isDimension(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/**
 * Throws `InvalidArgumentError` unless `A` is a dense row-major matrix: non-negative integer
 * rows/cols and a Float64Array `data` of exactly rows · cols entries (a shorter buffer would be
 * read out of bounds as undefined → NaN; a longer one means the shape is wrong).
 */
export function assertDenseMatrix(where: string, argument: string, A: unknown): asserts A is DenseMatrix {
  if (typeof A !== 'object' || A === null)
    invalidArgument(where, argument, A, `\`${argument}\` must be a dense matrix { rows, cols, data }`);
  const { rows, cols, data } = A as Partial<DenseMatrix>;
  if (!isDimension(rows) || !isDimension(cols))
    invalidArgument(
      where,
      argument,
      [rows, cols],
      `\`${argument}\` must have non-negative integer rows and cols`,
    );
  if (!(data instanceof Float64Array))
    invalidArgument(
      where,
      `${argument}.data`,
      data,
      `\`${argument}.data\` must be a Float64Array (row-major); convert nested arrays with toDenseMatrix(...)`,
    );
  if (data.length !== rows * cols)
    invalidArgument(
      where,
      `${argument}.data`,
      data.length,
      `\`${argument}.data\` must hold rows · cols = ${rows} · ${cols} = ${rows * cols} entries (row-major); it holds ${data.length}`,
    );
}

/**
 * Throws `InvalidArgumentError` unless `A` is a valid CSR matrix: rowPointers (Int32Array) of
 * length rows + 1 starting at 0 and non-decreasing, ending at nnz = values.length =
 * columnIndices.length, and every column index an integer in [0, cols). Unsorted or duplicate column
 * indices within a row are allowed (scipy allows them too; duplicates are summed by every kernel).
 */
export function assertCsrMatrix(where: string, argument: string, A: unknown): asserts A is CsrMatrix {
  if (typeof A !== 'object' || A === null)
    invalidArgument(
      where,
      argument,
      A,
      `\`${argument}\` must be a CSR matrix { rows, cols, rowPointers, columnIndices, values }`,
    );
  const { rows, cols, rowPointers: p, columnIndices: c, values: v } = A as Partial<CsrMatrix>;
  if (!isDimension(rows) || !isDimension(cols))
    invalidArgument(
      where,
      argument,
      [rows, cols],
      `\`${argument}\` must have non-negative integer rows and cols`,
    );
  if (!(p instanceof Int32Array) || !(c instanceof Int32Array) || !(v instanceof Float64Array))
    invalidArgument(
      where,
      argument,
      [p?.constructor?.name, c?.constructor?.name, v?.constructor?.name],
      `\`${argument}\` needs rowPointers and columnIndices as Int32Array and values as Float64Array; build it with csrFromTriplets or csrFromDense`,
    );
  if (p.length !== rows + 1)
    invalidArgument(
      where,
      `${argument}.rowPointers`,
      p.length,
      `\`${argument}.rowPointers\` must have rows + 1 = ${rows + 1} entries`,
    );
  if (c.length !== v.length)
    invalidArgument(
      where,
      `${argument}.columnIndices`,
      [c.length, v.length],
      `\`${argument}.columnIndices\` and \`${argument}.values\` must have the same length (nnz); they have ${c.length} and ${v.length}`,
    );
  if (p[0] !== 0)
    invalidArgument(where, `${argument}.rowPointers`, p[0], `\`${argument}.rowPointers[0]\` must be 0`);
  for (let i = 0; i < rows; i++)
    if (p[i + 1] < p[i])
      invalidArgument(
        where,
        `${argument}.rowPointers`,
        [p[i], p[i + 1]],
        `\`${argument}.rowPointers\` must be non-decreasing; rowPointers[${i}] = ${p[i]} > rowPointers[${i + 1}] = ${p[i + 1]}`,
      );
  if (p[rows] !== v.length)
    invalidArgument(
      where,
      `${argument}.rowPointers`,
      p[rows],
      `\`${argument}.rowPointers[rows]\` must equal nnz = values.length = ${v.length}; it is ${p[rows]}`,
    );
  for (let k = 0; k < c.length; k++)
    if (c[k] < 0 || c[k] >= cols)
      invalidArgument(
        where,
        `${argument}.columnIndices`,
        c[k],
        `\`${argument}.columnIndices[${k}]\` = ${c[k]} is outside [0, ${cols}) (a ${rows} x ${cols} matrix)`,
      );
}

/**
 * Thrown by the matrix kernels' O(1) shape guard (gemv, gemm, spmv, transpose, ...). The guard
 * compares lengths only: a buffer shorter than its shape says would be read out of bounds (as
 * undefined → NaN) or written past its end (silently dropped). Longer buffers are allowed (a kernel
 * reads the first rows · cols entries). Entries are never inspected, so the guard costs nothing
 * measurable next to the O(rows · cols) work.
 */
export function kernelShapeError(where: string, argument: string, value: unknown, rule: string): never {
  invalidArgument(where, argument, value, rule);
}

/** True when `length` is at least `needed` (false for NaN sizes, so malformed shapes fail too). */
export function holds(length: number, needed: number): boolean {
  return length >= needed;
}

/** O(1) guard of a dense matrix argument of a kernel: integer shape and data.length ≥ rows · cols. */
export function guardDense(where: string, argument: string, A: DenseMatrix): void {
  const { rows, cols } = A;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0)
    kernelShapeError(
      where,
      argument,
      [rows, cols],
      `\`${argument}\` must have non-negative integer rows and cols`,
    );
  const length = A.data?.length;
  if (!holds(length, rows * cols))
    kernelShapeError(
      where,
      `${argument}.data`,
      length,
      `\`${argument}.data\` holds fewer than rows · cols = ${rows} · ${cols} = ${rows * cols} entries`,
    );
}

/** O(1) guard of a vector argument of a kernel: length ≥ needed. */
export function guardLength(
  where: string,
  argument: string,
  x: ArrayLike<number>,
  needed: number,
  why: string,
): void {
  const length = x?.length;
  if (!holds(length, needed))
    kernelShapeError(
      where,
      argument,
      length,
      `\`${argument}\` must have at least ${needed} entries (${why})`,
    );
}

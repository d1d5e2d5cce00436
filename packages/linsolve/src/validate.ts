import {
  type CsrMatrix,
  csrOperator,
  type DenseMatrix,
  denseOperator,
  InvalidArgumentError,
  type Operator,
  transposeOf,
  type Vec,
} from '@argmin/core';

/** A linear map given as an Operator, a CSR matrix or a dense matrix. */
export type MatrixLike = Operator | CsrMatrix | DenseMatrix;

/** Converts a CSR/dense matrix to an Operator (operators pass through), checking its shape and entries. */
export function asOperator(where: string, argument: string, A: MatrixLike): Operator {
  if (A && typeof (A as Operator).apply === 'function') {
    checkDimensions(where, argument, A.rows, A.cols);
    return A as Operator;
  }
  if (A && (A as CsrMatrix).rowPointers instanceof Int32Array) {
    checkCsr(where, argument, A as CsrMatrix);
    return csrOperator(A as CsrMatrix);
  }
  if (A && (A as DenseMatrix).data instanceof Float64Array) {
    checkDense(where, argument, A as DenseMatrix);
    return denseOperator(A as DenseMatrix);
  }
  throw new InvalidArgumentError({
    argument,
    value: typeof A,
    message: `${where}: \`${argument}\` must be an Operator, a CsrMatrix or a DenseMatrix; got ${A === null ? 'null' : typeof A}. Wrap a function with operatorFromFunction({ rows, cols, apply }).`,
  });
}

function checkDimensions(where: string, argument: string, rows: unknown, cols: unknown): void {
  if (
    !Number.isSafeInteger(rows) ||
    !Number.isSafeInteger(cols) ||
    (rows as number) < 0 ||
    (cols as number) < 0
  ) {
    throw new InvalidArgumentError({
      argument,
      value: [rows, cols],
      message: `${where}: \`${argument}\` must have non-negative integer \`rows\` and \`cols\`; got ${String(rows)} x ${String(cols)}.`,
    });
  }
}

function checkFiniteEntries(where: string, argument: string, values: Float64Array, count: number): void {
  for (let k = 0; k < count; k++) {
    if (!Number.isFinite(values[k])) {
      throw new InvalidArgumentError({
        argument,
        value: values[k],
        message: `${where}: \`${argument}\` has a non-finite entry ${values[k]} (stored entry ${k}); every entry must be finite.`,
      });
    }
  }
}

/** A dense matrix must hold exactly rows × cols finite entries (a short `data` would be read out of bounds). */
export function checkDense(where: string, argument: string, A: DenseMatrix): void {
  checkDimensions(where, argument, A.rows, A.cols);
  if (A.data.length !== A.rows * A.cols) {
    throw new InvalidArgumentError({
      argument,
      value: A.data.length,
      message: `${where}: \`${argument}\` is ${A.rows} x ${A.cols} but its data has ${A.data.length} entries; it needs rows * cols = ${A.rows * A.cols} (row-major). Build it with denseMatrix(rows, cols, data).`,
    });
  }
  checkFiniteEntries(where, argument, A.data, A.data.length);
}

/** A CSR matrix must have rows + 1 non-decreasing row pointers from 0, in-range column indices and finite values. */
export function checkCsr(where: string, argument: string, A: CsrMatrix): void {
  checkDimensions(where, argument, A.rows, A.cols);
  const { rowPointers, columnIndices, values } = A;
  const bad = (detail: string, value: unknown): never => {
    throw new InvalidArgumentError({
      argument,
      value,
      message: `${where}: \`${argument}\` is not a valid ${A.rows} x ${A.cols} CSR matrix: ${detail}. Build it with csrFromTriplets(rows, cols, i, j, v).`,
    });
  };
  if (rowPointers.length !== A.rows + 1)
    bad(
      `rowPointers has ${rowPointers.length} entries, expected rows + 1 = ${A.rows + 1}`,
      rowPointers.length,
    );
  if (rowPointers[0] !== 0) bad(`rowPointers[0] is ${rowPointers[0]}, expected 0`, rowPointers[0]);
  for (let i = 0; i < A.rows; i++)
    if (rowPointers[i + 1] < rowPointers[i]) bad(`rowPointers decreases at row ${i}`, i);
  const count = rowPointers[A.rows];
  if (
    !(values instanceof Float64Array) ||
    !(columnIndices instanceof Int32Array) ||
    columnIndices.length < count ||
    values.length < count
  )
    bad(
      `it stores ${count} entries but has ${columnIndices?.length} column indices and ${values?.length} values`,
      count,
    );
  for (let k = 0; k < count; k++) {
    const j = columnIndices[k];
    if (j < 0 || j >= A.cols) bad(`column index ${j} (stored entry ${k}) is outside [0, ${A.cols})`, j);
  }
  checkFiniteEntries(where, argument, values, count);
}

/** A vector argument: a Float64Array of the given length with finite entries. */
export function checkVector(where: string, argument: string, v: unknown, length: number): asserts v is Vec {
  if (!(v instanceof Float64Array) || v.length !== length) {
    throw new InvalidArgumentError({
      argument,
      value: v instanceof Float64Array ? v.length : typeof v,
      message: `${where}: \`${argument}\` must be a Float64Array of length ${length}; got ${v instanceof Float64Array ? `length ${v.length}` : typeof v}.`,
    });
  }
  for (let i = 0; i < length; i++) {
    if (!Number.isFinite(v[i])) {
      throw new InvalidArgumentError({
        argument,
        value: v[i],
        message: `${where}: \`${argument}\` must be finite; got ${v[i]} at index ${i}.`,
      });
    }
  }
}

/** True when every entry is finite. */
export function allFinite(v: Vec): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

export function invalidGrid(where: string, nx: number, ny: number): never {
  throw new InvalidArgumentError({
    argument: 'gridSize',
    value: [nx, ny],
    message: `${where}: grid sizes must be positive integers; got ${nx} x ${ny}.`,
  });
}

/** Checks a square operator, a finite rhs of matching length, an optional x0 and tolerances. */
export function validateSystem(
  where: string,
  A: Operator,
  b: Vec,
  x0: Vec | undefined,
  rtol: number,
  atol: number,
): void {
  if (A.rows !== A.cols) {
    throw new InvalidArgumentError({
      argument: 'A',
      value: [A.rows, A.cols],
      message: `${where}: the operator must be square; got ${A.rows} x ${A.cols}. Krylov solvers need A: R^n -> R^n; for least squares use the normal equations or LSQR.`,
    });
  }
  if (!(b instanceof Float64Array)) {
    throw new InvalidArgumentError({
      argument: 'b',
      value: typeof b,
      message: `${where}: \`b\` must be a Float64Array; got ${typeof b}. Convert with Float64Array.from(...).`,
    });
  }
  if (b.length !== A.rows) {
    throw new InvalidArgumentError({
      argument: 'b',
      value: b.length,
      message: `${where}: right-hand side length ${b.length} does not match the operator size ${A.rows} x ${A.cols}. Pass b with ${A.rows} entries.`,
    });
  }
  for (let i = 0; i < b.length; i++) {
    if (!Number.isFinite(b[i])) {
      throw new InvalidArgumentError({
        argument: 'b',
        value: b[i],
        message: `${where}: \`b\` must be finite; got ${b[i]} at index ${i}. Remove or impute non-finite entries.`,
      });
    }
  }
  if (x0 !== undefined) {
    if (!(x0 instanceof Float64Array) || x0.length !== A.cols) {
      throw new InvalidArgumentError({
        argument: 'x0',
        value: x0?.length,
        message: `${where}: \`x0\` must be a Float64Array of length ${A.cols}; got ${x0 instanceof Float64Array ? `length ${x0.length}` : typeof x0}.`,
      });
    }
    for (let i = 0; i < x0.length; i++) {
      if (!Number.isFinite(x0[i])) {
        throw new InvalidArgumentError({
          argument: 'x0',
          value: x0[i],
          message: `${where}: \`x0\` must be finite; got ${x0[i]} at index ${i}.`,
        });
      }
    }
  }
  if (!(rtol >= 0) || !Number.isFinite(rtol)) {
    throw new InvalidArgumentError({
      argument: 'rtol',
      value: rtol,
      message: `${where}: \`rtol\` must be a finite number >= 0; got ${rtol}. The test is ||b - A x|| <= max(rtol * ||b||, atol).`,
    });
  }
  if (!(atol >= 0) || !Number.isFinite(atol)) {
    throw new InvalidArgumentError({
      argument: 'atol',
      value: atol,
      message: `${where}: \`atol\` must be a finite number >= 0; got ${atol}. The test is ||b - A x|| <= max(rtol * ||b||, atol).`,
    });
  }
}

/**
 * A recycle space `{ U, C, pending? }`: U a list of Float64Arrays of length n with finite entries;
 * C empty or as many vectors as U ('same', GCRO-DR), or at most as many ('prefix', GCROT computes
 * the missing c = A u); `pending` (GCROT) vectors of length n.
 */
export function checkRecycleSpace(
  where: string,
  space: { readonly U: readonly Vec[]; readonly C: readonly Vec[]; readonly pending?: readonly Vec[] },
  n: number,
  cRule: 'same' | 'prefix',
): void {
  const bad = (detail: string, value: unknown): never => {
    throw new InvalidArgumentError({
      argument: 'recycleSpace',
      value,
      message: `${where}: \`recycleSpace\` must be { U, C } with U a list of Float64Arrays of length ${n} and C ${cRule === 'same' ? 'empty or the same count' : 'at most as many'}: ${detail}. Pass the \`recycleSpace\` of a previous result for a system of the same size.`,
    });
  };
  if (!Array.isArray(space.U) || !Array.isArray(space.C)) bad('U and C must be arrays', typeof space.U);
  if (
    cRule === 'same'
      ? space.C.length !== 0 && space.C.length !== space.U.length
      : space.C.length > space.U.length
  )
    bad(`U has ${space.U.length} vectors but C has ${space.C.length}`, [space.U.length, space.C.length]);
  if (space.pending !== undefined && !Array.isArray(space.pending))
    bad('pending must be an array', typeof space.pending);
  space.U.forEach((u, j) => {
    checkVector(where, `recycleSpace.U[${j}]`, u, n);
  });
  space.C.forEach((c, j) => {
    if (c !== undefined || cRule === 'same') checkVector(where, `recycleSpace.C[${j}]`, c, n);
  });
  (space.pending ?? []).forEach((u, j) => {
    checkVector(where, `recycleSpace.pending[${j}]`, u, n);
  });
}

/**
 * Checks a rectangular system for least-squares solvers: an m × n operator with a transpose
 * (`applyTranspose`, or its older alias `applyAdjoint`; dense and CSR matrices have both), b of length
 * m with finite entries, x0 of length n. Returns the operator with both names set to the transpose.
 */
export function validateLeastSquares(where: string, A: MatrixLike, b: unknown, x0: unknown): Operator {
  const operator = asOperator(where, 'A', A);
  const transpose = transposeOf(operator);
  if (transpose === undefined) {
    throw new InvalidArgumentError({
      argument: 'A',
      value: 'no applyTranspose',
      message: `${where}: the operator needs \`applyTranspose(y, out)\` (Aᵀ y; \`applyAdjoint\` is accepted too) for least squares; pass a CsrMatrix or DenseMatrix, or give operatorFromFunction an applyTranspose.`,
    });
  }
  checkVector(where, 'b', b, operator.rows);
  if (x0 !== undefined) checkVector(where, 'x0', x0, operator.cols);
  return {
    rows: operator.rows,
    cols: operator.cols,
    apply: (x, out) => operator.apply(x, out),
    applyTranspose: transpose,
    applyAdjoint: transpose,
  };
}

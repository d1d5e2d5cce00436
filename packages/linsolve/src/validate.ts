import {
  type CsrMatrix,
  csrOperator,
  type DenseMatrix,
  denseOperator,
  InvalidArgumentError,
  type Operator,
  type Vec,
} from '@argmin/core';

/** A linear map given as an Operator, a CSR matrix or a dense matrix. */
export type MatrixLike = Operator | CsrMatrix | DenseMatrix;

/** Converts a CSR/dense matrix to an Operator (operators pass through). */
export function asOperator(where: string, argument: string, A: MatrixLike): Operator {
  if (A && typeof (A as Operator).apply === 'function') return A as Operator;
  if (A && (A as CsrMatrix).rowPointers instanceof Int32Array) return csrOperator(A as CsrMatrix);
  if (A && (A as DenseMatrix).data instanceof Float64Array) return denseOperator(A as DenseMatrix);
  throw new InvalidArgumentError({
    argument,
    value: typeof A,
    message: `${where}: \`${argument}\` must be an Operator, a CsrMatrix or a DenseMatrix; got ${A === null ? 'null' : typeof A}. Wrap a function with operatorFromFunction({ rows, cols, apply }).`,
  });
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

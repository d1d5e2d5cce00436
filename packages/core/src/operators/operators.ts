import { InvalidArgumentError } from '../errors/argmin-error';
import type { CsrMatrix } from '../linalg/csr-matrix';
import type { DenseMatrix } from '../linalg/dense-matrix';
import { gemv, gemvTransposed } from '../linalg/gemv';
import { spmv, spmvTransposed } from '../linalg/spmv';
import type { Operator, OperatorTraits } from '../spec/operator';
import type { Vec } from '../spec/vec';

/** The operator x ↦ A x of a dense row-major matrix (shares A's buffer). */
export function denseOperator(A: DenseMatrix, traits?: OperatorTraits): Operator {
  return {
    rows: A.rows,
    cols: A.cols,
    traits,
    apply: (x, out) => gemv(A, x, out),
    applyAdjoint: (y, out) => gemvTransposed(A, y, out),
    diagonal: () => {
      const n = Math.min(A.rows, A.cols);
      const d = new Float64Array(n);
      for (let i = 0; i < n; i++) d[i] = A.data[i * A.cols + i];
      return d;
    },
  };
}

/** The operator x ↦ A x of a CSR matrix. */
export function csrOperator(A: CsrMatrix, traits?: OperatorTraits): Operator {
  return {
    rows: A.rows,
    cols: A.cols,
    traits,
    apply: (x, out) => spmv(A, x, out),
    applyAdjoint: (y, out) => spmvTransposed(A, y, out),
    diagonal: () => {
      const n = Math.min(A.rows, A.cols);
      const d = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        for (let k = A.rowPointers[i]; k < A.rowPointers[i + 1]; k++)
          if (A.columnIndices[k] === i) d[i] += A.values[k];
      }
      return d;
    },
  };
}

/** The diagonal operator x ↦ d ⊙ x. */
export function diagonalOperator(d: Vec): Operator {
  let positive = true;
  for (let i = 0; i < d.length; i++) if (!(d[i] > 0)) positive = false;
  const apply = (x: Vec, out: Vec): Vec => {
    for (let i = 0; i < d.length; i++) out[i] = d[i] * x[i];
    return out;
  };
  return {
    rows: d.length,
    cols: d.length,
    traits: { symmetric: true, positiveDefinite: positive },
    apply,
    applyAdjoint: apply,
    diagonal: () => d.slice(),
  };
}

/** The n x n identity. */
export function identityOperator(n: number): Operator {
  const apply = (x: Vec, out: Vec): Vec => {
    out.set(x.subarray(0, n));
    return out;
  };
  return {
    rows: n,
    cols: n,
    traits: { symmetric: true, positiveDefinite: true },
    apply,
    applyAdjoint: apply,
    diagonal: () => new Float64Array(n).fill(1),
  };
}

/** A matrix-free operator from functions (stencils, FFT-based maps, ...). */
export function operatorFromFunction(definition: {
  rows: number;
  cols: number;
  apply: (x: Vec, out: Vec) => Vec;
  applyAdjoint?: (y: Vec, out: Vec) => Vec;
  traits?: OperatorTraits;
  diagonal?: () => Vec;
}): Operator {
  if (
    !Number.isInteger(definition.rows) ||
    !Number.isInteger(definition.cols) ||
    definition.rows < 0 ||
    definition.cols < 0
  ) {
    throw new InvalidArgumentError({
      argument: 'rows/cols',
      value: [definition.rows, definition.cols],
      message: `operatorFromFunction: rows and cols must be non-negative integers; got ${definition.rows} x ${definition.cols}.`,
    });
  }
  return { ...definition };
}

/** The composition A ∘ B: x ↦ A (B x). Requires A.cols === B.rows. */
export function composeOperators(A: Operator, B: Operator): Operator {
  if (A.cols !== B.rows) {
    throw new InvalidArgumentError({
      argument: 'B',
      value: [A.cols, B.rows],
      message: `composeOperators: A has ${A.cols} columns but B has ${B.rows} rows; A ∘ B needs them equal.`,
    });
  }
  const middle = new Float64Array(B.rows);
  const middleAdjoint = new Float64Array(A.cols);
  const adjointA = A.applyAdjoint;
  const adjointB = B.applyAdjoint;
  return {
    rows: A.rows,
    cols: B.cols,
    apply: (x, out) => A.apply(B.apply(x, middle), out),
    applyAdjoint: adjointA && adjointB ? (y, out) => adjointB(adjointA(y, middleAdjoint), out) : undefined,
  };
}

/** The sum A₁ + A₂ + ... of operators of equal shape. */
export function sumOperators(...operators: Operator[]): Operator {
  if (operators.length === 0) {
    throw new InvalidArgumentError({
      argument: 'operators',
      value: 0,
      message: 'sumOperators: pass at least one operator.',
    });
  }
  const { rows, cols } = operators[0];
  operators.forEach((op, i) => {
    if (op.rows !== rows || op.cols !== cols) {
      throw new InvalidArgumentError({
        argument: `operators[${i}]`,
        value: [op.rows, op.cols],
        message: `sumOperators: operator ${i} is ${op.rows} x ${op.cols} but operator 0 is ${rows} x ${cols}.`,
      });
    }
  });
  const scratch = new Float64Array(rows);
  const scratchAdjoint = new Float64Array(cols);
  const allAdjoint = operators.every((op) => op.applyAdjoint);
  const symmetric = operators.every((op) => op.traits?.symmetric);
  const positiveDefinite = symmetric && operators.every((op) => op.traits?.positiveDefinite);
  return {
    rows,
    cols,
    traits: { symmetric, positiveDefinite },
    apply(x, out) {
      operators[0].apply(x, out);
      for (let k = 1; k < operators.length; k++) {
        operators[k].apply(x, scratch);
        for (let i = 0; i < rows; i++) out[i] += scratch[i];
      }
      return out;
    },
    applyAdjoint: allAdjoint
      ? (y, out) => {
          operators[0].applyAdjoint!(y, out);
          for (let k = 1; k < operators.length; k++) {
            operators[k].applyAdjoint!(y, scratchAdjoint);
            for (let i = 0; i < cols; i++) out[i] += scratchAdjoint[i];
          }
          return out;
        }
      : undefined,
  };
}

/** The operator alpha · A. */
export function scaleOperator(alpha: number, A: Operator): Operator {
  const adjoint = A.applyAdjoint;
  return {
    rows: A.rows,
    cols: A.cols,
    traits: A.traits
      ? { symmetric: A.traits.symmetric, positiveDefinite: A.traits.positiveDefinite && alpha > 0 }
      : undefined,
    apply(x, out) {
      A.apply(x, out);
      for (let i = 0; i < A.rows; i++) out[i] *= alpha;
      return out;
    },
    applyAdjoint: adjoint
      ? (y, out) => {
          adjoint(y, out);
          for (let i = 0; i < A.cols; i++) out[i] *= alpha;
          return out;
        }
      : undefined,
  };
}

/** The adjoint operator Aᵀ (requires A.applyAdjoint). */
export function adjointOperator(A: Operator): Operator {
  if (!A.applyAdjoint) {
    throw new InvalidArgumentError({
      argument: 'A',
      value: 'no applyAdjoint',
      message:
        'adjointOperator: `A` has no applyAdjoint; provide one (e.g. operatorFromFunction({ applyAdjoint }))',
    });
  }
  return {
    rows: A.cols,
    cols: A.rows,
    traits: A.traits,
    apply: A.applyAdjoint.bind(A),
    applyAdjoint: A.apply.bind(A),
  };
}

/** Materializes an operator as a dense matrix by applying it to the unit vectors (for tests and small problems). */
export function operatorToDense(A: Operator): DenseMatrix {
  const data = new Float64Array(A.rows * A.cols);
  const e = new Float64Array(A.cols);
  const column = new Float64Array(A.rows);
  for (let j = 0; j < A.cols; j++) {
    e[j] = 1;
    A.apply(e, column);
    for (let i = 0; i < A.rows; i++) data[i * A.cols + j] = column[i];
    e[j] = 0;
  }
  return { rows: A.rows, cols: A.cols, data };
}

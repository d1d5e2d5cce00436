import { InvalidArgumentError } from '../errors/argmin-error';
import type { CsrMatrix } from '../linalg/csr-matrix';
import {
  type DenseMatrix,
  type MatrixLike,
  toDenseMatrix,
  toVec,
  type VecLike,
} from '../linalg/dense-matrix';
import { gemv, gemvTransposed } from '../linalg/gemv';
import { spmv, spmvTransposed } from '../linalg/spmv';
import { assertCsrMatrix, assertDenseMatrix } from '../linalg/validate-matrix';
import { assertAllocation } from '../resources/budget';
import type { Operator, OperatorTraits } from '../spec/operator';
import type { Vec } from '../spec/vec';
import { assertFinite, assertInteger } from '../validate/validate';

/**
 * Operator constructors. Every operator built here provides `applyTranspose` whenever its parts do,
 * and sets the deprecated `applyAdjoint` to the same function (see `Operator`). Composite operators
 * allocate their scratch vectors once, at construction; `apply` and `applyTranspose` never allocate.
 */

type Apply = (y: Vec, out: Vec) => Vec;

/**
 * The transpose product y ↦ Aᵀ y of an operator, whichever name it uses (`applyTranspose`, or the
 * deprecated `applyAdjoint`), bound to `A`; undefined when it has neither.
 */
export function transposeOf(A: Operator): Apply | undefined {
  const f = A.applyTranspose ?? A.applyAdjoint;
  return f ? f.bind(A) : undefined;
}

/** Whether `A` can apply its transpose. */
export function hasTranspose(A: Operator): boolean {
  return typeof (A.applyTranspose ?? A.applyAdjoint) === 'function';
}

/** `applyTranspose` and its alias `applyAdjoint` set to the same function (or neither). */
function transposeFields(f: Apply | undefined): { applyTranspose?: Apply; applyAdjoint?: Apply } {
  return f ? { applyTranspose: f, applyAdjoint: f } : {};
}

function requireTranspose(where: string, argument: string, A: Operator): Apply {
  const f = transposeOf(A);
  if (!f)
    throw new InvalidArgumentError({
      argument,
      value: 'no applyTranspose',
      message: `${where}: \`${argument}\` has no applyTranspose; provide one (e.g. operatorFromFunction({ apply, applyTranspose }))`,
    });
  return f;
}

/**
 * The operator x ↦ A x of a dense row-major matrix (shares A's buffer; number[][] or
 * { rows, cols, data: number[] } is copied once); Aᵀ y by `gemvTransposed` (no transposed copy).
 */
export function denseOperator(matrix: MatrixLike, traits?: OperatorTraits): Operator {
  const candidate = matrix as Partial<DenseMatrix> | null;
  const A =
    candidate !== null && typeof candidate === 'object' && candidate.data instanceof Float64Array
      ? (matrix as DenseMatrix)
      : toDenseMatrix(matrix, 'denseOperator', 'A');
  assertDenseMatrix('denseOperator', 'A', A);
  return {
    rows: A.rows,
    cols: A.cols,
    traits,
    apply: (x, out) => gemv(A, x, out),
    ...transposeFields((y, out) => gemvTransposed(A, y, out)),
    diagonal: () => {
      const n = Math.min(A.rows, A.cols);
      const d = new Float64Array(n);
      for (let i = 0; i < n; i++) d[i] = A.data[i * A.cols + i];
      return d;
    },
  };
}

/**
 * The operator x ↦ A x of a CSR matrix (validated once: row pointers monotone, column indices in
 * range); Aᵀ y by the scatter kernel `spmvTransposed`, which allocates nothing.
 */
export function csrOperator(A: CsrMatrix, traits?: OperatorTraits): Operator {
  assertCsrMatrix('csrOperator', 'A', A);
  return {
    rows: A.rows,
    cols: A.cols,
    traits,
    apply: (x, out) => spmv(A, x, out),
    ...transposeFields((y, out) => spmvTransposed(A, y, out)),
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

/** The diagonal operator x ↦ d ⊙ x (its own transpose); `d` a Float64Array (shared) or number[] (copied). */
export function diagonalOperator(diagonal: VecLike): Operator {
  const d = toVec(diagonal, 'diagonalOperator', 'd');
  assertFinite('diagonalOperator', 'd', d);
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
    ...transposeFields(apply),
    diagonal: () => d.slice(),
  };
}

/** The n x n identity (its own transpose). */
export function identityOperator(n: number): Operator {
  assertInteger('identityOperator', 'n', n, 0);
  const apply = (x: Vec, out: Vec): Vec => {
    out.set(x.subarray(0, n));
    return out;
  };
  return {
    rows: n,
    cols: n,
    traits: { symmetric: true, positiveDefinite: true },
    apply,
    ...transposeFields(apply),
    diagonal: () => {
      assertAllocation('identityOperator.diagonal', `a diagonal of length ${n}`, n);
      return new Float64Array(n).fill(1);
    },
  };
}

/**
 * A matrix-free operator from functions (stencils, FFT-based maps, ...). The transpose is optional:
 * give `applyTranspose` (or the deprecated `applyAdjoint`, not both) to let LSQR/CGLS and
 * `transposeOperator` use it.
 */
export function operatorFromFunction(definition: {
  rows: number;
  cols: number;
  apply: (x: Vec, out: Vec) => Vec;
  applyTranspose?: (y: Vec, out: Vec) => Vec;
  /** @deprecated Use `applyTranspose`. */
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
  for (const key of ['apply', 'applyTranspose', 'applyAdjoint', 'diagonal'] as const) {
    const f = definition[key];
    if ((key === 'apply' || f !== undefined) && typeof f !== 'function')
      throw new InvalidArgumentError({
        argument: key,
        value: f,
        message: `operatorFromFunction: \`${key}\` must be a function (x, out) => out; got ${typeof f}.`,
      });
  }
  const { applyTranspose, applyAdjoint, ...rest } = definition;
  if (applyTranspose && applyAdjoint && applyTranspose !== applyAdjoint)
    throw new InvalidArgumentError({
      argument: 'applyAdjoint',
      value: 'both given',
      message:
        'operatorFromFunction: give `applyTranspose` or its deprecated alias `applyAdjoint`, not two different functions.',
    });
  return { ...rest, ...transposeFields(applyTranspose ?? applyAdjoint) };
}

/** The composition A ∘ B: x ↦ A (B x), with (A B)ᵀ = Bᵀ Aᵀ. Requires A.cols === B.rows. */
export function composeOperators(A: Operator, B: Operator): Operator {
  if (A.cols !== B.rows) {
    throw new InvalidArgumentError({
      argument: 'B',
      value: [A.cols, B.rows],
      message: `composeOperators: A has ${A.cols} columns but B has ${B.rows} rows; A ∘ B needs them equal.`,
    });
  }
  const middle = new Float64Array(B.rows);
  const transposeA = transposeOf(A);
  const transposeB = transposeOf(B);
  return {
    rows: A.rows,
    cols: B.cols,
    apply: (x, out) => A.apply(B.apply(x, middle), out),
    // (A B)ᵀ y = Bᵀ (Aᵀ y); A.cols === B.rows, so `middle` serves both directions.
    ...transposeFields(
      transposeA && transposeB ? (y, out) => transposeB(transposeA(y, middle), out) : undefined,
    ),
  };
}

/** The sum A₁ + A₂ + ... of operators of equal shape, with (Σ Aₖ)ᵀ = Σ Aₖᵀ. */
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
  const scratchTranspose = new Float64Array(cols);
  const transposes = operators.map(transposeOf);
  const allTranspose = transposes.every((f) => f !== undefined);
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
    ...transposeFields(
      allTranspose
        ? (y, out) => {
            transposes[0]!(y, out);
            for (let k = 1; k < operators.length; k++) {
              transposes[k]!(y, scratchTranspose);
              for (let i = 0; i < cols; i++) out[i] += scratchTranspose[i];
            }
            return out;
          }
        : undefined,
    ),
  };
}

/** The operator alpha · A, with (alpha A)ᵀ = alpha Aᵀ. */
export function scaleOperator(alpha: number, A: Operator): Operator {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha))
    throw new InvalidArgumentError({
      argument: 'alpha',
      value: alpha,
      message: `scaleOperator: \`alpha\` must be a finite number; got ${String(alpha)}.`,
    });
  const transpose = transposeOf(A);
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
    ...transposeFields(
      transpose
        ? (y, out) => {
            transpose(y, out);
            for (let i = 0; i < A.cols; i++) out[i] *= alpha;
            return out;
          }
        : undefined,
    ),
  };
}

/** The transpose operator Aᵀ: apply is A's transpose product, applyTranspose is A.apply. */
export function transposeOperator(A: Operator): Operator {
  const transpose = requireTranspose('transposeOperator', 'A', A);
  return {
    rows: A.cols,
    cols: A.rows,
    traits: A.traits,
    apply: transpose,
    ...transposeFields(A.apply.bind(A)),
    // diag(Aᵀ)_i = A_ii, so the diagonal carries over.
    ...(A.diagonal ? { diagonal: A.diagonal.bind(A) } : {}),
  };
}

/** @deprecated The earlier name of `transposeOperator` (real operators: the adjoint is the transpose). */
export const adjointOperator = transposeOperator;

/** Materializes an operator as a dense matrix by applying it to the unit vectors (for tests and small problems). */
export function operatorToDense(A: Operator): DenseMatrix {
  assertAllocation('operatorToDense', `a dense ${A.rows} x ${A.cols} matrix`, A.rows * A.cols);
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

/**
 * Materializes Aᵀ (a cols x rows matrix) by applying A's transpose product to the unit vectors; a
 * test reference for `applyTranspose`, independent of `apply`.
 */
export function operatorTransposeToDense(A: Operator): DenseMatrix {
  const transpose = requireTranspose('operatorTransposeToDense', 'A', A);
  assertAllocation('operatorTransposeToDense', `a dense ${A.cols} x ${A.rows} matrix`, A.rows * A.cols);
  const data = new Float64Array(A.rows * A.cols);
  const e = new Float64Array(A.rows);
  const column = new Float64Array(A.cols);
  for (let i = 0; i < A.rows; i++) {
    e[i] = 1;
    transpose(e, column);
    for (let j = 0; j < A.cols; j++) data[j * A.rows + i] = column[j];
    e[i] = 0;
  }
  return { rows: A.cols, cols: A.rows, data };
}

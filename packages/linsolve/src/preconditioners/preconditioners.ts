import {
  type CsrMatrix,
  InvalidArgumentError,
  type Operator,
  operatorFromFunction,
  type Vec,
} from '@argmin/core';
import { asOperator, checkCsr, type MatrixLike } from '../validate';

function diagonalPositions(where: string, A: CsrMatrix): Int32Array {
  if (!(A && A.rowPointers instanceof Int32Array)) {
    throw new InvalidArgumentError({
      argument: 'A',
      value: typeof A,
      message: `${where}: \`A\` must be a CsrMatrix (the factorization runs over its rows); build one with csrFromTriplets.`,
    });
  }
  checkCsr(where, 'A', A);
  if (A.rows !== A.cols) {
    throw new InvalidArgumentError({
      argument: 'A',
      value: [A.rows, A.cols],
      message: `${where}: the matrix must be square; got ${A.rows} x ${A.cols}.`,
    });
  }
  const positions = new Int32Array(A.rows).fill(-1);
  for (let i = 0; i < A.rows; i++) {
    for (let k = A.rowPointers[i]; k < A.rowPointers[i + 1]; k++)
      if (A.columnIndices[k] === i) positions[i] = k;
    if (positions[i] < 0 || A.values[positions[i]] === 0) {
      throw new InvalidArgumentError({
        argument: 'A',
        value: i,
        message: `${where}: row ${i} has a zero or missing diagonal entry; this preconditioner divides by the diagonal. Reorder the matrix or use ILU with pivoting.`,
      });
    }
  }
  return positions;
}

function checkOmega(where: string, omega: number): void {
  if (!(omega > 0 && omega < 2)) {
    throw new InvalidArgumentError({
      argument: 'omega',
      value: omega,
      message: `${where}: the relaxation \`omega\` must lie in (0, 2); got ${omega}. SSOR is SPD only for 0 < omega < 2.`,
    });
  }
}

/** Jacobi preconditioner M = D⁻¹ (from `A.diagonal()` or a CSR/dense matrix). Zero diagonal entries are an error. */
export function jacobiPreconditioner(A: MatrixLike): Operator {
  const operator = asOperator('linsolve/jacobiPreconditioner', 'A', A);
  if (!operator.diagonal) {
    throw new InvalidArgumentError({
      argument: 'A',
      value: 'no diagonal()',
      message:
        'linsolve/jacobiPreconditioner: the operator does not expose diagonal(); pass a CsrMatrix or add diagonal() to the operator.',
    });
  }
  const d = operator.diagonal();
  const inverse = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) {
    if (d[i] === 0 || !Number.isFinite(d[i])) {
      throw new InvalidArgumentError({
        argument: 'A',
        value: d[i],
        message: `linsolve/jacobiPreconditioner: diagonal entry ${i} is ${d[i]}; Jacobi needs a nonzero finite diagonal.`,
      });
    }
    inverse[i] = 1 / d[i];
  }
  const apply = (x: Vec, out: Vec): Vec => {
    for (let i = 0; i < x.length; i++) out[i] = inverse[i] * x[i];
    return out;
  };
  return operatorFromFunction({
    rows: d.length,
    cols: d.length,
    apply,
    applyAdjoint: apply,
    traits: { symmetric: true },
  });
}

/**
 * SSOR preconditioner with relaxation ω, as Learning to Relax's `ssor_pcg.m`:
 * M = Xᵀ D⁻¹ X / (ω(2 − ω)) with X = D + ωL (L the strictly lower part, so Xᵀ = D + ωU for symmetric A).
 * Applying M⁻¹ r = ω(2 − ω) X⁻¹ D X⁻ᵀ r costs one backward and one forward sweep. SPD for SPD A and 0 < ω < 2.
 */
export function ssorPreconditioner(A: CsrMatrix, omega = 1): Operator {
  const where = 'linsolve/ssorPreconditioner';
  checkOmega(where, omega);
  const diagonal = diagonalPositions(where, A);
  const { rowPointers, columnIndices, values } = A;
  const n = A.rows;
  const scale = omega * (2 - omega);
  const apply = (r: Vec, out: Vec): Vec => {
    // backward: (D + ωU) z = r
    for (let i = n - 1; i >= 0; i--) {
      let s = r[i];
      for (let k = diagonal[i] + 1; k < rowPointers[i + 1]; k++)
        s -= omega * values[k] * out[columnIndices[k]];
      out[i] = s / values[diagonal[i]];
    }
    // z ← D z, then forward: (D + ωL) y = z
    for (let i = 0; i < n; i++) {
      let s = values[diagonal[i]] * out[i];
      for (let k = rowPointers[i]; k < diagonal[i]; k++) s -= omega * values[k] * out[columnIndices[k]];
      out[i] = s / values[diagonal[i]];
    }
    for (let i = 0; i < n; i++) out[i] *= scale;
    return out;
  };
  return operatorFromFunction({
    rows: n,
    cols: n,
    apply,
    traits: { symmetric: true, positiveDefinite: true },
  });
}

function requireSortedColumns(where: string, A: CsrMatrix): void {
  for (let i = 0; i < A.rows; i++)
    for (let k = A.rowPointers[i] + 1; k < A.rowPointers[i + 1]; k++)
      if (A.columnIndices[k] <= A.columnIndices[k - 1]) {
        throw new InvalidArgumentError({
          argument: 'A',
          value: i,
          message: `${where}: the columns of row ${i} must be sorted and unique (as csrFromTriplets produces).`,
        });
      }
}

/**
 * ILU(0): incomplete LU with the sparsity pattern of A (IKJ variant, Saad §10.3.2). M⁻¹r solves
 * L U z = r (L unit lower, U upper). A zero pivot is an error naming the row.
 */
export function ilu0Preconditioner(A: CsrMatrix): Operator {
  const where = 'linsolve/ilu0Preconditioner';
  const diagonal = diagonalPositions(where, A);
  requireSortedColumns(where, A);
  const { rowPointers, columnIndices } = A;
  const n = A.rows;
  const lu = A.values.slice();
  const position = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let k = rowPointers[i]; k < rowPointers[i + 1]; k++) position[columnIndices[k]] = k;
    for (let kk = rowPointers[i]; kk < diagonal[i]; kk++) {
      const k = columnIndices[kk];
      const pivot = lu[diagonal[k]];
      if (pivot === 0 || !Number.isFinite(pivot)) {
        throw new InvalidArgumentError({
          argument: 'A',
          value: k,
          message: `${where}: zero pivot at row ${k}; ILU(0) breaks down on this matrix. Try Jacobi/SSOR or a diagonal shift.`,
        });
      }
      lu[kk] /= pivot;
      const factor = lu[kk];
      for (let jj = diagonal[k] + 1; jj < rowPointers[k + 1]; jj++) {
        const p = position[columnIndices[jj]];
        if (p >= 0) lu[p] -= factor * lu[jj];
      }
    }
    for (let k = rowPointers[i]; k < rowPointers[i + 1]; k++) position[columnIndices[k]] = -1;
  }
  const apply = (r: Vec, out: Vec): Vec => {
    for (let i = 0; i < n; i++) {
      let s = r[i];
      for (let k = rowPointers[i]; k < diagonal[i]; k++) s -= lu[k] * out[columnIndices[k]];
      out[i] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = out[i];
      for (let k = diagonal[i] + 1; k < rowPointers[i + 1]; k++) s -= lu[k] * out[columnIndices[k]];
      out[i] = s / lu[diagonal[i]];
    }
    return out;
  };
  return operatorFromFunction({ rows: n, cols: n, apply });
}

/**
 * IC(0): incomplete Cholesky A ≈ L Lᵀ on the lower sparsity pattern of a symmetric A (uses the lower
 * triangle). A non-positive pivot means A is not SPD enough for IC(0): an error naming the row and the
 * fix (a diagonal shift or ILU(0)).
 */
export function ic0Preconditioner(A: CsrMatrix): Operator {
  const where = 'linsolve/ic0Preconditioner';
  const diagonal = diagonalPositions(where, A);
  requireSortedColumns(where, A);
  const { rowPointers, columnIndices } = A;
  const n = A.rows;
  const L = A.values.slice(); // only entries k <= diagonal[i] are used
  const position = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let k = rowPointers[i]; k <= diagonal[i]; k++) position[columnIndices[k]] = k;
    for (let kk = rowPointers[i]; kk <= diagonal[i]; kk++) {
      const k = columnIndices[kk];
      // L_ik -= Σ_{j<k} L_ij L_kj over the shared pattern
      let s = L[kk];
      for (let jj = rowPointers[k]; jj < diagonal[k]; jj++) {
        const p = position[columnIndices[jj]];
        if (p >= 0 && p < kk) s -= L[p] * L[jj];
      }
      if (k < i) L[kk] = s / L[diagonal[k]];
      else {
        if (!(s > 0)) {
          throw new InvalidArgumentError({
            argument: 'A',
            value: i,
            message: `${where}: non-positive pivot ${s} at row ${i}; IC(0) needs a symmetric positive-definite (e.g. M-) matrix. Shift the diagonal or use ilu0Preconditioner.`,
          });
        }
        L[kk] = Math.sqrt(s);
      }
    }
    for (let k = rowPointers[i]; k <= diagonal[i]; k++) position[columnIndices[k]] = -1;
  }
  // Column access of Lᵀ for the backward solve: the backward solve runs over rows of L in reverse
  const apply = (r: Vec, out: Vec): Vec => {
    for (let i = 0; i < n; i++) {
      let s = r[i];
      for (let k = rowPointers[i]; k < diagonal[i]; k++) s -= L[k] * out[columnIndices[k]];
      out[i] = s / L[diagonal[i]];
    }
    for (let i = n - 1; i >= 0; i--) {
      out[i] /= L[diagonal[i]];
      const xi = out[i];
      for (let k = rowPointers[i]; k < diagonal[i]; k++) out[columnIndices[k]] -= L[k] * xi;
    }
    return out;
  };
  return operatorFromFunction({
    rows: n,
    cols: n,
    apply,
    traits: { symmetric: true, positiveDefinite: true },
  });
}

import type { Vec } from '../spec/vec';
import type { CsrMatrix } from './csr-matrix';
import { guardLength, kernelShapeError } from './validate-matrix';

/**
 * O(1) guard: integer shape, rowPointers of rows + 1 entries. Column indices are not inspected
 * here (O(nnz)); `csrOperator`, `csrMatrix` and `assertCsrMatrix` validate them once.
 */
function guardCsr(where: string, A: CsrMatrix): void {
  const { rows, cols } = A;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0)
    kernelShapeError(where, 'A', [rows, cols], '`A` must have non-negative integer rows and cols');
  if (A.rowPointers?.length !== rows + 1)
    kernelShapeError(
      where,
      'A.rowPointers',
      A.rowPointers?.length,
      `\`A.rowPointers\` must have rows + 1 = ${rows + 1} entries`,
    );
}

/** out = alpha * A x + beta * out for a CSR matrix. Returns out. */
export function spmv(A: CsrMatrix, x: ArrayLike<number>, out: Vec, alpha = 1, beta = 0): Vec {
  guardCsr('spmv', A);
  guardLength('spmv', 'x', x, A.cols, 'the columns of A');
  guardLength('spmv', 'out', out, A.rows, 'the rows of A');
  const { rows, rowPointers: p, columnIndices: c, values: v } = A;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const end = p[i + 1];
    for (let k = p[i]; k < end; k++) s += v[k] * x[c[k]];
    out[i] = beta === 0 ? alpha * s : alpha * s + beta * out[i];
  }
  return out;
}

/**
 * out = alpha * Aᵀ x + beta * out for a CSR matrix (a scatter over the rows: no transposed copy, no
 * allocation). Returns out.
 */
export function spmvTransposed(A: CsrMatrix, x: ArrayLike<number>, out: Vec, alpha = 1, beta = 0): Vec {
  guardCsr('spmvTransposed', A);
  guardLength('spmvTransposed', 'x', x, A.rows, 'the rows of A');
  guardLength('spmvTransposed', 'out', out, A.cols, 'the columns of A');
  const { rows, cols, rowPointers: p, columnIndices: c, values: v } = A;
  if (beta === 0) out.fill(0, 0, cols);
  else if (beta !== 1) for (let j = 0; j < cols; j++) out[j] *= beta;
  for (let i = 0; i < rows; i++) {
    const xi = alpha * x[i];
    if (xi === 0) continue;
    const end = p[i + 1];
    for (let k = p[i]; k < end; k++) out[c[k]] += v[k] * xi;
  }
  return out;
}

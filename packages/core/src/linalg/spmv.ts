import type { Vec } from '../spec/vec';
import type { CsrMatrix } from './csr-matrix';

/** out = alpha * A x + beta * out for a CSR matrix. Returns out. */
export function spmv(A: CsrMatrix, x: ArrayLike<number>, out: Vec, alpha = 1, beta = 0): Vec {
  const { rows, rowPointers: p, columnIndices: c, values: v } = A;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const end = p[i + 1];
    for (let k = p[i]; k < end; k++) s += v[k] * x[c[k]];
    out[i] = beta === 0 ? alpha * s : alpha * s + beta * out[i];
  }
  return out;
}

/** out = alpha * Aᵀ x + beta * out for a CSR matrix. Returns out. */
export function spmvTransposed(A: CsrMatrix, x: ArrayLike<number>, out: Vec, alpha = 1, beta = 0): Vec {
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

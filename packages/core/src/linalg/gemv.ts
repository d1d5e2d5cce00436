import type { Vec } from '../spec/vec';
import type { DenseMatrix } from './dense-matrix';

/** out = alpha * A x + beta * out for row-major A (m x n). Returns out. With beta = 0, out's old values are ignored (NaN-safe). */
export function gemv(A: DenseMatrix, x: ArrayLike<number>, out: Vec, alpha = 1, beta = 0): Vec {
  const { rows: m, cols: n, data: a } = A;
  for (let i = 0; i < m; i++) {
    const offset = i * n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const end = n - (n % 4);
    for (let j = 0; j < end; j += 4) {
      s0 += a[offset + j] * x[j];
      s1 += a[offset + j + 1] * x[j + 1];
      s2 += a[offset + j + 2] * x[j + 2];
      s3 += a[offset + j + 3] * x[j + 3];
    }
    for (let j = end; j < n; j++) s0 += a[offset + j] * x[j];
    const s = s0 + s1 + (s2 + s3);
    out[i] = beta === 0 ? alpha * s : alpha * s + beta * out[i];
  }
  return out;
}

/** out = alpha * Aᵀ x + beta * out for row-major A (m x n), x of length m, out of length n. Returns out. */
export function gemvTransposed(A: DenseMatrix, x: ArrayLike<number>, out: Vec, alpha = 1, beta = 0): Vec {
  const { rows: m, cols: n, data: a } = A;
  if (beta === 0) out.fill(0, 0, n);
  else if (beta !== 1) for (let j = 0; j < n; j++) out[j] *= beta;
  for (let i = 0; i < m; i++) {
    const xi = alpha * x[i];
    if (xi === 0) continue;
    const offset = i * n;
    for (let j = 0; j < n; j++) out[j] += xi * a[offset + j];
  }
  return out;
}

import type { Vec } from '../spec/vec';
import type { DenseMatrix } from './dense-matrix';
import { guardDense, guardLength } from './validate-matrix';

/**
 * out = alpha * A x + beta * out for row-major A (m x n). Returns out. With beta = 0, out's old
 * values are ignored (NaN-safe). An O(1) shape guard refuses A.data, x or out shorter than the
 * shape needs (InvalidArgumentError) instead of reading or writing out of bounds.
 *
 * Four rows are processed together so every load of x[j] feeds four multiply-adds (two
 * accumulators per row hide the add latency); leftover rows use a single-row loop.
 */
export function gemv(A: DenseMatrix, x: ArrayLike<number>, out: Vec, alpha = 1, beta = 0): Vec {
  guardDense('gemv', 'A', A);
  const { rows: m, cols: n, data: a } = A;
  guardLength('gemv', 'x', x, n, 'the columns of A');
  guardLength('gemv', 'out', out, m, 'the rows of A');
  const even = n - (n % 2);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const o0 = i * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (let j = 0; j < even; j += 2) {
      const xj = x[j];
      const xk = x[j + 1];
      s0 += a[o0 + j] * xj;
      t0 += a[o0 + j + 1] * xk;
      s1 += a[o1 + j] * xj;
      t1 += a[o1 + j + 1] * xk;
      s2 += a[o2 + j] * xj;
      t2 += a[o2 + j + 1] * xk;
      s3 += a[o3 + j] * xj;
      t3 += a[o3 + j + 1] * xk;
    }
    if (even < n) {
      const xj = x[even];
      s0 += a[o0 + even] * xj;
      s1 += a[o1 + even] * xj;
      s2 += a[o2 + even] * xj;
      s3 += a[o3 + even] * xj;
    }
    if (beta === 0) {
      out[i] = alpha * (s0 + t0);
      out[i + 1] = alpha * (s1 + t1);
      out[i + 2] = alpha * (s2 + t2);
      out[i + 3] = alpha * (s3 + t3);
    } else {
      out[i] = alpha * (s0 + t0) + beta * out[i];
      out[i + 1] = alpha * (s1 + t1) + beta * out[i + 1];
      out[i + 2] = alpha * (s2 + t2) + beta * out[i + 2];
      out[i + 3] = alpha * (s3 + t3) + beta * out[i + 3];
    }
  }
  for (; i < m; i++) {
    const offset = i * n;
    let s0 = 0;
    let s1 = 0;
    for (let j = 0; j < even; j += 2) {
      s0 += a[offset + j] * x[j];
      s1 += a[offset + j + 1] * x[j + 1];
    }
    if (even < n) s0 += a[offset + even] * x[even];
    const s = s0 + s1;
    out[i] = beta === 0 ? alpha * s : alpha * s + beta * out[i];
  }
  return out;
}

/**
 * out = alpha * Aᵀ x + beta * out for row-major A (m x n), x of length m, out of length n. Returns
 * out. With beta = 0, out's old values are ignored (NaN-safe).
 *
 * Four rows of A are combined per pass over out (a quarter of the loads and stores of out of a
 * row-at-a-time axpy). Like reference BLAS, a group of rows whose coefficients x[i] are all zero is
 * skipped.
 */
export function gemvTransposed(A: DenseMatrix, x: ArrayLike<number>, out: Vec, alpha = 1, beta = 0): Vec {
  guardDense('gemvTransposed', 'A', A);
  const { rows: m, cols: n, data: a } = A;
  guardLength('gemvTransposed', 'x', x, m, 'the rows of A');
  guardLength('gemvTransposed', 'out', out, n, 'the columns of A');
  if (beta === 0) out.fill(0, 0, n);
  else if (beta !== 1) for (let j = 0; j < n; j++) out[j] *= beta;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const x0 = alpha * x[i];
    const x1 = alpha * x[i + 1];
    const x2 = alpha * x[i + 2];
    const x3 = alpha * x[i + 3];
    if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
    const o0 = i * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    for (let j = 0; j < n; j++) {
      out[j] += x0 * a[o0 + j] + x1 * a[o1 + j] + (x2 * a[o2 + j] + x3 * a[o3 + j]);
    }
  }
  for (; i < m; i++) {
    const xi = alpha * x[i];
    if (xi === 0) continue;
    const offset = i * n;
    for (let j = 0; j < n; j++) out[j] += xi * a[offset + j];
  }
  return out;
}

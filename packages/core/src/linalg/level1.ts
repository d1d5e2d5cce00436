import type { Vec } from '../spec/vec';

/**
 * Level-1 kernels on Float64Array. Like BLAS and stdlib's `ddot`, kernels validate nothing (the
 * public boundary does) and handle the degenerate length first. Results go into `out`; inputs are
 * never mutated unless `out` is one of them.
 */

/** Inner product xᵀy over the first `x.length` entries. */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return 0;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const m = n - (n % 4);
  for (let i = 0; i < m; i += 4) {
    s0 += x[i] * y[i];
    s1 += x[i + 1] * y[i + 1];
    s2 += x[i + 2] * y[i + 2];
    s3 += x[i + 3] * y[i + 3];
  }
  for (let i = m; i < n; i++) s0 += x[i] * y[i];
  return s0 + s1 + (s2 + s3);
}

/** out = alpha * x + y (out may be y). Returns out. */
export function axpy(alpha: number, x: ArrayLike<number>, y: ArrayLike<number>, out: Vec): Vec {
  const n = x.length;
  for (let i = 0; i < n; i++) out[i] = alpha * x[i] + y[i];
  return out;
}

/** out = alpha * x (out may be x). Returns out. */
export function scal(alpha: number, x: ArrayLike<number>, out: Vec): Vec {
  const n = x.length;
  for (let i = 0; i < n; i++) out[i] = alpha * x[i];
  return out;
}

/** Copies x into out. Returns out. */
export function copy(x: ArrayLike<number>, out: Vec): Vec {
  if (x instanceof Float64Array) out.set(x);
  else for (let i = 0; i < x.length; i++) out[i] = x[i];
  return out;
}

/**
 * Euclidean norm ‖x‖₂ without overflow or harmful underflow: a plain sum of squares when it is
 * safely in range, else the scaled algorithm of LAPACK's `dnrm2`.
 */
export function nrm2(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i] * x[i];
  if (sum > 1e-290 && sum < 1e290) return Math.sqrt(sum);
  if (Number.isNaN(sum)) return Number.NaN;
  let scale = 0;
  let ssq = 1;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== 0) {
      const a = Math.abs(v);
      if (a === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
      if (scale < a) {
        ssq = 1 + ssq * (scale / a) * (scale / a);
        scale = a;
      } else {
        ssq += (a / scale) * (a / scale);
      }
    }
  }
  return scale * Math.sqrt(ssq);
}

/** Max-norm ‖x‖∞. */
export function nrmInf(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    if (a > m || Number.isNaN(a)) m = a;
  }
  return m;
}

/** Sum of entries. */
export function sum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}

/** out = x - y. Returns out. */
export function sub(x: ArrayLike<number>, y: ArrayLike<number>, out: Vec): Vec {
  for (let i = 0; i < x.length; i++) out[i] = x[i] - y[i];
  return out;
}

/** True when every entry is finite. */
export function allFinite(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false;
  return true;
}

import { bench, describe } from 'vitest';
import { csrOperator } from '../operators/operators';
import { csrFromTriplets } from './csr-matrix';
import { denseMatrix } from './dense-matrix';
import { gemm } from './gemm';
import { gemv, gemvTransposed } from './gemv';
import { axpy, dot, nrm2 } from './level1';

// Size sweeps; every timed body checks its result against a value computed once by a naive loop
// before timing, so the work cannot be optimized away and a wrong fast kernel fails the benchmark.
// Odd sizes are run first as warm-up (V8 de-optimizes some unrolled loops on a size change).
const filled = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
const check = (value: number, expected: number) => {
  if (!(Math.abs(value - expected) <= 1e-9 * Math.max(1, Math.abs(expected))))
    throw new Error(`kernel returned ${value}, expected ${expected}`);
};
/** Naive row i of A·x (row-major n x n), and naive column j of Aᵀ·x. */
const rowDot = (a: Float64Array, n: number, x: Float64Array, i: number) => {
  let s = 0;
  for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
  return s;
};
const columnDot = (a: Float64Array, n: number, x: Float64Array, j: number) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i * n + j] * x[i];
  return s;
};

for (const n of [7, 1_001]) {
  const x = filled(n, Math.sin);
  dot(x, x);
  nrm2(x);
}

describe('level 1', () => {
  for (const n of [10, 1_000, 100_000, 1_000_000]) {
    const x = filled(n, (i) => Math.sin(i));
    const y = filled(n, (i) => Math.cos(i));
    const out = new Float64Array(n);
    let xy = 0;
    let xx = 0;
    for (let i = 0; i < n; i++) (xy += x[i] * y[i]), (xx += x[i] * x[i]);
    const last = 0.5 * x[n - 1] + y[n - 1];
    bench(`dot n=${n}`, () => check(dot(x, y), xy));
    bench(`axpy n=${n}`, () => check(axpy(0.5, x, y, out)[n - 1], last));
    bench(`nrm2 n=${n}`, () => check(nrm2(x), Math.sqrt(xx)));
  }
});

describe('gemv', () => {
  for (const n of [64, 256, 1_024, 2_048]) {
    const A = denseMatrix(
      n,
      n,
      filled(n * n, (i) => Math.sin(i)),
    );
    const x = filled(n, Math.cos);
    const out = new Float64Array(n);
    const expected = rowDot(A.data, n, x, n - 1);
    const expectedTransposed = columnDot(A.data, n, x, n - 1);
    bench(`gemv ${n}x${n}`, () => check(gemv(A, x, out)[n - 1], expected));
    bench(`gemvTransposed ${n}x${n}`, () => check(gemvTransposed(A, x, out)[n - 1], expectedTransposed));
  }
});

describe('gemm', () => {
  for (const n of [65, 64, 128, 256, 512]) {
    const A = denseMatrix(
      n,
      n,
      filled(n * n, (i) => Math.sin(i)),
    );
    const B = denseMatrix(
      n,
      n,
      filled(n * n, (i) => Math.cos(i)),
    );
    const C = denseMatrix(n, n);
    const lastColumnOfB = filled(n, (p) => B.data[p * n + n - 1]);
    const expected = rowDot(A.data, n, lastColumnOfB, n - 1);
    bench(`gemm ${n}x${n}x${n}`, () => check(gemm(A, B, C).data[n * n - 1], expected), {
      iterations: n >= 512 ? 5 : 20,
      time: 500,
    });
  }
});

describe('spmv (2-D Laplacian, 5-point stencil)', () => {
  for (const side of [32, 256, 1_000]) {
    const n = side * side;
    const rows: number[] = [];
    const cols: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < side; i++)
      for (let j = 0; j < side; j++) {
        const k = i * side + j;
        rows.push(k), cols.push(k), values.push(4);
        if (i > 0) rows.push(k), cols.push(k - side), values.push(-1);
        if (i < side - 1) rows.push(k), cols.push(k + side), values.push(-1);
        if (j > 0) rows.push(k), cols.push(k - 1), values.push(-1);
        if (j < side - 1) rows.push(k), cols.push(k + 1), values.push(-1);
      }
    const operator = csrOperator(csrFromTriplets(n, n, rows, cols, values));
    const x = filled(n, Math.sin);
    const out = new Float64Array(n);
    // Last grid point (corner): 4 x_k - x_{k-side} - x_{k-1}.
    const k = n - 1;
    const expected = 4 * x[k] - x[k - side] - x[k - 1];
    bench(`spmv ${side}x${side} grid (n=${n})`, () => check(operator.apply(x, out)[k], expected));
  }
});

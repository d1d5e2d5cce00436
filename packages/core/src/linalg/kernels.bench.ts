import { bench, describe } from 'vitest';
import { csrOperator } from '../operators/operators';
import { csrFromTriplets } from './csr-matrix';
import { denseMatrix } from './dense-matrix';
import { gemm } from './gemm';
import { gemv } from './gemv';
import { axpy, dot, nrm2 } from './level1';

// Size sweeps; every timed body checks its result so the work cannot be optimized away. Odd sizes
// are run first as warm-up (V8 de-optimizes some unrolled loops on a size change).
const filled = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
const check = (value: number) => {
  if (!Number.isFinite(value)) throw new Error('kernel returned a non-finite value');
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
    bench(`dot n=${n}`, () => check(dot(x, y)));
    bench(`axpy n=${n}`, () => check(axpy(0.5, x, y, out)[n - 1]));
    bench(`nrm2 n=${n}`, () => check(nrm2(x)));
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
    bench(`gemv ${n}x${n}`, () => check(gemv(A, x, out)[n - 1]));
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
    bench(`gemm ${n}x${n}x${n}`, () => check(gemm(A, B, C).data[n * n - 1]), {
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
    bench(`spmv ${side}x${side} grid (n=${n})`, () => check(operator.apply(x, out)[n - 1]));
  }
});

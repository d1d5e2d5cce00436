import { bench, describe } from 'vitest';
import { denseMatrix } from '../linalg/dense-matrix';
import { jsKernels, type LinalgKernels, wasmHeap, wasmKernels } from './backend';

// JS backend vs wasm backend with resident operands (zero copy) vs wasm with ordinary
// Float64Arrays (staging copies in/out per call). Every body checks its result against the JS
// kernel's value computed once before timing, so a wrong fast kernel fails the benchmark.
const W = wasmKernels();
const heap = wasmHeap();
if (!W || !heap) throw new Error('wasm backend unavailable: these benchmarks need WebAssembly SIMD');
const filled = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
const check = (value: number, expected: number) => {
  if (!(Math.abs(value - expected) <= 1e-12 * Math.max(1, Math.abs(expected))))
    throw new Error(`kernel returned ${value}, expected ${expected}`);
};
const resident = (src: Float64Array) => {
  const h = heap.alloc(src.length);
  h.array.set(src);
  return h;
};

describe('level 1 (dot, axpy, nrm2)', () => {
  for (const n of [1_000, 100_000, 1_000_000]) {
    const x = filled(n, Math.sin);
    const y = filled(n, Math.cos);
    const out = new Float64Array(n);
    const hx = resident(x);
    const hy = resident(y);
    const hout = heap.alloc(n);
    const xy = jsKernels.dot(x, y);
    const norm = jsKernels.nrm2(x);
    const variants: [string, LinalgKernels, () => Float64Array, () => Float64Array, () => Float64Array][] = [
      ['js', jsKernels, () => x, () => y, () => out],
      ['wasm resident', W, () => hx.array, () => hy.array, () => hout.array],
      ['wasm copy', W, () => x, () => y, () => out],
    ];
    for (const [name, K, X, Y, O] of variants) {
      bench(`dot n=${n} ${name}`, () => check(K.dot(X(), Y()), xy));
      bench(`axpy n=${n} ${name}`, () => check(K.axpy(0.5, X(), Y(), O())[n - 1], 0.5 * x[n - 1] + y[n - 1]));
      bench(`nrm2 n=${n} ${name}`, () => check(K.nrm2(X()), norm));
    }
  }
});

describe('gemv and gemvTransposed', () => {
  for (const n of [256, 1024]) {
    const a = filled(n * n, Math.sin);
    const x = filled(n, Math.cos);
    const out = new Float64Array(n);
    const ha = resident(a);
    const hx = resident(x);
    const hout = heap.alloc(n);
    const A = denseMatrix(n, n, a);
    const row0 = jsKernels.gemv(A, x, new Float64Array(n))[0];
    const col0 = jsKernels.gemvTransposed(A, x, new Float64Array(n))[0];
    const variants: [string, LinalgKernels, () => Float64Array, () => Float64Array, () => Float64Array][] = [
      ['js', jsKernels, () => a, () => x, () => out],
      ['wasm resident', W, () => ha.array, () => hx.array, () => hout.array],
      ['wasm copy', W, () => a, () => x, () => out],
    ];
    for (const [name, K, Ad, X, O] of variants) {
      bench(`gemv n=${n} ${name}`, () => check(K.gemv(denseMatrix(n, n, Ad()), X(), O())[0], row0));
      bench(`gemvT n=${n} ${name}`, () =>
        check(K.gemvTransposed(denseMatrix(n, n, Ad()), X(), O())[0], col0),
      );
    }
  }
});

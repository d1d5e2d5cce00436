import { describe, expect, it } from 'vitest';
import { denseMatrix } from '../linalg/dense-matrix';
import reference from './__fixtures__/kernel-reference.json';
import { jsKernels, type LinalgKernels, wasmKernels } from './backend';

// Golden values from __fixtures__/generate-kernel-reference.py: exact rational results rounded
// once, so both backends are checked against the truth with the standard forward-error bound
// |computed − exact| ≤ γₙ Σ|xᵢyᵢ| (Higham, Accuracy and Stability, §3.1), γₙ = n·u/(1 − n·u).
const u = 2 ** -53;
const gamma = (n: number) => (n * u) / (1 - n * u);
const absDot = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i] * y[i]);
  return s;
};

const backends: [string, LinalgKernels | undefined][] = [
  ['js', jsKernels],
  ['wasm', wasmKernels()],
];

describe.each(backends)('%s backend against exact golden values', (name, K) => {
  it('the backend is available (Node 20 has WebAssembly SIMD)', () => {
    expect(K?.backend).toBe(name);
  });

  it('dot is within γₙ Σ|xᵢyᵢ| of the exact inner product (lengths 0, 1, 2, 3, 7, 8, 33, 1000)', () => {
    for (const c of reference.dot) {
      const x = Float64Array.from(c.x);
      const y = Float64Array.from(c.y);
      const got = K!.dot(x, y);
      expect(Math.abs(got - c.expected)).toBeLessThanOrEqual(gamma(x.length + 1) * absDot(x, y));
    }
  });

  it('nrm2 is within (n + 2)u relative of the exact norm, including entries of 1e200 and 1e-200', () => {
    for (const c of reference.nrm2) {
      const got = K!.nrm2(Float64Array.from(c.x));
      expect(Number.isFinite(got)).toBe(true);
      expect(Math.abs(got - c.expected)).toBeLessThanOrEqual(gamma(c.x.length + 2) * c.expected);
    }
  });

  it('gemv and gemvTransposed rows are within γ Σ|aᵢⱼxⱼ| of the exact products (shapes 7x5 … 64x33)', () => {
    for (const c of reference.gemv) {
      const A = denseMatrix(c.m, c.n, Float64Array.from(c.a));
      const x = Float64Array.from(c.x);
      const xt = Float64Array.from(c.xt);
      const ax = K!.gemv(A, x, new Float64Array(c.m));
      const atx = K!.gemvTransposed(A, xt, new Float64Array(c.n));
      for (let i = 0; i < c.m; i++) {
        const row = A.data.subarray(i * c.n, (i + 1) * c.n);
        expect(Math.abs(ax[i] - c.ax[i])).toBeLessThanOrEqual(gamma(c.n + 1) * absDot(row, x));
      }
      for (let j = 0; j < c.n; j++) {
        const column = Float64Array.from({ length: c.m }, (_, i) => A.data[i * c.n + j]);
        expect(Math.abs(atx[j] - c.atx[j])).toBeLessThanOrEqual(gamma(c.m + 1) * absDot(column, xt));
      }
    }
  });
});

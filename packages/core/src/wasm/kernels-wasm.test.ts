import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError } from '../errors/argmin-error';
import { denseMatrix } from '../linalg/dense-matrix';
import { gemv, gemvTransposed } from '../linalg/gemv';
import { axpy, dot, nrm2, scal } from '../linalg/level1';
import {
  jsKernels,
  kernelBackend,
  kernels,
  type LinalgKernels,
  setKernelBackend,
  wasmAvailable,
  wasmExports,
  wasmHeap,
  wasmKernels,
} from './backend';

// Node 20 has WebAssembly SIMD on by default: the wasm backend must load here (a silent fallback
// to JS would make every comparison below compare JS with itself).
let W: LinalgKernels;
beforeAll(() => {
  expect(wasmAvailable()).toBe(true);
  W = wasmKernels()!;
  expect(W.backend).toBe('wasm');
});
afterEach(() => {
  setKernelBackend('js');
});

const finite = fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true });
const vector = (maxLength: number) =>
  fc.array(finite, { minLength: 0, maxLength }).map((a) => Float64Array.from(a));
const pair = (maxLength: number) =>
  fc
    .integer({ min: 0, max: maxLength })
    .chain((n) =>
      fc.tuple(
        fc.array(finite, { minLength: n, maxLength: n }),
        fc.array(finite, { minLength: n, maxLength: n }),
      ),
    )
    .map(([a, b]) => [Float64Array.from(a), Float64Array.from(b)] as const);
const params = { seed: 15, numRuns: 200 };

/** Bitwise equality of two float64 arrays (distinguishes -0 from 0, compares NaN payload-free). */
function expectSameBits(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Array.from(actual)).toEqual(Array.from(expected));
}

function random(n: number, seed: number): Float64Array {
  // Small deterministic LCG: values in [-1, 1) with varied exponents.
  let s = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

describe('wasm kernels agree with the JS reference kernels', () => {
  it('dot is bit-identical on random vectors of every length 0..70 (same summation order)', () => {
    fc.assert(
      fc.property(pair(70), ([x, y]) => {
        expect(Object.is(W.dot(x, y), dot(x, y))).toBe(true);
      }),
      params,
    );
  });

  it('dot is bit-identical at long odd and even lengths, and with plain-array inputs', () => {
    for (const n of [0, 1, 2, 3, 5, 7, 1023, 4096, 10_001]) {
      const x = random(n, n + 1);
      const y = random(n, n + 2);
      expect(Object.is(W.dot(x, y), dot(x, y))).toBe(true);
      expect(Object.is(W.dot(Array.from(x), Array.from(y)), dot(x, y))).toBe(true);
    }
  });

  it('dotUnrolled (eight accumulators) agrees within 1e-14 of sum |x_i y_i|', () => {
    const ex = wasmExports()!;
    const heap = wasmHeap()!;
    fc.assert(
      fc.property(pair(200), ([x, y]) => {
        const mark = heap.mark();
        const hx = heap.alloc(x.length);
        const hy = heap.alloc(y.length);
        hx.array.set(x);
        hy.array.set(y);
        const got = ex.dotUnrolled(hx.ptr, hy.ptr, x.length);
        heap.release(mark);
        let scale = 0;
        for (let i = 0; i < x.length; i++) scale += Math.abs(x[i] * y[i]);
        expect(Math.abs(got - dot(x, y))).toBeLessThanOrEqual(1e-14 * scale);
      }),
      params,
    );
  });

  it('axpy and scal are bit-identical, including out === y and out === x aliasing', () => {
    fc.assert(
      fc.property(pair(70), finite, ([x, y], alpha) => {
        const n = x.length;
        expectSameBits(W.axpy(alpha, x, y, new Float64Array(n)), axpy(alpha, x, y, new Float64Array(n)));
        expectSameBits(W.scal(alpha, x, new Float64Array(n)), scal(alpha, x, new Float64Array(n)));
        const yWasm = y.slice();
        const yJs = y.slice();
        W.axpy(alpha, x, yWasm, yWasm);
        axpy(alpha, x, yJs, yJs);
        expectSameBits(yWasm, yJs);
        const xWasm = x.slice();
        const xJs = x.slice();
        W.scal(alpha, xWasm, xWasm);
        scal(alpha, xJs, xJs);
        expectSameBits(xWasm, xJs);
      }),
      params,
    );
  });

  it('nrm2 agrees within 1e-14 relative (a different, SIMD summation order of the squares)', () => {
    fc.assert(
      fc.property(vector(200), (x) => {
        const expected = nrm2(x);
        expect(Math.abs(W.nrm2(x) - expected)).toBeLessThanOrEqual(1e-14 * expected);
      }),
      params,
    );
  });

  it('nrm2 does not overflow or underflow, and propagates NaN and infinity like the JS kernel', () => {
    const huge = new Float64Array(9).fill(1e200);
    const tiny = new Float64Array(9).fill(1e-200);
    expect(W.nrm2(huge)).toBeCloseTo(3e200, -186);
    expect(Math.abs(W.nrm2(huge) - nrm2(huge))).toBeLessThanOrEqual(1e-14 * nrm2(huge));
    expect(Math.abs(W.nrm2(tiny) - 3e-200)).toBeLessThanOrEqual(1e-14 * 3e-200);
    expect(W.nrm2(Float64Array.of(1, Number.NaN, 2))).toBeNaN();
    expect(W.nrm2(Float64Array.of(1, Number.POSITIVE_INFINITY, 2))).toBe(Number.POSITIVE_INFINITY);
    expect(W.nrm2(new Float64Array(0))).toBe(0);
  });

  it('gemv and gemvTransposed are bit-identical on random shapes (0..13 x 0..13), alpha and beta', () => {
    const shape = fc.tuple(fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 13 }));
    fc.assert(
      fc.property(
        shape,
        finite,
        fc.constantFrom(0, 1, -0.5, 2),
        fc.integer(),
        ([m, n], alpha, beta, seed) => {
          const A = denseMatrix(m, n, random(m * n, seed));
          const x = random(n, seed + 1);
          const xt = random(m, seed + 2);
          const out0 = random(m, seed + 3);
          const outT0 = random(n, seed + 4);
          expectSameBits(W.gemv(A, x, out0.slice(), alpha, beta), gemv(A, x, out0.slice(), alpha, beta));
          expectSameBits(
            W.gemvTransposed(A, xt, outT0.slice(), alpha, beta),
            gemvTransposed(A, xt, outT0.slice(), alpha, beta),
          );
        },
      ),
      params,
    );
  });

  it('gemv and gemvTransposed are bit-identical at 257 x 130 and 130 x 257, with zero row groups skipped', () => {
    for (const [m, n] of [
      [257, 130],
      [130, 257],
    ]) {
      const A = denseMatrix(m, n, random(m * n, m));
      const x = random(n, 3);
      const xt = random(m, 4);
      xt.fill(0, 8, 16); // two all-zero groups of four rows: skipped by both kernels
      expectSameBits(W.gemv(A, x, new Float64Array(m)), gemv(A, x, new Float64Array(m)));
      expectSameBits(
        W.gemvTransposed(A, xt, new Float64Array(n)),
        gemvTransposed(A, xt, new Float64Array(n)),
      );
    }
  });

  it('gemv with beta = 0 ignores NaN in out, like the JS kernel', () => {
    const A = denseMatrix(5, 3, random(15, 9));
    const x = random(3, 10);
    const out = new Float64Array(5).fill(Number.NaN);
    expectSameBits(W.gemv(A, x, out), gemv(A, x, new Float64Array(5)));
    const outT = new Float64Array(3).fill(Number.NaN);
    expectSameBits(
      W.gemvTransposed(A, random(5, 11), outT),
      gemvTransposed(A, random(5, 11), new Float64Array(3)),
    );
  });

  it('gemv refuses a short x with the same InvalidArgumentError as the JS kernel', () => {
    const A = denseMatrix(3, 4, random(12, 1));
    expect(() => W.gemv(A, new Float64Array(3), new Float64Array(3))).toThrow(InvalidArgumentError);
    expect(() => W.gemvTransposed(A, new Float64Array(2), new Float64Array(4))).toThrow(InvalidArgumentError);
  });
});

describe('wasm memory: resident vectors, staging copies and growth', () => {
  it('resident vectors are used in place (zero copy) and give the same results as copies', () => {
    const heap = wasmHeap()!;
    const mark = heap.mark();
    const n = 1001;
    const hx = heap.alloc(n);
    const hy = heap.alloc(n);
    hx.array.set(random(n, 1));
    hy.array.set(random(n, 2));
    expect(heap.residentPtr(hx.array)).toBe(hx.ptr);
    expect(Object.is(W.dot(hx.array, hy.array), dot(random(n, 1), random(n, 2)))).toBe(true);
    W.axpy(2, hx.array, hy.array, hy.array);
    expectSameBits(hy.array, axpy(2, random(n, 1), random(n, 2), new Float64Array(n)));
    heap.release(mark);
  });

  it('kernel calls release their staging: the heap top is unchanged after each call', () => {
    const heap = wasmHeap()!;
    const before = heap.mark();
    const x = random(5000, 3);
    W.dot(x, x);
    W.nrm2(x);
    W.axpy(1, x, x, new Float64Array(5000));
    W.gemv(denseMatrix(50, 100, x.subarray(0, 5000)), x.subarray(0, 100), new Float64Array(50));
    expect(heap.mark()).toBe(before);
  });

  it('memory growth detaches old views but handles re-create them, with the data intact', () => {
    const heap = wasmHeap()!;
    const mark = heap.mark();
    const h = heap.alloc(4);
    h.array.set([1, 2, 3, 4]);
    const oldView = h.array;
    const bytes = heap.memory.buffer.byteLength;
    const big = heap.alloc(bytes / 8 + 1); // forces memory.grow
    expect(heap.memory.buffer.byteLength).toBeGreaterThan(bytes);
    expect(oldView.length).toBe(0); // detached by growth
    expect(Array.from(h.array)).toEqual([1, 2, 3, 4]);
    expect(big.array.length).toBe(bytes / 8 + 1);
    heap.release(mark);
  });

  it('a staging copy that grows memory still reads resident operands at their recorded offsets', () => {
    const heap = wasmHeap()!;
    const mark = heap.mark();
    const n = 1000;
    const hx = heap.alloc(n);
    hx.array.set(random(n, 5));
    const y = random(heap.memory.buffer.byteLength / 8, 6).subarray(0, n); // non-resident
    const huge = random(heap.memory.buffer.byteLength / 8 + 10, 7); // staging for this grows memory
    const expected = dot(random(n, 5), huge);
    expect(Object.is(W.dot(hx.array, huge), expected)).toBe(true);
    expect(Object.is(W.dot(hx.array, y), dot(random(n, 5), y))).toBe(true);
    heap.release(mark);
  });

  it('alloc refuses a negative or fractional count with an InvalidArgumentError', () => {
    const heap = wasmHeap()!;
    expect(() => heap.alloc(-1)).toThrow(InvalidArgumentError);
    expect(() => heap.alloc(1.5)).toThrow(InvalidArgumentError);
  });
});

describe('backend switch', () => {
  it('defaults to js, switches to wasm where available, and kernels() follows it', () => {
    expect(kernelBackend()).toBe('js');
    expect(kernels()).toBe(jsKernels);
    expect(setKernelBackend('wasm')).toBe('wasm');
    expect(kernelBackend()).toBe('wasm');
    expect(kernels().backend).toBe('wasm');
    expect(setKernelBackend('js')).toBe('js');
    expect(kernels()).toBe(jsKernels);
  });

  it('refuses an unknown backend name with an InvalidArgumentError naming the choices', () => {
    expect(() => setKernelBackend('simd' as never)).toThrow(/'js' or 'wasm'/);
    expect(kernelBackend()).toBe('js');
  });

  it('falls back to js where WebAssembly is missing (fresh module instance)', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    try {
      const fresh = await import('./backend');
      expect(fresh.wasmAvailable()).toBe(false);
      expect(fresh.setKernelBackend('wasm')).toBe('js');
      expect(fresh.kernels().backend).toBe('js');
      expect(fresh.wasmUnavailableReason()).toMatch(/not available/);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });

  it('falls back to js where the engine rejects the SIMD module (validate() is false)', async () => {
    vi.resetModules();
    const real = (globalThis as unknown as { WebAssembly: { Module: unknown; Instance: unknown } })
      .WebAssembly;
    vi.stubGlobal('WebAssembly', { validate: () => false, Module: real.Module, Instance: real.Instance });
    try {
      const fresh = await import('./backend');
      expect(fresh.setKernelBackend('wasm')).toBe('js');
      expect(fresh.wasmKernels()).toBeUndefined();
      expect(fresh.wasmUnavailableReason()).toMatch(/SIMD/);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });
});

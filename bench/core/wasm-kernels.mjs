// Times @argmin/core's kernels on the JS backend, on the wasm backend with operands resident in
// wasm memory (zero copy) and on the wasm backend with ordinary Float64Arrays (staging copies in
// and out on every call). Prints JSON lines { kernel, n, variant, seconds } (median of 7 samples).
// Run via wasm-compare.sh after `pnpm --filter @argmin/core build`.
import { denseMatrix, jsKernels, wasmHeap, wasmKernels } from '../../packages/core/dist/index.js';

const W = wasmKernels();
const heap = wasmHeap();
if (!W || !heap) throw new Error('wasm backend unavailable on this engine');

function time(run, minimumSeconds = 0.35) {
  for (let i = 0; i < 3; i++) run();
  const samples = [];
  for (let s = 0; s < 7; s++) {
    let reps = 0;
    const start = performance.now();
    while (performance.now() - start < (minimumSeconds * 1000) / 7) {
      run();
      reps++;
    }
    samples.push((performance.now() - start) / 1000 / reps);
  }
  samples.sort((a, b) => a - b);
  return samples[3];
}
const filled = (n, f) => Float64Array.from({ length: n }, (_, i) => f(i));
const resident = (src) => {
  const h = heap.alloc(src.length);
  h.array.set(src);
  return h;
};
let sink = 0;
const results = [];
const record = (kernel, n, variant, seconds) => results.push({ kernel, n, variant, seconds });

for (const n of [1_000, 10_000, 100_000, 1_000_000]) {
  const x = filled(n, Math.sin);
  const y = filled(n, Math.cos);
  const out = new Float64Array(n);
  const mark = heap.mark();
  const hx = resident(x);
  const hy = resident(y);
  const hout = heap.alloc(n);
  for (const [name, K, X, Y, O] of [
    ['js', jsKernels, () => x, () => y, () => out],
    ['wasm', W, () => hx.array, () => hy.array, () => hout.array],
    ['wasm-copy', W, () => x, () => y, () => out],
  ]) {
    const xa = X();
    const ya = Y();
    const oa = O();
    record(
      'dot',
      n,
      name,
      time(() => (sink += K.dot(xa, ya))),
    );
    record(
      'axpy',
      n,
      name,
      time(() => (sink += K.axpy(0.5, xa, ya, oa)[0])),
    );
    record(
      'nrm2',
      n,
      name,
      time(() => (sink += K.nrm2(xa))),
    );
  }
  heap.release(mark);
}
for (const n of [256, 500, 1024, 2048]) {
  const a = filled(n * n, Math.sin);
  const x = filled(n, Math.cos);
  const out = new Float64Array(n);
  const mark = heap.mark();
  const ha = resident(a);
  const hx = resident(x);
  const hout = heap.alloc(n);
  for (const [name, K, A, X, O] of [
    ['js', jsKernels, () => denseMatrix(n, n, a), () => x, () => out],
    ['wasm', W, () => denseMatrix(n, n, ha.array), () => hx.array, () => hout.array],
    ['wasm-copy', W, () => denseMatrix(n, n, a), () => x, () => out],
  ]) {
    const Am = A();
    const xa = X();
    const oa = O();
    record(
      'gemv',
      n,
      name,
      time(() => (sink += K.gemv(Am, xa, oa)[0])),
    );
    record(
      'gemvT',
      n,
      name,
      time(() => (sink += K.gemvTransposed(Am, xa, oa)[0])),
    );
  }
  heap.release(mark);
}
if (!Number.isFinite(sink)) throw new Error('non-finite result');
for (const r of results) console.log(JSON.stringify(r));

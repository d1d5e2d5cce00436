// Times @argmin/core's dot, gemv and gemm (from packages/core/dist) at the sizes of kernels.py.
// Prints JSON lines { kernel, n, seconds } (best of 5 timed samples, as kernels.py). Run via compare.sh.
import { denseMatrix, dot, gemm, gemv, gemvTransposed } from '../../packages/core/dist/index.js';

function time(run, minimumSeconds = 0.2) {
  for (let i = 0; i < 3; i++) run(); // warm-up (JIT)
  const samples = [];
  for (let s = 0; s < 5; s++) {
    let reps = 0;
    const start = performance.now();
    while (performance.now() - start < (minimumSeconds * 1000) / 5) {
      run();
      reps++;
    }
    samples.push((performance.now() - start) / 1000 / reps);
  }
  return Math.min(...samples);
}
const filled = (n, f) => Float64Array.from({ length: n }, (_, i) => f(i));
// Warm up on odd sizes first (V8 re-optimizes on size changes).
dot(filled(1001, Math.sin), filled(1001, Math.cos));
const results = [];
let sink = 0;
for (const n of [1_000, 100_000, 1_000_000]) {
  const x = filled(n, Math.sin);
  const y = filled(n, Math.cos);
  results.push({ kernel: 'dot', n, seconds: time(() => (sink += dot(x, y))) });
}
for (const n of [256, 1024, 2048]) {
  const A = denseMatrix(n, n, filled(n * n, Math.sin));
  const x = filled(n, Math.cos);
  const out = new Float64Array(n);
  results.push({ kernel: 'gemv', n, seconds: time(() => (sink += gemv(A, x, out)[0])) });
  results.push({ kernel: 'gemvT', n, seconds: time(() => (sink += gemvTransposed(A, x, out)[0])) });
}
for (const n of [128, 256, 512]) {
  const A = denseMatrix(n, n, filled(n * n, Math.sin));
  const B = denseMatrix(n, n, filled(n * n, Math.cos));
  const C = denseMatrix(n, n);
  results.push({ kernel: 'gemm', n, seconds: time(() => (sink += gemm(A, B, C).data[0]), 1) });
}
if (!Number.isFinite(sink)) throw new Error('non-finite result');
for (const r of results) console.log(JSON.stringify(r));

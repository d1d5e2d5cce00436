#!/usr/bin/env bash
# Side-by-side timing of @argmin/core kernels against numpy, printed as ratios (ours / numpy).
# Usage from the repository root, after `pnpm build`:  bash bench/core/compare.sh
# numpy runs once single-threaded (OPENBLAS_NUM_THREADS=1, a fair comparison with single-threaded JS)
# and once with its default threads. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset for numpy only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ours="$(node "$here/kernels.mjs")"
single="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python3 "$here/kernels.py")"
multi="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$here/kernels.py")"
node - "$ours" "$single" "$multi" <<'JS'
const parse = (text) => Object.fromEntries(text.trim().split('\n').map((l) => JSON.parse(l)).map((r) => [`${r.kernel} n=${r.n}`, r]));
const [ours, single, multi] = process.argv.slice(2).map(parse);
const flops = (r) => (r.kernel === 'gemm' ? 2 * r.n ** 3 : r.kernel.startsWith('gemv') ? 2 * r.n ** 2 : 2 * r.n);
console.log('kernel        size      argmin        numpy 1 thread   ratio    numpy default   ratio');
for (const key of Object.keys(ours)) {
  const a = ours[key];
  const s = single[key];
  const m = multi[key];
  const fmt = (r) => `${(r.seconds * 1e3).toFixed(4).padStart(9)} ms`;
  const gflops = a.kernel === 'gemm' ? ` (${(flops(a) / a.seconds / 1e9).toFixed(2)} GFLOP/s)` : '';
  console.log(`${a.kernel.padEnd(6)} ${String(a.n).padStart(12)}  ${fmt(a)}  ${fmt(s)}   ${(a.seconds / s.seconds).toFixed(2).padStart(5)}x  ${fmt(m)}  ${(a.seconds / m.seconds).toFixed(2).padStart(5)}x${gflops}`);
}
JS

#!/usr/bin/env bash
# Side-by-side timing of @argmin/core's JS and wasm kernel backends against numpy (OpenBLAS pinned
# to one thread), printed as throughput ratios numpy_time / our_time (>= 1 means at least numpy's
# throughput). Usage from the repository root after `pnpm --filter @argmin/core build`:
#   bash bench/core/wasm-compare.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ours="$(node "$here/wasm-kernels.mjs")"
numpy="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python3 "$here/wasm-kernels.py")"
node - "$ours" "$numpy" <<'JS'
const lines = (text) => text.trim().split('\n').map((l) => JSON.parse(l));
const [ours, numpy] = process.argv.slice(2).map(lines);
const np = Object.fromEntries(numpy.map((r) => [`${r.kernel} ${r.n}`, r.seconds]));
const by = {};
for (const r of ours) (by[`${r.kernel} ${r.n}`] ??= {})[r.variant] = r.seconds;
const us = (s) => `${(s * 1e6).toFixed(2).padStart(10)} us`;
const ratio = (s, key) => `${(np[key] / s).toFixed(2).padStart(6)}x`;
console.log('kernel         n        numpy 1t           js  thr/np        wasm  thr/np   wasm+copy  thr/np  copy share');
for (const [key, v] of Object.entries(by)) {
  const [kernel, n] = key.split(' ');
  const copyShare = ((v['wasm-copy'] - v.wasm) / v['wasm-copy']) * 100;
  console.log(
    `${kernel.padEnd(6)} ${n.padStart(9)} ${us(np[key])} ${us(v.js)} ${ratio(v.js, key)} ${us(v.wasm)} ${ratio(v.wasm, key)} ${us(v['wasm-copy'])} ${ratio(v['wasm-copy'], key)}  ${copyShare.toFixed(0).padStart(5)}%`,
  );
}
JS

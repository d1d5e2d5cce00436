#!/usr/bin/env bash
# argmin's Sinkhorn iteration and emd against POT (single-threaded BLAS). From the repository root,
# after `pnpm build` and `apt-get install -y python3-pot`:  bash bench/ot/compare.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ours="$(node "$here/sinkhorn.mjs")"
pot="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 "$here/sinkhorn.py")"
node -e '
const ours = JSON.parse(process.argv[1]); const pot = JSON.parse(process.argv[2]);
for (const key of Object.keys(ours)) {
  const unit = key.startsWith("sinkhorn") ? "ms/iteration" : "ms";
  console.log(`${key.padEnd(16)} argmin ${(ours[key] * 1e3).toFixed(3).padStart(9)} ${unit}   POT ${(pot[key] * 1e3).toFixed(3).padStart(9)} ${unit}   ratio ${(ours[key] / pot[key]).toFixed(2)}x`);
}' "$ours" "$pot"

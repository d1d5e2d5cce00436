#!/usr/bin/env bash
# argmin's MLP forward+backward against numpy (1 thread and default threads), and HVP / gradient cost.
# Usage from the repository root, after `pnpm build`:  bash bench/nn/compare.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ours="$(node "$here/mlp.mjs")"
single="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 "$here/mlp.py")"
multi="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$here/mlp.py")"
node -e '
const ours = JSON.parse(process.argv[1]); const single = Number(process.argv[2]); const multi = Number(process.argv[3]);
console.log(`forward+backward 784-256-256-10, batch 128: argmin ${(ours.gradient*1e3).toFixed(2)} ms, numpy 1 thread ${(single*1e3).toFixed(2)} ms (ratio ${(ours.gradient/single).toFixed(1)}x), numpy default ${(multi*1e3).toFixed(2)} ms (ratio ${(ours.gradient/multi).toFixed(1)}x)`);
console.log(`HVP (R-operator) ${(ours.hvp*1e3).toFixed(2)} ms = ${(ours.hvp/ours.gradient).toFixed(2)}x a gradient`);
' "$ours" "$single" "$multi"

#!/usr/bin/env bash
# argmin's CG iteration (CSR and stencil) and GMRES(20) cycle against scipy on the 2-D Poisson
# 1000x1000 system (10^6 unknowns), single-threaded BLAS. From the repository root, after
# `pnpm build` (or `cd packages/linsolve && pnpm build`):  bash bench/linsolve/compare.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ours="$(node "$here/krylov.mjs")"
ref="$(env OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 "$here/krylov.py")"
node -e '
const ours = JSON.parse(process.argv[1]); const ref = JSON.parse(process.argv[2]);
for (const key of Object.keys(ours)) {
  console.log(`${key.padEnd(16)} argmin ${(ours[key] * 1e3).toFixed(2).padStart(8)} ms   scipy (CSR) ${(ref[key] * 1e3).toFixed(2).padStart(8)} ms   ratio ${(ours[key] / ref[key]).toFixed(2)}x`);
}' "$ours" "$ref"

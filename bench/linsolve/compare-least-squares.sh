#!/usr/bin/env bash
# LSQR/CGLS per iteration against scipy's lsqr (2-D Poisson 300x300, CSR, single-threaded BLAS), and
# the sketching solvers' work in matvec equivalents to a 1e-6 relative residual. From the repository
# root, after `pnpm build`:  bash bench/linsolve/compare-least-squares.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ours="$(node "$here/least-squares.mjs")"
ref="$(env OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 "$here/least_squares.py")"
node -e '
const ours = JSON.parse(process.argv[1]); const ref = JSON.parse(process.argv[2]);
const scipy = ref["lsqr iteration"];
for (const [key, value] of Object.entries(ours.timing))
  console.log(`${key.padEnd(16)} argmin ${(value * 1e3).toFixed(2).padStart(8)} ms   scipy lsqr ${(scipy * 1e3).toFixed(2).padStart(8)} ms   ratio ${(value / scipy).toFixed(2)}x`);
for (const { problem, rows } of ours.work) {
  console.log(`\n${problem}: products with A to ||r|| <= 1e-6 ||b||`);
  for (const r of rows) console.log(`  ${r.method.padEnd(42)} ${String(r.matvecs).padStart(9)}  ${r.converged ? "" : "(not converged) "}${r.ms} ms`);
}' "$ours" "$ref"

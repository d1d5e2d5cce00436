#!/usr/bin/env bash
# GCROT(40, 20) over Darcy sequences: argmin's gcrot vs scipy gcrotmk on the same systems (matvecs per
# system and wall time), fresh and recycled (discard_C), given and greedy-sorted order, plus GMRES(40).
# From the repository root after `pnpm build`:  bash bench/linsolve/compare-gcrot.sh [grid] [count]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
grid="${1:-32}"
count="${2:-40}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
ours="$(node "$here/gcrot-sequence.mjs" "$grid" "$count" "$tmp/systems.json")"
ref="$(env OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 "$here/gcrot_sequence.py" "$tmp/systems.json")"
node -e '
const ours = JSON.parse(process.argv[1]); const ref = JSON.parse(process.argv[2]);
console.log(`Darcy ${process.argv[3]}x${process.argv[3]}, ${process.argv[4]} systems, rtol 1e-8`);
for (const key of Object.keys(ours)) {
  const a = ours[key]; const s = ref[key];
  console.log(`${key.padEnd(22)} argmin ${a.matvecsPerSystem.toFixed(1).padStart(7)} matvecs/system ${a.seconds.toFixed(2).padStart(6)} s (${a.converged} converged)   scipy ${s.matvecsPerSystem.toFixed(1).padStart(7)} matvecs/system ${s.seconds.toFixed(2).padStart(6)} s (${s.converged} converged)`);
}' "$ours" "$ref" "$grid" "$count"

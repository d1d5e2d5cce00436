#!/usr/bin/env bash
# argmin's optimizer steps (d = 1e6) and M-FAC products against numpy transcriptions, 1 thread and default threads.
# Usage from the repository root, after `pnpm build`:  bash bench/stochastic/compare.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ours="$(node "$here/steps.mjs")"
single="$(env OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 "$here/steps.py")"
multi="$(python3 "$here/steps.py")"
node -e '
const [ours, single, multi] = process.argv.slice(1).map((s) => JSON.parse(s));
const ms = (s) => (s * 1e3).toFixed(2) + " ms";
const row = (name, a, b, c) => console.log(`${name.padEnd(34)} argmin ${ms(a).padStart(10)}  numpy-1t ${ms(b).padStart(10)} (${(a / b).toFixed(2)}x)  numpy ${ms(c).padStart(10)} (${(a / c).toFixed(2)}x)`);
for (const k of ["sgdMomentum", "adam", "adamw"]) row(`${k} step, d = 1e6`, ours[k], single[k], multi[k]);
for (const key of Object.keys(ours.mfac)) {
  const [d, m] = key.split(",");
  row(`m-fac IHVP, d = ${d}, m = ${m}`, ours.mfac[key].apply, single.mfac[key].apply, multi.mfac[key].apply);
  row(`m-fac update+IHVP, d = ${d}, m = ${m}`, ours.mfac[key].updateAndApply, single.mfac[key].updateAndApply, multi.mfac[key].updateAndApply);
}
' "$ours" "$single" "$multi"

#!/usr/bin/env bash
# Installs the packages as a user would, outside the repository, and checks the CLI there.
#   1. `pnpm pack` every public package (workspace:^ becomes a real range);
#   2. for each of npm and pnpm: a fresh temporary project that installs all the tarballs;
#   3. there: `npx argmin --version`, `argmin list` (every method and experiment id the workspace
#      registers must be listed), a pipeline (`argmin run`) and one reproduction (`argmin repro`);
#      plus an ESM import, a CJS require and the `/plugins` subpath of a library package.
# Run after `pnpm build`. Needs the npm registry for third-party dependencies (zod, commander, ...).
# Usage: scripts/check-tarballs.sh [npm|pnpm]...   (default: both)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
managers=("$@")
[ ${#managers[@]} -eq 0 ] && managers=(npm pnpm)
work="$(mktemp -d "${TMPDIR:-/tmp}/argmin-tarballs.XXXXXX")"
trap 'rm -rf "$work"' EXIT
tarballs="$work/tarballs"
mkdir -p "$tarballs"

fail() { echo "check-tarballs: FAIL ($manager): $*" >&2; exit 1; }

echo "== packing into $tarballs"
for dir in "$root"/packages/*/; do
  [ "$(node -p "Boolean(require('$dir/package.json').private)")" = "true" ] && continue
  (cd "$dir" && pnpm pack --pack-destination "$tarballs" >/dev/null)
done
ls "$tarballs"

# Every id the workspace registers (methods, problems, experiments), from the built packages.
expected="$(cd "$root/scripts" && node --input-type=module -e "
const ids = [];
const { readdirSync, readFileSync } = await import('node:fs');
for (const folder of readdirSync('$root/packages')) {
  const manifest = JSON.parse(readFileSync('$root/packages/' + folder + '/package.json', 'utf8'));
  for (const entry of ['plugins', 'experiments']) {
    if (!manifest.exports?.['./' + entry]) continue;
    const m = await import('$root/packages/' + folder + '/' + manifest.exports['./' + entry].import.default);
    for (const [k, v] of Object.entries(m)) {
      if (!Array.isArray(v)) continue;
      if (k.endsWith('Plugins')) ids.push(...v.map((p) => p.meta.id));
      if (k.endsWith('Experiments')) ids.push(...v.map((e) => e.id));
    }
  }
}
console.log([...new Set(ids)].join('\n'));
")"
echo "== $(echo "$expected" | wc -l) registered method and experiment ids expected in 'argmin list'"

pipeline='{
  "name": "tarball-check",
  "seed": 0,
  "problem": { "id": "core/rosenbrock", "options": {} },
  "stages": [{ "name": "lbfgs", "method": "core/lbfgs", "options": {}, "stopWhen": { "maxIterations": 200 } }]
}'

for manager in "${managers[@]}"; do
  project="$work/project-$manager"
  mkdir -p "$project"
  cd "$project"
  # Pin every @argmin package to its tarball so dependencies between them resolve locally.
  node -e "
    const fs = require('fs');
    const deps = {};
    for (const f of fs.readdirSync('$tarballs')) {
      const name = '@argmin/' + f.replace(/^argmin-/, '').replace(/-\d+\.\d+\.\d+.*\.tgz$/, '');
      deps[name] = 'file:$tarballs/' + f;
    }
    const manifest = { name: 'argmin-tarball-check', version: '0.0.0', private: true, type: 'module', dependencies: deps };
    if ('$manager' === 'npm') manifest.overrides = deps;
    else manifest.pnpm = { overrides: deps };
    fs.writeFileSync('package.json', JSON.stringify(manifest, null, 2));
    // pnpm 12 fails on unapproved build scripts (msgpackr-extract under @argmin/runner's bullmq): a user
    // who has not approved them gets the pure-JS fallback, which is what this check installs.
    if ('$manager' === 'pnpm') fs.writeFileSync('pnpm-workspace.yaml', 'strictDepBuilds: false\noverrides:\n' + Object.entries(deps).map(([k, v]) => '  \"' + k + '\": \"' + v + '\"').join('\n') + '\n');
  "
  echo "== $manager install"
  if [ "$manager" = npm ]; then
    npm install --no-audit --no-fund --loglevel=error >install.log 2>&1 || { cat install.log; fail "npm install"; }
  else
    pnpm install --ignore-workspace=false >install.log 2>&1 || { cat install.log; fail "pnpm install"; }
  fi

  version="$(npx --no-install argmin --version)" || fail "argmin --version"
  echo "argmin --version: $version"
  [ -n "$version" ] || fail "argmin --version printed nothing"

  npx --no-install argmin list >list.txt 2>&1 || { cat list.txt; fail "argmin list exited non-zero"; }
  missing="$(echo "$expected" | while read -r id; do grep -qF -- "$id" list.txt || echo "$id"; done)"
  [ -z "$missing" ] || { cat list.txt; fail "argmin list misses: $(echo $missing)"; }
  echo "argmin list: all $(echo "$expected" | wc -l) ids listed"

  echo "$pipeline" >pipeline.json
  npx --no-install argmin run pipeline.json --json >run.json 2>run.err || { cat run.err; fail "argmin run pipeline.json"; }
  node -e "
    const r = JSON.parse(require('fs').readFileSync('run.json', 'utf8'));
    if (r.status !== 'converged' || Math.abs(r.x[0] - 1) > 1e-6 || Math.abs(r.x[1] - 1) > 1e-6) {
      console.error('pipeline result: ' + r.status + ' x = ' + JSON.stringify(r.x));
      process.exit(1);
    }
    console.log('argmin run: ' + r.status + ' in ' + r.iterations + ' iterations, x = ' + JSON.stringify(r.x));
  " || fail "the pipeline (L-BFGS on Rosenbrock) did not converge to (1, 1)"

  npx --no-install argmin repro core/lbfgs-vs-gd --out repro >repro.txt 2>&1 || { cat repro.txt; fail "argmin repro core/lbfgs-vs-gd"; }
  [ -s repro/results.json ] || fail "argmin repro wrote no results.json"
  node -e "
    const r = JSON.parse(require('fs').readFileSync('repro/results.json', 'utf8'));
    const e = r.experiments[0];
    if (r.experiments.length !== 1 || e.id !== 'core/lbfgs-vs-gd' || !e.verdict || e.error) process.exit(1);
    console.log('argmin repro: ' + e.id + ' ' + e.verdict.status + ' (' + e.verdict.measured + ')');
  " || fail "argmin repro did not record a computed verdict for core/lbfgs-vs-gd"

  node --input-type=module -e "
    import { dot } from '@argmin/core';
    import { sinkhorn } from '@argmin/ot';
    import { otPlugins } from '@argmin/ot/plugins';
    if (dot(Float64Array.of(1, 2), Float64Array.of(3, 4)) !== 11) throw new Error('dot');
    const r = sinkhorn(Float64Array.of(0.5, 0.5), Float64Array.of(0.5, 0.5), { rows: 2, cols: 2, data: Float64Array.of(0, 1, 1, 0) }, { regularization: 0.1 });
    if (r.plan.data.length !== 4) throw new Error('sinkhorn');
    if (!otPlugins.length) throw new Error('plugins');
  " || fail "ESM import of @argmin/core, @argmin/ot and @argmin/ot/plugins"
  node -e "
    const { dot } = require('@argmin/core');
    const { linsolvePlugins } = require('@argmin/linsolve/plugins');
    if (dot(Float64Array.of(1, 2), Float64Array.of(3, 4)) !== 11 || !linsolvePlugins.length) process.exit(1);
  " || fail "CJS require of @argmin/core and @argmin/linsolve/plugins"
  echo "ESM import and CJS require: ok"
  [ "$(ls "$project"/node_modules/@argmin/*/LICENSE | wc -l)" -ge 7 ] || fail "a tarball lacks LICENSE"
  echo "== $manager: ok"
done
echo "check-tarballs: ok (${managers[*]})"

#!/usr/bin/env bash
# publint and are-the-types-wrong on every public package (run after `pnpm build`), plus the manifest
# check. Exits non-zero on the first package with a problem. Usage: scripts/check-packages.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/scripts/node_modules/.bin"
node "$root/scripts/manifests.mjs"
status=0
for dir in "$root"/packages/*/; do
  name="$(node -p "require('$dir/package.json').name")"
  private="$(node -p "Boolean(require('$dir/package.json').private)")"
  [ "$private" = "true" ] && continue
  echo "== $name"
  (cd "$dir" && "$bin/publint" --strict) || status=1
  # The CLI and the runner are ESM-only Node packages (no "require" condition): the CJS checks do not
  # apply to them (their READMEs say so); every library package ships ESM and CJS and passes them all.
  profile=()
  if ! node -e "process.exit(JSON.stringify(require('$dir/package.json').exports).includes('\"require\"') ? 0 : 1)"; then
    profile=(--profile esm-only)
  fi
  (cd "$dir" && "$bin/attw" --pack . --format table-flipped "${profile[@]}") || status=1
done
exit $status

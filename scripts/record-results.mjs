#!/usr/bin/env node
// Records the numbers the docs "Results" page shows, with the date and the machine they were
// measured on: every paper reproduction (`argmin repro --size quick`, seed 0) and the bundle budgets.
// Writes apps/docs/data/results.json. Run after `pnpm build`, on a machine as idle as you can get:
//   node scripts/record-results.mjs [--size quick|full]
//   node scripts/record-results.mjs --bundles-only   (re-measure the bundle sizes, keep the reproductions)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUDGETS, bundleSize } from './bundle-size.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsFile = join(root, 'apps/docs/data/results.json');

async function measureBundles() {
  const bundles = [];
  for (const { name, from, limit } of BUDGETS) {
    const { bytes } = await bundleSize(name, from);
    bundles.push({ import: `{ ${name} } from '${from}'`, bytes, limit });
  }
  return { bundles, bundlesMeasuredAt: new Date().toISOString() };
}

if (process.argv.includes('--bundles-only')) {
  const record = { ...JSON.parse(readFileSync(resultsFile, 'utf8')), ...(await measureBundles()) };
  writeFileSync(resultsFile, `${JSON.stringify(record, null, 2)}\n`);
  console.log(
    `results: bundle sizes ${record.bundles.map((b) => `${(b.bytes / 1024).toFixed(1)} KB`).join(', ')}`,
  );
  process.exit(0);
}
const sizeFlag = process.argv.indexOf('--size');
const size = sizeFlag > 0 ? process.argv[sizeFlag + 1] : 'quick';
const out = mkdtempSync(join(tmpdir(), 'argmin-results-'));
const loadBefore = loadavg()[0];
const started = Date.now();
try {
  execFileSync(
    process.execPath,
    [join(root, 'packages/cli/dist/bin.js'), 'repro', '--size', size, '--out', out],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, CI: '1' },
    },
  );
} catch (error) {
  // argmin repro exits 1 when an experiment errored; the record keeps that experiment's error
  if (!readFileSync(join(out, 'results.json'), 'utf8')) throw error;
}
const repro = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
rmSync(out, { recursive: true, force: true });
const record = {
  measuredAt: repro.generatedAt,
  size,
  seed: repro.seed,
  machine: {
    ...repro.environment,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverageAtStart: Number(loadBefore.toFixed(2)),
    loadAverageAtEnd: Number(loadavg()[0].toFixed(2)),
  },
  totalSeconds: Math.round((Date.now() - started) / 1000),
  summary: repro.summary,
  experiments: repro.experiments.map((e) => ({
    id: e.id,
    title: e.title,
    claim: e.claim,
    verdict: e.verdict.status,
    measured: e.verdict.measured,
    threshold: e.verdict.threshold,
    summary: e.verdict.summary,
    seconds: Number((e.elapsedMs / 1000).toFixed(1)),
  })),
  ...(await measureBundles()),
};
writeFileSync(resultsFile, `${JSON.stringify(record, null, 2)}\n`);
console.log(
  `results: ${record.summary.reproduced}/${record.summary.total} reproduced in ${record.totalSeconds} s on ${record.machine.cpu} (load ${record.machine.loadAverageAtStart})`,
);

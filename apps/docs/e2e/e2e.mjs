// End-to-end check of the built docs in Debian's Chromium (playwright-core, no browser download).
// Opens the landing page, a generated method page (its options table must list the real defaults),
// and an experiment page (clicks Run, waits for the verdict, checks a plot rendered with data points),
// failing on any page error or console error. Screenshots go to e2e-artifacts/ (git-ignored).
// Usage (from apps/docs, after `vitepress build`): node e2e/e2e.mjs
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const docsRoot = resolve(here, '..');
const dist = join(docsRoot, '.vitepress/dist');
const artifacts = join(docsRoot, 'e2e-artifacts');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
mkdirSync(artifacts, { recursive: true });
if (!existsSync(dist)) throw new Error('e2e: build the site first (vitepress build).');
if (!existsSync(executablePath))
  throw new Error(`e2e: no Chromium at ${executablePath}; install it with apt-get install -y chromium.`);

const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain',
};
function resolveFile(urlPath) {
  const clean = normalize(decodeURIComponent(urlPath.split('?')[0])).replace(/^(\.\.[/\\])+/, '');
  const base = join(dist, clean);
  for (const candidate of [base, `${base}.html`, join(base, 'index.html')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}
const server = createServer((request, response) => {
  const file = resolveFile(request.url ?? '/');
  if (!file) {
    response.writeHead(404, { 'content-type': 'text/html' });
    response.end(readFileSync(join(dist, '404.html')));
    return;
  }
  response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
  response.end(readFileSync(file));
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const origin = `http://127.0.0.1:${server.address().port}`;

const summary = JSON.parse(readFileSync(join(docsRoot, 'generated/summary.json'), 'utf8'));
const failures = [];
const check = (condition, message) => {
  if (!condition) failures.push(message);
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${message}`);
};

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-quic',
    '--no-first-run',
    '--disable-sync',
  ],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });

  // 1. Landing page.
  await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
  check((await page.locator('.VPHero').count()) > 0, 'landing page renders the hero');
  check((await page.content()).includes('pnpm repro'), 'landing page shows the set-up lines');
  await page.screenshot({ path: join(artifacts, 'landing.png'), fullPage: true });

  // 2. A generated method page: the options table lists the real defaults from the schema.
  const { describeOptions, createRegistry } = await import('@argmin/core');
  const methodId = summary.methods.includes('core/lbfgs') ? 'core/lbfgs' : summary.methods[0];
  check(Boolean(methodId), 'at least one method page exists');
  if (methodId) {
    const pkg = await import(`@argmin/${methodId.split('/')[0]}/plugins`);
    const plugins = Object.entries(pkg)
      .filter(([k]) => k.endsWith('Plugins'))
      .flatMap(([, v]) => v);
    const plugin = createRegistry(plugins).get(methodId);
    await page.goto(`${origin}/methods/${methodId}`, { waitUntil: 'networkidle' });
    const rows = await page
      .locator('.options-table table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent.trim())),
      );
    const options = describeOptions(plugin.options);
    check(
      rows.length === options.length,
      `method page ${methodId} lists ${options.length} options (found ${rows.length})`,
    );
    for (const option of options) {
      const row = rows.find((r) => r[0].startsWith(option.name));
      const expected = option.default === undefined ? '—' : JSON.stringify(option.default);
      check(
        row !== undefined && row[2] === expected,
        `option ${option.name} shows default ${expected} (page: ${row?.[2]})`,
      );
    }
    await page.screenshot({ path: join(artifacts, 'method.png'), fullPage: true });
  }

  // 3. An experiment page: run it live, wait for the verdict, check the plot.
  const experimentId = summary.experiments.includes('core/lbfgs-vs-gd')
    ? 'core/lbfgs-vs-gd'
    : summary.experiments[0];
  check(Boolean(experimentId), 'at least one experiment page exists');
  if (experimentId) {
    await page.goto(`${origin}/experiments/${experimentId}`, { waitUntil: 'networkidle' });
    await page.locator('button[data-action="run"]').click();
    await page.locator('[data-verdict]').first().waitFor({ timeout: 180_000 });
    const verdict = await page.locator('[data-verdict]').first().getAttribute('data-verdict');
    check(
      ['reproduced', 'not-reproduced', 'inconclusive'].includes(verdict ?? ''),
      `experiment ${experimentId} shows a computed verdict (${verdict})`,
    );
    await page.locator('.runner-chart canvas').first().waitFor({ timeout: 30_000 });
    const points = await page
      .locator('.runner-chart')
      .evaluateAll((charts) => charts.map((c) => Number(c.getAttribute('data-points'))));
    check(
      points.length > 0 && points.every((p) => p > 0),
      `experiment ${experimentId} rendered ${points.length} plot(s) with data points (${points.join(', ')})`,
    );
    await page.screenshot({ path: join(artifacts, 'experiment.png'), fullPage: true });
  }
  check(errors.length === 0, `no page or console errors${errors.length ? `: ${errors.join(' | ')}` : ''}`);
} finally {
  await browser.close();
  server.close();
}
if (failures.length) {
  console.error(`docs e2e: ${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('docs e2e: all checks passed');

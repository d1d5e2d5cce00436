// End-to-end check of the built docs in Debian's Chromium (playwright-core, no browser download).
// Opens the landing page, three generated method pages (example block, options table with the real
// defaults and descriptions, arXiv link), the Papers page (arXiv links, sorted by status),
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

  // 2. Three generated method pages: the example block shows the file the docs tests run, the options
  // table lists the real defaults from the schema, the paper links to arXiv.
  const { describeOptions, createRegistry } = await import('@argmin/core');
  const methodIds = ['ot/sinkhorn', 'linsolve/cg', 'diffusion/dpm-solver-pp'].filter((id) =>
    summary.methods.includes(id),
  );
  check(methodIds.length === 3, `the three method pages exist (${methodIds.join(', ')})`);
  for (const methodId of methodIds) {
    const pkg = await import(`@argmin/${methodId.split('/')[0]}/plugins`);
    const plugins = Object.entries(pkg)
      .filter(([k]) => k.endsWith('Plugins'))
      .flatMap(([, v]) => v);
    const plugin = createRegistry(plugins).get(methodId);
    await page.goto(`${origin}/methods/${methodId}`, { waitUntil: 'networkidle' });
    const exampleText = (await page.locator('.method-example pre').first().textContent()) ?? '';
    const exampleFile = readFileSync(join(docsRoot, 'examples', `${methodId}.ts`), 'utf8');
    const firstCall =
      exampleFile
        .split('\n')
        .find((line) => line.includes('export const result'))
        ?.trim() ?? '';
    check(
      firstCall.length > 0 && exampleText.includes(firstCall),
      `method page ${methodId} shows its example calling the method (${firstCall.slice(0, 60)})`,
    );
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
        row !== undefined && row[2] === expected && (option.description ? row[3].length > 0 : true),
        `${methodId}: option ${option.name} shows default ${expected} and its description (page: ${row?.[2]})`,
      );
    }
    const arxivLinks = await page.locator('a[href^="https://arxiv.org/abs/"]').count();
    const wantsArxiv = plugin.meta.references.some((r) => r.arxiv);
    check(
      !wantsArxiv || arxivLinks > 0,
      `method page ${methodId} links its paper to arXiv (${arxivLinks} link(s))`,
    );
    await page.screenshot({
      path: join(artifacts, `method-${methodId.replace('/', '-')}.png`),
      fullPage: true,
    });
  }

  // 2b. The Papers page: every paper title links to arXiv, sorted by status.
  await page.goto(`${origin}/papers`, { waitUntil: 'networkidle' });
  const paperRows = await page.locator('.papers-table table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      href: tr.querySelector('td a')?.getAttribute('href') ?? '',
      status: tr.querySelector('.status')?.textContent?.trim() ?? '',
    })),
  );
  check(paperRows.length === 43, `Papers page lists 43 papers (found ${paperRows.length})`);
  check(
    paperRows.every((row) => row.href.startsWith('https://arxiv.org/')),
    `every paper title links to arXiv (${paperRows.filter((r) => r.href.startsWith('https://arxiv.org/abs/')).length} abstract links)`,
  );
  const order = ['experiment', 'implemented', 'not yet'];
  const ranks = paperRows.map((row) => order.indexOf(row.status));
  check(
    ranks.every((rank, i) => rank >= 0 && (i === 0 || ranks[i - 1] <= rank)),
    'Papers page is sorted by status',
  );
  await page.screenshot({ path: join(artifacts, 'papers.png'), fullPage: true });

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

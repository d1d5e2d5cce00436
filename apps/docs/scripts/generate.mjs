// Generates the docs pages that must stay in sync with the code: one page per registered method
// plugin (options table from its strict schema), one page per experiment (runs live in a Web
// Worker), one page per area package, the Papers page and the sidebar. Output goes to generated/
// (git-ignored) and is served at the site root through VitePress rewrites.
// Usage (from apps/docs): node scripts/generate.mjs
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const docsRoot = resolve(here, '..');
const repoRoot = resolve(docsRoot, '../..');
const out = join(docsRoot, 'generated');

/** The @argmin packages the docs depend on (package.json), in a stable order, core first. */
export function documentedPackages() {
  const manifest = JSON.parse(readFileSync(join(docsRoot, 'package.json'), 'utf8'));
  return Object.keys(manifest.dependencies ?? {})
    .filter((name) => name.startsWith('@argmin/'))
    .sort((a, b) => (a === '@argmin/core' ? -1 : b === '@argmin/core' ? 1 : a.localeCompare(b)));
}

/** Collects plugins and experiments from every documented package's exports. */
export async function collect() {
  const { describeOptions, areaOf } = await import('@argmin/core');
  const packages = [];
  for (const name of documentedPackages()) {
    const folder = name.slice('@argmin/'.length);
    // Functions live at the package root, plugins and experiments in its /plugins and /experiments entries.
    const module = { ...(await import(name)) };
    for (const entry of ['plugins', 'experiments']) {
      try {
        Object.assign(module, await import(`${name}/${entry}`));
      } catch {}
    }
    const plugins = [];
    const experiments = [];
    const experimentExports = [];
    for (const [key, value] of Object.entries(module)) {
      if (!Array.isArray(value)) continue;
      if (key.endsWith('Plugins')) plugins.push(...value.filter((p) => p?.meta?.id && p.options));
      if (key.endsWith('Experiments')) {
        experiments.push(...value.filter((e) => e?.id && e.run));
        experimentExports.push(key);
      }
    }
    const manifestPath = join(repoRoot, 'packages', folder, 'package.json');
    const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : {};
    packages.push({
      name,
      folder,
      description: manifest.description ?? '',
      version: manifest.version ?? '',
      plugins,
      experiments,
      experimentExports,
    });
  }
  return { packages, describeOptions, areaOf };
}

const escapeCell = (value) =>
  String(value ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ')
    .replace(/</g, '&lt;');
const formatDefault = (value) => (value === undefined ? '—' : `\`${JSON.stringify(value)}\``);
const methodLink = (id) => `/methods/${id}`;
const experimentLink = (id) => `/experiments/${id}`;
const normalize = (text) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

function referenceLine(reference) {
  const parts = [reference.title];
  if (reference.authors) parts.push(reference.authors);
  if (reference.year) parts.push(String(reference.year));
  const text = parts.join(', ');
  if (reference.arxiv)
    return `[${text}](https://arxiv.org/abs/${reference.arxiv}) (arXiv:${reference.arxiv})`;
  if (reference.url) return `[${text}](${reference.url})`;
  return text;
}

/** The runnable example of a method: apps/docs/examples/<id>.ts (run by test/examples.test.ts). */
export function exampleFor(id) {
  const path = join(docsRoot, 'examples', `${id}.ts`);
  return existsSync(path) ? { path, code: readFileSync(path, 'utf8') } : undefined;
}

/**
 * Options for `registry.create(id, options)`: the method's required options, with the values its
 * example uses (`name: value` in the example code). Checked by test/pages.test.ts.
 */
export function registryOptionsFor(plugin, describeOptions) {
  const required = describeOptions(plugin.options).filter((row) => row.required);
  const code = exampleFor(plugin.meta.id)?.code ?? '';
  const options = {};
  for (const row of required) {
    const match = code.match(new RegExp(`\\b${row.name}:\\s*(-?[0-9.e+-]+|'[^']*')`));
    if (match) options[row.name] = match[1].startsWith("'") ? match[1].slice(1, -1) : Number(match[1]);
  }
  return options;
}

const GREEK = /[\u0370-\u03ff][\u2080-\u2089ₜ]?/u;

/**
 * Paper symbols named in the option descriptions (`Step size γ ...` → `stepSize` ↔ γ): the first Greek
 * letter (with its subscript) of the description's text before any parenthesis.
 */
function symbolRows(rows) {
  return rows
    .map((row) => ({ name: row.name, symbol: (row.description ?? '').split('(')[0].match(GREEK)?.[0] }))
    .filter((row) => row.symbol);
}

function methodPage(pkg, plugin, describeOptions, experimentsByMethod) {
  const { meta } = plugin;
  const rows = describeOptions(plugin.options);
  const lines = [
    '---',
    `title: "${meta.id}"`,
    'outline: deep',
    '---',
    '',
    `# ${escapeCell(meta.title)}`,
    '',
    `<div class="argmin-meta"><code>${meta.id}</code> · <a href="/areas/${pkg.folder}">${pkg.name}</a>${meta.stochastic ? ' · stochastic (seeded)' : ''}${meta.experimental ? ' · experimental' : ''}</div>`,
    '',
  ];
  if (meta.description) lines.push(meta.description, '');
  const example = exampleFor(meta.id);
  lines.push('## Example', '');
  if (example) {
    lines.push(
      `A complete program (\`apps/docs/examples/${meta.id}.ts\`, run by the docs test suite as written):`,
      '',
      '<div class="method-example">',
      '',
      '```ts',
      example.code.trimEnd(),
      '```',
      '',
      '</div>',
      '',
    );
  } else {
    lines.push('No example yet.', '');
  }
  lines.push('## Options', '');
  if (rows.length === 0) {
    lines.push('This method has no options.', '');
  } else {
    lines.push(
      'Unknown keys are an error (with a "did you mean"); the function and the plugin validate with the same schema.',
      '',
      '<div class="options-table">',
      '',
      '| Option | Type | Default | Description |',
      '| --- | --- | --- | --- |',
    );
    for (const row of rows) {
      lines.push(
        `| \`${row.name}\`${row.required ? ' (required)' : ''} | ${escapeCell(row.type)} | ${formatDefault(row.default)} | ${escapeCell(row.description ?? '')} |`,
      );
    }
    lines.push('', '</div>', '');
  }
  const registryOptions = registryOptionsFor(plugin, describeOptions);
  lines.push(
    '## Through a registry',
    '',
    'The same method by id, e.g. for a pipeline file or a picker (the options are validated the same way):',
    '',
    '```ts',
    `import { createRegistry } from '@argmin/core';`,
    `import { ${pkg.folder}Plugins } from '${pkg.name}/plugins';`,
    '',
    `const registry = createRegistry([...${pkg.folder}Plugins]);`,
    `const method = registry.create('${meta.id}', ${JSON.stringify(registryOptions)
      .replace(/"([a-zA-Z]+)":/g, '$1: ')
      .replace(/"/g, "'")
      .replace(/^\{(.+)\}$/, '{ $1 }')});`,
    '```',
    '',
  );
  lines.push('## Paper', '');
  if (meta.references.length === 0) lines.push('A classical method (no paper of the project list).', '');
  for (const reference of meta.references) lines.push(`- ${referenceLine(reference)}`);
  lines.push('');
  const symbols = symbolRows(rows);
  if (symbols.length) {
    lines.push(
      'Paper symbols and the options that set them:',
      '',
      '| Symbol | Option |',
      '| --- | --- |',
      ...symbols.map((row) => `| ${row.symbol} | \`${row.name}\` |`),
      '',
    );
  }
  lines.push('## Needs', '');
  lines.push(
    meta.needs?.length
      ? `Oracle capabilities: ${meta.needs.map((n) => `\`${n}\``).join(', ')}.`
      : 'No oracle capabilities (the problem is passed directly).',
    '',
  );
  const experiments = experimentsByMethod.get(meta.id) ?? [];
  if (experiments.length) {
    lines.push('## Reproductions', '');
    for (const e of experiments)
      lines.push(`- [${escapeCell(e.title)}](${experimentLink(e.id)}): ${escapeCell(e.claim)}`);
    lines.push('');
  }
  return lines.join('\n');
}

function experimentPage(pkg, experiment) {
  return [
    '---',
    `title: "${experiment.id}"`,
    '---',
    '',
    `# ${escapeCell(experiment.title)}`,
    '',
    `<div class="argmin-meta"><code>${experiment.id}</code> · <a href="/areas/${pkg.folder}">${pkg.name}</a></div>`,
    '',
    `**Paper.** ${referenceLine(experiment.paper)}`,
    '',
    `**Claim.** ${escapeCell(experiment.claim)}`,
    '',
    experiment.methods?.length
      ? `**Methods.** ${experiment.methods.map((id) => `[\`${id}\`](${methodLink(id)})`).join(', ')}`
      : '',
    '',
    'Press **Run** to reproduce the claim in your browser (in a Web Worker, at the quick size). The verdict is computed from the measurements of this run.',
    '',
    `<ClientOnly><ExperimentRunner experiment-id="${experiment.id}" /></ClientOnly>`,
    '',
    `Also from a terminal: \`pnpm repro ${experiment.id}\`.`,
    '',
  ].join('\n');
}

function areaPage(pkg) {
  const lines = [
    `# ${pkg.name}`,
    '',
    pkg.description,
    '',
    '```sh',
    `pnpm add ${pkg.name}`,
    '```',
    '',
    '## Methods',
    '',
  ];
  if (pkg.plugins.length === 0) lines.push('No method plugins yet.', '');
  else {
    lines.push('| Id | Method | Paper |', '| --- | --- | --- |');
    for (const p of pkg.plugins)
      lines.push(
        `| [\`${p.meta.id}\`](${methodLink(p.meta.id)}) | ${escapeCell(p.meta.title)} | ${escapeCell(p.meta.references.map((r) => r.title).join('; '))} |`,
      );
    lines.push('');
  }
  lines.push('## Reproductions', '');
  if (pkg.experiments.length === 0) lines.push('No experiments yet.', '');
  else
    for (const e of pkg.experiments)
      lines.push(`- [${escapeCell(e.title)}](${experimentLink(e.id)}): ${escapeCell(e.claim)}`);
  lines.push('', `API reference: [${pkg.name}](/api/${pkg.folder}/).`, '');
  return lines.join('\n');
}

const STATUS_ORDER = ['experiment', 'implemented', 'not yet'];

/** The paper's arXiv page when its id is known (papers.json or a method's reference), else an arXiv title search. */
export function arxivLink(paper) {
  return paper.arxiv
    ? `https://arxiv.org/abs/${paper.arxiv}`
    : `https://arxiv.org/search/?query=${encodeURIComponent(paper.title)}&searchtype=title`;
}

/**
 * One row per paper of data/papers.json: the methods that cite it, the experiments that reproduce it
 * (its own, and every experiment that runs one of its methods, e.g. PNDM in few-step-samplers), the
 * plain functions that implement it (papers.json `functions`), and a status; sorted by status
 * (experiment, implemented, not yet), then area and title.
 */
export function paperRows(packages, papers) {
  const plugins = packages.flatMap((p) => p.plugins);
  const experiments = packages.flatMap((p) => p.experiments);
  const matches = (paperTitle, reference) => {
    const a = normalize(paperTitle);
    const b = normalize(reference?.title ?? '');
    return b.length > 0 && (a === b || a.startsWith(b) || b.startsWith(a) || a.includes(b.slice(0, 40)));
  };
  const rows = papers.map((paper) => {
    // `aliases`: the paper's published title when the project list spells it differently
    const titles = [paper.title, ...(paper.aliases ?? [])];
    const cites = (reference) => titles.some((t) => matches(t, reference));
    const methods = plugins.filter((p) => p.meta.references.some(cites));
    const methodIds = new Set(methods.map((m) => m.meta.id));
    const reproductions = experiments.filter(
      (e) => cites(e.paper) || (e.methods ?? []).some((id) => methodIds.has(id)),
    );
    const functions = Object.entries(paper.functions ?? {}).flatMap(([folder, names]) =>
      names.map((name) => ({ folder, name })),
    );
    const arxiv =
      paper.arxiv ??
      [...methods.flatMap((m) => m.meta.references), ...reproductions.map((e) => e.paper)].find(
        (r) => cites(r) && r.arxiv,
      )?.arxiv;
    const status = reproductions.some((e) => cites(e.paper) || e.methods?.some((id) => methodIds.has(id)))
      ? 'experiment'
      : methods.length || functions.length
        ? 'implemented'
        : 'not yet';
    return { paper: { ...paper, arxiv }, methods, reproductions, functions, status };
  });
  rows.sort(
    (x, y) =>
      STATUS_ORDER.indexOf(x.status) - STATUS_ORDER.indexOf(y.status) ||
      x.paper.area.localeCompare(y.paper.area) ||
      x.paper.title.localeCompare(y.paper.title),
  );
  return rows;
}

function papersPage(packages, papers) {
  const rows = paperRows(packages, papers);
  const counts = { experiment: 0, implemented: 0, 'not yet': 0 };
  for (const r of rows) counts[r.status]++;
  const lines = [
    '# Papers',
    '',
    `The ${papers.length} papers argmin implements, with their method pages and reproductions, sorted by status: **${counts.experiment}** with an experiment (a registered reproduction re-checks the claim; run it to see whether the claim reproduces — the verdict is computed from the run, not stated here), **${counts.implemented}** implemented, **${counts['not yet']}** not yet. Titles link to arXiv (the abstract page, or an arXiv title search where the id is not recorded yet).`,
    '',
    '<div class="papers-table">',
    '',
    '| Paper | Area | Methods | Reproduction | Status |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const { paper, methods, reproductions, functions, status } of rows) {
    const implemented = [
      ...methods.map((m) => `[\`${m.meta.id}\`](${methodLink(m.meta.id)})`),
      ...functions.map((f) => `[\`${f.name}\`](/api/${f.folder}/functions/${f.name}) (@argmin/${f.folder})`),
    ];
    lines.push(
      `| [${escapeCell(paper.title)}](${arxivLink(paper)}) | ${paper.area} | ${implemented.join(', ') || '—'} | ${reproductions.map((e) => `[\`${e.id}\`](${experimentLink(e.id)})`).join(', ') || '—'} | <span class="status status-${status.replace(' ', '-')}">${status}</span> |`,
    );
  }
  lines.push('', '</div>', '');
  return { markdown: `${lines.join('\n')}\n`, rows };
}

/** The Results page: numbers recorded by scripts/record-results.mjs, with the date and the machine. */
export function resultsPage(record) {
  if (!record)
    return '# Results\n\nNo recorded run yet: `node scripts/record-results.mjs` after `pnpm build`.\n';
  const m = record.machine;
  const lines = [
    '# Results',
    '',
    `Measured on **${record.measuredAt.slice(0, 10)}** (${record.measuredAt}) on ${m.cpu} (${m.cpus} cores, ${m.memoryGiB} GiB), ${m.platform}, Node ${m.node}; 1-minute load average ${m.loadAverageAtStart} at the start and ${m.loadAverageAtEnd} at the end (a shared machine: wall-time claims are sensitive to load). Recorded by \`node scripts/record-results.mjs\` (\`argmin repro --size ${record.size} --seed ${record.seed}\`); every verdict is computed by the experiment from this run's measurements. Your numbers will differ with the machine; rerun with \`pnpm repro\`.`,
    '',
    `## Paper reproductions (${record.summary.reproduced} of ${record.summary.total} reproduced, ${record.summary.notReproduced} not reproduced, ${record.summary.inconclusive} inconclusive, ${record.summary.errored} errored; ${record.totalSeconds} s in total)`,
    '',
    '| Experiment | Verdict | Measured | Threshold | Time |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const e of record.experiments)
    lines.push(
      `| [\`${e.id}\`](${experimentLink(e.id)}) | ${e.verdict} | ${escapeCell(e.measured)} | ${escapeCell(e.threshold)} | ${e.seconds} s |`,
    );
  lines.push(
    '',
    '## Bundle sizes',
    '',
    `esbuild \`--bundle --minify\` (ESM, browser) of one named import, measured ${(record.bundlesMeasuredAt ?? record.measuredAt).slice(0, 10)} on the same machine and checked against the budget by \`scripts/bundle-budget.test.ts\`:`,
    '',
    '| Import | Minified | Budget |',
    '| --- | --- | --- |',
    ...record.bundles.map(
      (b) =>
        `| \`import ${b.import}\` | ${(b.bytes / 1024).toFixed(1)} KB | ${(b.limit / 1024).toFixed(0)} KB |`,
    ),
    '',
  );
  return `${lines.join('\n')}`;
}

function write(path, content) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

export async function generate() {
  const { packages, describeOptions } = await collect();
  const papers = JSON.parse(readFileSync(join(docsRoot, 'data/papers.json'), 'utf8'));
  rmSync(out, { recursive: true, force: true });
  const experimentsByMethod = new Map();
  for (const pkg of packages)
    for (const e of pkg.experiments)
      for (const id of e.methods ?? [])
        experimentsByMethod.set(id, [...(experimentsByMethod.get(id) ?? []), e]);

  const sidebarMethods = [];
  const sidebarExperiments = [];
  const methodIndex = [
    '# Methods',
    '',
    'Every registered method plugin, generated from its metadata and option schema.',
    '',
    '| Id | Method | Package |',
    '| --- | --- | --- |',
  ];
  const experimentIndex = [
    '# Reproductions',
    '',
    'Every registered paper reproduction. Each page runs the experiment live in your browser.',
    '',
    '| Id | Claim |',
    '| --- | --- |',
  ];
  for (const pkg of packages) {
    write(join(out, 'areas', `${pkg.folder}.md`), areaPage(pkg));
    const methodItems = [];
    for (const plugin of pkg.plugins) {
      write(
        join(out, 'methods', `${plugin.meta.id}.md`),
        methodPage(pkg, plugin, describeOptions, experimentsByMethod),
      );
      methodIndex.push(
        `| [\`${plugin.meta.id}\`](${methodLink(plugin.meta.id)}) | ${escapeCell(plugin.meta.title)} | ${pkg.name} |`,
      );
      methodItems.push({ text: plugin.meta.id, link: methodLink(plugin.meta.id) });
    }
    if (methodItems.length) sidebarMethods.push({ text: pkg.name, collapsed: true, items: methodItems });
    const experimentItems = [];
    for (const experiment of pkg.experiments) {
      write(join(out, 'experiments', `${experiment.id}.md`), experimentPage(pkg, experiment));
      experimentIndex.push(
        `| [\`${experiment.id}\`](${experimentLink(experiment.id)}) | ${escapeCell(experiment.claim)} |`,
      );
      experimentItems.push({ text: experiment.id, link: experimentLink(experiment.id) });
    }
    if (experimentItems.length)
      sidebarExperiments.push({ text: pkg.name, collapsed: true, items: experimentItems });
  }
  write(join(out, 'methods', 'index.md'), `${methodIndex.join('\n')}\n`);
  write(join(out, 'experiments', 'index.md'), `${experimentIndex.join('\n')}\n`);
  const { markdown } = papersPage(packages, papers);
  write(join(out, 'papers.md'), markdown);
  const resultsPath = join(docsRoot, 'data/results.json');
  write(
    join(out, 'results.md'),
    resultsPage(existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : undefined),
  );

  // Static imports of every package's experiments, for the browser worker.
  const imports = [];
  const spreads = [];
  for (const pkg of packages) {
    for (const key of pkg.experimentExports) {
      imports.push(`import { ${key} } from '${pkg.name}/experiments';`);
      spreads.push(`...${key}`);
    }
  }
  write(
    join(out, 'experiments-registry.ts'),
    `// Generated by scripts/generate.mjs: every documented package's experiments, for the Web Worker.\n${imports.join('\n')}\n\nexport const experiments = [${spreads.join(', ')}];\n`,
  );
  const sidebar = {
    packages: packages.map((p) => ({ text: p.name, link: `/areas/${p.folder}` })),
    methods: sidebarMethods,
    experiments: sidebarExperiments,
  };
  const planned = [
    'core',
    'linsolve',
    'ot',
    'diffusion',
    'stochastic',
    'bilevel',
    'nn',
    'learn',
    'constrained',
    'trace',
  ];
  const table = ['| Package | What it holds | Methods | Reproductions |', '| --- | --- | --- | --- |'];
  for (const folder of planned) {
    const pkg = packages.find((p) => p.folder === folder);
    table.push(
      pkg
        ? `| [\`${pkg.name}\`](/areas/${folder}) | ${escapeCell(pkg.description)} | ${pkg.plugins.length} | ${pkg.experiments.length} |`
        : `| \`@argmin/${folder}\` | planned | — | — |`,
    );
  }
  write(join(out, 'partials', 'packages-table.md'), `${table.join('\n')}\n`);
  write(join(out, 'sidebar.json'), `${JSON.stringify(sidebar, null, 2)}\n`);
  const summary = {
    methods: packages.flatMap((p) => p.plugins.map((x) => x.meta.id)),
    experiments: packages.flatMap((p) => p.experiments.map((x) => x.id)),
    packages: packages.map((p) => p.name),
  };
  write(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const summary = await generate();
  console.log(
    `docs: generated ${summary.methods.length} method pages, ${summary.experiments.length} experiment pages for ${summary.packages.length} packages`,
  );
}

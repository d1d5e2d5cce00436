// Generates the docs pages that must stay in sync with the code: one page per registered method
// plugin (options table from its strict schema), one page per experiment (runs live in a Web
// Worker), one page per area package, the Papers page and the sidebar. Output goes to generated/
// (git-ignored) and is served at the site root through VitePress rewrites.
// Usage (from apps/docs): node scripts/generate.mjs
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
const slug = (id) => id.split('/')[1];
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

/** Example file for a plugin: plugin.example, else examples/*.ts whose name contains the method name. */
function exampleFor(pkg, plugin) {
  const folder = join(repoRoot, 'packages', pkg.folder, 'examples');
  if (plugin.example) {
    const path = join(repoRoot, 'packages', pkg.folder, plugin.example);
    if (existsSync(path)) return { path, code: readFileSync(path, 'utf8') };
  }
  if (!existsSync(folder)) return undefined;
  const name = slug(plugin.meta.id);
  const file = readdirSync(folder)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .find((f) => f.replace(/\.ts$/, '').includes(name));
  return file ? { path: join(folder, file), code: readFileSync(join(folder, file), 'utf8') } : undefined;
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
  lines.push('## Paper', '');
  if (meta.references.length === 0) lines.push('A classical method (no paper of the project list).', '');
  for (const reference of meta.references) lines.push(`- ${referenceLine(reference)}`);
  lines.push('', '## Options', '');
  if (rows.length === 0) {
    lines.push('This method has no options.', '');
  } else {
    lines.push(
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
  lines.push('## Needs', '');
  lines.push(
    meta.needs?.length
      ? `Oracle capabilities: ${meta.needs.map((n) => `\`${n}\``).join(', ')}.`
      : 'No oracle capabilities (the problem is passed directly).',
    '',
  );
  lines.push(
    '## Usage',
    '',
    '```ts',
    `import { createRegistry } from '@argmin/core';`,
    `import { ${pkg.folder}Plugins } from '${pkg.name}/plugins';`,
    '',
    `const registry = createRegistry([...${pkg.folder}Plugins]);`,
    `const method = registry.create('${meta.id}', {});`,
    '```',
    '',
  );
  const example = exampleFor(pkg, plugin);
  if (example)
    lines.push(
      '## Example',
      '',
      `From \`packages/${pkg.folder}/examples/${example.path.split('/').pop()}\` (run by the test suite):`,
      '',
      '```ts',
      example.code.trimEnd(),
      '```',
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

function papersPage(packages, papers) {
  const plugins = packages.flatMap((p) => p.plugins);
  const experiments = packages.flatMap((p) => p.experiments);
  const matches = (paperTitle, reference) => {
    const a = normalize(paperTitle);
    const b = normalize(reference.title ?? '');
    return b.length > 0 && (a === b || a.startsWith(b) || b.startsWith(a) || a.includes(b.slice(0, 40)));
  };
  const rows = papers.map((paper) => {
    // `aliases`: the paper's published title when the project list spells it differently
    const titles = [paper.title, ...(paper.aliases ?? [])];
    const methods = plugins.filter((p) => p.meta.references.some((r) => titles.some((t) => matches(t, r))));
    const reproductions = experiments.filter((e) => titles.some((t) => matches(t, e.paper)));
    const status = reproductions.length ? 'experiment' : methods.length ? 'implemented' : 'not yet';
    return { paper, methods, reproductions, status };
  });
  const counts = { experiment: 0, implemented: 0, 'not yet': 0 };
  for (const r of rows) counts[r.status]++;
  const lines = [
    '# Papers',
    '',
    `The ${papers.length} papers argmin implements, with their method pages and reproductions. Status: **${counts.experiment}** with an experiment (a registered reproduction re-checks the claim; run it to see whether the claim reproduces — the verdict is computed from the run, not stated here), **${counts.implemented}** implemented, **${counts['not yet']}** not yet.`,
    '',
    '| Paper | Area | Methods | Reproduction | Status |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const { paper, methods, reproductions, status } of rows) {
    lines.push(
      `| ${escapeCell(paper.title)} | ${paper.area} | ${methods.map((m) => `[\`${m.meta.id}\`](${methodLink(m.meta.id)})`).join(', ') || '—'} | ${reproductions.map((e) => `[\`${e.id}\`](${experimentLink(e.id)})`).join(', ') || '—'} | <span class="status status-${status.replace(' ', '-')}">${status}</span> |`,
    );
  }
  return { markdown: `${lines.join('\n')}\n`, rows };
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

  // Static imports of every package's experiments, for the browser worker.
  const imports = [];
  const spreads = [];
  for (const pkg of packages) {
    for (const key of pkg.experimentExports) {
      imports.push(`import { ${key} } from '${pkg.name}';`);
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

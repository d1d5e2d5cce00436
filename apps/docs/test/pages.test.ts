import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM script without types
import { collect, generate } from '../scripts/generate.mjs';

const docsRoot = resolve(__dirname, '..');
let summary: { methods: string[]; experiments: string[]; packages: string[] };
let collected: {
  packages: { name: string; plugins: { meta: { id: string } }[]; experiments: { id: string }[] }[];
};

beforeAll(async () => {
  summary = await generate();
  collected = await collect();
}, 120_000);

describe('generated docs pages', () => {
  it('has a method page for every registered plugin id of every documented package', () => {
    const ids = collected.packages.flatMap((p) => p.plugins.map((plugin) => plugin.meta.id));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids)
      expect(existsSync(join(docsRoot, 'generated/methods', `${id}.md`)), `missing page for ${id}`).toBe(
        true,
      );
    expect(new Set(summary.methods)).toEqual(new Set(ids));
  });

  it('has an experiment page with a runner for every registered experiment', () => {
    const ids = collected.packages.flatMap((p) => p.experiments.map((e) => e.id));
    for (const id of ids) {
      const page = readFileSync(join(docsRoot, 'generated/experiments', `${id}.md`), 'utf8');
      expect(page).toContain(`<ExperimentRunner experiment-id="${id}"`);
    }
  });

  it('lists all papers of the project list on the Papers page with a status each', () => {
    const papers = JSON.parse(readFileSync(join(docsRoot, 'data/papers.json'), 'utf8')) as {
      title: string;
    }[];
    const page = readFileSync(join(docsRoot, 'generated/papers.md'), 'utf8');
    expect(papers).toHaveLength(43);
    for (const paper of papers)
      expect(page).toContain(paper.title.replace(/\|/g, '\\|').replace(/</g, '&lt;'));
    const statuses = page.match(/class="status status-[a-z-]+"/g) ?? [];
    expect(statuses).toHaveLength(43);
  });

  it('sorts the Papers page by status and links every title to arXiv', () => {
    const page = readFileSync(join(docsRoot, 'generated/papers.md'), 'utf8');
    const statuses = (page.match(/class="status status-([a-z-]+)"/g) ?? []).map((m) => m.slice(21, -1));
    const order = ['experiment', 'implemented', 'not-yet'];
    const ranks = statuses.map((status) => order.indexOf(status));
    expect(ranks.every((rank) => rank >= 0)).toBe(true);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const rows = page.split('\n').filter((line) => line.startsWith('| ['));
    expect(rows).toHaveLength(43);
    for (const row of rows)
      expect(row).toMatch(/^\| \[[^\]]+\]\(https:\/\/arxiv\.org\/(abs\/\d{4}\.\d{4,5}|search\/\?query=)/);
    // the ids recorded for implemented papers come with an abstract link
    expect(
      rows.filter((row) => row.includes('status-experiment')).every((row) => row.includes('arxiv.org/abs/')),
    ).toBe(true);
  });

  it('maps papers to every method and experiment that implements them (PNDM, schedule refinement)', () => {
    const page = readFileSync(join(docsRoot, 'generated/papers.md'), 'utf8');
    const row = (title: string) => page.split('\n').find((line) => line.includes(title)) ?? '';
    expect(row('Pseudo Numerical Methods for Diffusion Models')).toContain(
      '/experiments/diffusion/few-step-samplers',
    );
    expect(row('Pseudo Numerical Methods for Diffusion Models')).toContain('/methods/diffusion/pndm');
    expect(row('Adaptive Learning Rate Scheduling by Refinement')).toContain(
      '[`refinedSchedule`](/api/stochastic/functions/refinedSchedule)',
    );
    expect(row('Adaptive Learning Rate Scheduling by Refinement')).toContain(
      '/experiments/stochastic/schedule-refinement',
    );
  });

  it('maps papers only to functions the package root exports (their API pages exist)', async () => {
    const papers = JSON.parse(readFileSync(join(docsRoot, 'data/papers.json'), 'utf8')) as {
      functions?: Record<string, string[]>;
    }[];
    const listed = papers.flatMap((paper) =>
      Object.entries(paper.functions ?? {}).flatMap(([folder, names]) =>
        names.map((name) => ({ folder, name })),
      ),
    );
    expect(listed.length).toBeGreaterThan(0);
    for (const { folder, name } of listed) {
      const module = (await import(`@argmin/${folder}`)) as Record<string, unknown>;
      expect(typeof module[name], `@argmin/${folder} exports ${name}`).toBe('function');
    }
  });

  it('shows on every method page a runnable example, the options table and a registry call that validates', async () => {
    // @ts-expect-error: plain ESM script without types
    const { registryOptionsFor } = await import('../scripts/generate.mjs');
    const { createRegistry, describeOptions } = await import('@argmin/core');
    for (const pkg of collected.packages) {
      for (const plugin of pkg.plugins) {
        const id = plugin.meta.id;
        const page = readFileSync(join(docsRoot, 'generated/methods', `${id}.md`), 'utf8');
        const example = readFileSync(join(docsRoot, 'examples', `${id}.ts`), 'utf8');
        expect(page, id).toContain(example.trimEnd());
        const rows = describeOptions((plugin as unknown as { options: never }).options);
        if (rows.length) expect(page, id).toContain('<div class="options-table">');
        for (const row of rows) expect(page, `${id}: ${row.name}`).toContain(`| \`${row.name}\``);
        const options = registryOptionsFor(plugin, describeOptions);
        expect(page, id).toContain(`registry.create('${id}'`);
        const registry = createRegistry(pkg.plugins as never);
        expect(() => registry.create(id as never, options as never), id).not.toThrow();
      }
    }
  });

  it('puts every experiment of every package into the browser worker registry', () => {
    const registry = readFileSync(join(docsRoot, 'generated/experiments-registry.ts'), 'utf8');
    for (const pkg of collected.packages)
      if (pkg.experiments.length) expect(registry).toContain(`from '${pkg.name}/experiments'`);
  });
});

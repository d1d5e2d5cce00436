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

  it('puts every experiment of every package into the browser worker registry', () => {
    const registry = readFileSync(join(docsRoot, 'generated/experiments-registry.ts'), 'utf8');
    for (const pkg of collected.packages)
      if (pkg.experiments.length) expect(registry).toContain(`from '${pkg.name}'`);
  });
});

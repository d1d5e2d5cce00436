import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover, entryFiles } from './discover';

const cliRoot = resolve(__dirname, '..');
const packages = resolve(cliRoot, '..');

/**
 * An npm-style install outside the repository: <tmp>/node_modules/@argmin/cli is a copy of the built
 * CLI (so that nothing resolves back into the workspace from its location), the @argmin packages and
 * the CLI's dependencies are links, and a third-party plugin package registers through the
 * documented "argmin" field of its package.json.
 */
function installOutsideRepository(): string {
  const root = mkdtempSync(join(tmpdir(), 'argmin-install-'));
  const modules = join(root, 'node_modules');
  mkdirSync(join(modules, '@argmin', 'cli'), { recursive: true });
  cpSync(join(cliRoot, 'dist'), join(modules, '@argmin', 'cli', 'dist'), { recursive: true });
  cpSync(join(cliRoot, 'package.json'), join(modules, '@argmin', 'cli', 'package.json'));
  for (const name of ['core', 'ot']) symlinkSync(join(packages, name), join(modules, '@argmin', name), 'dir');
  for (const dependency of ['commander', 'cli-progress', 'uplot'])
    symlinkSync(realpathSync(join(cliRoot, 'node_modules', dependency)), join(modules, dependency), 'dir');
  const plugin = join(modules, 'my-argmin-plugin');
  mkdirSync(plugin);
  writeFileSync(
    join(plugin, 'package.json'),
    JSON.stringify({
      name: 'my-argmin-plugin',
      version: '1.2.3',
      type: 'module',
      argmin: { modules: ['./plugins.js'] },
    }),
  );
  writeFileSync(
    join(plugin, 'plugins.js'),
    `import { defineProblem, defineExperiment, verdictFrom } from '@argmin/core';
import { coreProblems } from '@argmin/core/plugins';
const rosenbrock = coreProblems.find((p) => p.meta.id === 'core/rosenbrock');
export const mineProblems = [defineProblem({ meta: { id: 'mine/rosenbrock-copy', title: 'A copy', provides: ['value', 'grad'] }, options: rosenbrock.options, create: rosenbrock.create })];
export const mineExperiments = [defineExperiment({ id: 'mine/claim', title: 'Mine', paper: { title: 'My paper' }, claim: '1 >= 0', run: () => ({ rows: [], series: [], verdict: verdictFrom({ value: 1, holds: true, measured: '1', threshold: '0' }) }) })];
`,
  );
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ name: 'user-project', private: true, dependencies: { 'my-argmin-plugin': '1.2.3' } }),
  );
  writeFileSync(
    join(root, 'pipeline.yaml'),
    'problem: { id: mine/rosenbrock-copy, options: { dimension: 3 } }\nstages:\n  - { method: core/lbfgs, stopWhen: { metricBelow: { gradNorm: 1.0e-8 } } }\n  - { method: ot/sinkhorn, options: { regularization: 0.1 }, from: x0 }\n',
  );
  return root;
}

describe('discovery wherever the packages are installed (issue 14)', () => {
  const root = installOutsideRepository();
  const cli = join(root, 'node_modules', '@argmin', 'cli', 'dist', 'bin.js');
  const argmin = (args: string[]) =>
    spawnSync(process.execPath, [cli, ...args], {
      cwd: root,
      encoding: 'utf8',
      // package-manager shims set NODE_PATH to the workspace's store; a user's shell does not
      env: { ...process.env, INIT_CWD: root, NODE_PATH: '' },
    });

  it('finds @argmin packages through node_modules and a plugin package through its "argmin" field', () => {
    const result = argmin(['list', '--json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const listed = JSON.parse(result.stdout);
    expect(listed.packages.map((p: { name: string }) => p.name)).toEqual([
      '@argmin/core',
      '@argmin/ot',
      'my-argmin-plugin',
    ]);
    expect(listed.methods.map((m: { id: string }) => m.id)).toEqual(
      expect.arrayContaining(['core/lbfgs', 'ot/sinkhorn']),
    );
    expect(listed.problems.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining(['core/rosenbrock', 'ot/point-clouds', 'mine/rosenbrock-copy']),
    );
    expect(listed.experiments.map((e: { id: string }) => e.id)).toContain('mine/claim');
    // the linsolve package is not installed here, so none of its methods are listed
    expect(listed.methods.some((m: { id: string }) => m.id.startsWith('linsolve/'))).toBe(false);
  });
  it('validates a pipeline against what is installed: the OT solver is refused on the plugin problem, by kind', () => {
    const result = argmin(['run', 'pipeline.yaml']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'ot/sinkhorn takes an ot-problem, but problem mine/rosenbrock-copy gives an oracle',
    );
  });
  it('loads a package by name with --module', async () => {
    const discovery = await discover({ cwd: root, modules: ['my-argmin-plugin'], workspace: false });
    expect(discovery.problems.map((p) => p.meta.id)).toContain('mine/rosenbrock-copy');
  });
  it('prints the CLI version from its manifest', () => {
    expect(argmin(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('a global install (npm i -g): dependencies nested under the CLI, other packages beside it', () => {
  it('finds the nested @argmin/core and a sibling global @argmin/ot from an unrelated working directory', () => {
    const prefix = mkdtempSync(join(tmpdir(), 'argmin-global-'));
    const globalModules = join(prefix, 'lib', 'node_modules');
    const cliHome = join(globalModules, '@argmin', 'cli');
    mkdirSync(join(cliHome, 'node_modules', '@argmin'), { recursive: true });
    cpSync(join(cliRoot, 'dist'), join(cliHome, 'dist'), { recursive: true });
    cpSync(join(cliRoot, 'package.json'), join(cliHome, 'package.json'));
    symlinkSync(join(packages, 'core'), join(cliHome, 'node_modules', '@argmin', 'core'), 'dir');
    for (const dependency of ['commander', 'cli-progress', 'uplot'])
      symlinkSync(
        realpathSync(join(cliRoot, 'node_modules', dependency)),
        join(cliHome, 'node_modules', dependency),
        'dir',
      );
    symlinkSync(join(packages, 'ot'), join(globalModules, '@argmin', 'ot'), 'dir');
    const elsewhere = mkdtempSync(join(tmpdir(), 'argmin-cwd-'));
    const result = spawnSync(process.execPath, [join(cliHome, 'dist', 'bin.js'), 'list', '--json'], {
      cwd: elsewhere,
      encoding: 'utf8',
      env: { ...process.env, INIT_CWD: elsewhere, NODE_PATH: '' },
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).packages.map((p: { name: string }) => p.name)).toEqual([
      '@argmin/core',
      '@argmin/ot',
    ]);
  });
});

describe('entry files', () => {
  it('root entry plus the plugin subpaths an exports map lists, ES module first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'argmin-entries-'));
    for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/plugins.js', 'dist/experiments.js'])
      mkdirSync(dirname(join(dir, file)), { recursive: true }), writeFileSync(join(dir, file), '');
    const files = entryFiles(dir, {
      name: '@argmin/x',
      exports: {
        '.': {
          import: { types: './dist/index.d.ts', default: './dist/index.js' },
          require: './dist/index.cjs',
        },
        './plugins': { import: './dist/plugins.js' },
        './experiments': './dist/experiments.js',
        './package.json': './package.json',
      },
    });
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'dist/index.js',
      'dist/plugins.js',
      'dist/experiments.js',
    ]);
  });
});

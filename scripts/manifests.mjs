#!/usr/bin/env node
// Checks (default) or fixes (--fix) the publishing fields of every public package manifest:
// license, repository (with directory), homepage, bugs, keywords, engines, files (incl. LICENSE),
// caret ranges for runtime dependencies, exact pins for devDependencies, and a LICENSE file next to
// the manifest (a copy of the root LICENSE, so it ends up in every tarball).
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fix = process.argv.includes('--fix');
export const REPOSITORY = 'https://github.com/argmin-ts/argmin';
const AREA_KEYWORDS = {
  core: ['optimization', 'linear-algebra', 'l-bfgs', 'registry'],
  ot: ['optimal-transport', 'sinkhorn', 'wasserstein', 'earth-movers-distance'],
  linsolve: ['linear-systems', 'krylov', 'conjugate-gradient', 'gmres', 'preconditioner'],
  diffusion: ['diffusion-models', 'sampler', 'ddim', 'dpm-solver', 'noise-schedule'],
  stochastic: ['stochastic-optimization', 'adam', 'sgd', 'learning-rate-schedule', 'second-order'],
  nn: ['neural-network', 'backpropagation', 'hessian-vector-product', 'mlp'],
  bilevel: ['bilevel-optimization', 'hypergradient', 'implicit-differentiation', 'penalty-method'],
  cli: ['cli', 'benchmark', 'reproducibility'],
  runner: ['task-queue', 'worker-threads', 'bullmq', 'parameter-sweep'],
};

const problems = [];
for (const folder of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', folder);
  const file = join(dir, 'package.json');
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  const pkg = JSON.parse(text);
  if (pkg.private) continue;
  const want = {
    license: 'MIT',
    repository: { type: 'git', url: `git+${REPOSITORY}.git`, directory: relative(root, dir) },
    homepage: `${REPOSITORY}/tree/main/${relative(root, dir)}#readme`,
    bugs: { url: `${REPOSITORY}/issues` },
    keywords: ['argmin', ...(AREA_KEYWORDS[folder] ?? []), 'typescript', 'numerical-methods'],
    engines: { node: '>=20' },
  };
  for (const [key, value] of Object.entries(want)) {
    if (JSON.stringify(pkg[key]) !== JSON.stringify(value)) {
      problems.push(`${pkg.name}: ${key} should be ${JSON.stringify(value)}`);
      pkg[key] = value;
    }
  }
  if (!pkg.files?.includes('LICENSE')) {
    problems.push(`${pkg.name}: files must include LICENSE`);
    pkg.files = [...(pkg.files ?? ['dist']), 'LICENSE'];
  }
  for (const [name, range] of Object.entries(pkg.dependencies ?? {})) {
    if (range.startsWith('workspace:')) continue;
    if (!/^\^\d/.test(range)) {
      problems.push(`${pkg.name}: dependency ${name}@${range} should be a caret range`);
      pkg.dependencies[name] = `^${range.replace(/^[~^=]/, '')}`;
    }
  }
  for (const [name, range] of Object.entries(pkg.peerDependencies ?? {})) {
    if (!/^[\^>]/.test(range)) problems.push(`${pkg.name}: peer ${name}@${range} should be a range`);
    if (!pkg.peerDependenciesMeta?.[name]?.optional)
      problems.push(`${pkg.name}: peer ${name} should be optional`);
  }
  for (const [name, range] of Object.entries(pkg.devDependencies ?? {})) {
    if (!/^\d/.test(range) && !range.startsWith('workspace:'))
      problems.push(`${pkg.name}: devDependency ${name}@${range} must be an exact pin`);
  }
  if (
    !existsSync(join(dir, 'LICENSE')) ||
    readFileSync(join(dir, 'LICENSE'), 'utf8') !== readFileSync(join(root, 'LICENSE'), 'utf8')
  ) {
    problems.push(`${pkg.name}: LICENSE missing or different from the root LICENSE`);
    if (fix) copyFileSync(join(root, 'LICENSE'), join(dir, 'LICENSE'));
  }
  if (fix) writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}
if (problems.length === 0) console.log('manifests: ok');
else if (fix) console.log(`manifests: fixed ${problems.length} field(s)`);
else {
  console.error(problems.join('\n'));
  process.exit(1);
}

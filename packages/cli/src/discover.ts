import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type {
  AnyMethodPlugin,
  AnyMetricPlugin,
  AnyProblemPlugin,
  Experiment,
  StageBinding,
} from '@argmin/core';

/** What one installed package (or --module file) contributes. */
export interface DiscoveredPackage {
  readonly name: string;
  readonly version: string;
  readonly directory: string;
  readonly plugins: AnyMethodPlugin[];
  readonly experiments: Experiment[];
  readonly problems: AnyProblemPlugin[];
  readonly metrics: AnyMetricPlugin[];
  readonly stages: StageBinding[];
}

export interface Discovery {
  readonly packages: DiscoveredPackage[];
  readonly plugins: AnyMethodPlugin[];
  readonly experiments: Experiment[];
  readonly problems: AnyProblemPlugin[];
  readonly metrics: AnyMetricPlugin[];
  readonly stages: StageBinding[];
  /** Packages that could not be loaded, with the reason (shown under --verbose). */
  readonly skipped: { name: string; reason: string }[];
}

/** A module given with --module could not be imported. */
export class ModuleLoadError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`cannot load module ${path}: ${reason}`);
    this.name = 'ModuleLoadError';
  }
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The `@argmin/*` packages the CLI looks for by name (besides every `@argmin/*` folder it finds in a
 * node_modules on the way up from the working directory and from its own location).
 */
export const KNOWN_PACKAGES = [
  '@argmin/core',
  '@argmin/ot',
  '@argmin/linsolve',
  '@argmin/diffusion',
  '@argmin/stochastic',
  '@argmin/nn',
  '@argmin/bilevel',
  '@argmin/learn',
  '@argmin/constrained',
  '@argmin/trace',
] as const;

/**
 * Subpath exports that hold plugins, problems, metrics and experiments, loaded (besides the root
 * entry) when a package's `exports` map lists them.
 */
export const PLUGIN_SUBPATHS = ['./plugins', './experiments', './problems'] as const;

interface Manifest {
  name?: string;
  version?: string;
  exports?: unknown;
  module?: string;
  main?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  /**
   * The plugin field: `"argmin": true` (load the package's root entry) or
   * `"argmin": { "modules": ["./dist/plugins.js", "./plugins"] }` (files relative to the package, or
   * subpaths of its exports map).
   */
  argmin?: boolean | { modules?: string[] };
}

function readManifest(directory: string): Manifest | undefined {
  const path = join(directory, 'package.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** The monorepo root above `start` (the folder with pnpm-workspace.yaml), if any. */
export function findWorkspaceRoot(start: string = here): string | undefined {
  let current = resolve(start);
  for (;;) {
    if (existsSync(join(current, 'pnpm-workspace.yaml'))) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** The nearest package.json folder at or above `start`. */
function findProjectRoot(start: string): string | undefined {
  let current = resolve(start);
  for (;;) {
    if (existsSync(join(current, 'package.json'))) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** Resolves `<name>/package.json` from `base` through Node's resolution; the package folder, or undefined. */
function resolvePackageDirectory(name: string, base: string): string | undefined {
  const require = createRequire(join(base, '__argmin_resolve__.js'));
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    // packages whose exports map hides package.json: resolve the entry and walk up to the manifest
  }
  try {
    let current = dirname(require.resolve(name));
    for (;;) {
      const manifest = readManifest(current);
      if (manifest?.name === name) return current;
      const parent = dirname(current);
      if (parent === current) return undefined;
      current = parent;
    }
  } catch {
    return undefined;
  }
}

/** The `@argmin/*` folders of every node_modules at or above `start`. */
function scopeFolders(start: string): string[] {
  const folders: string[] = [];
  let current = resolve(start);
  for (;;) {
    const scope = join(current, 'node_modules', '@argmin');
    if (existsSync(scope)) for (const name of readdirSync(scope)) folders.push(join(scope, name));
    const parent = dirname(current);
    if (parent === current) return folders;
    current = parent;
  }
}

/** Picks the ES-module target of an exports-map entry (conditions: import, module, default, node, require). */
function pickExport(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) {
    for (const item of entry) {
      const target = pickExport(item);
      if (target) return target;
    }
    return undefined;
  }
  if (entry && typeof entry === 'object') {
    const map = entry as Record<string, unknown>;
    for (const condition of ['import', 'module', 'default', 'node', 'require']) {
      if (condition in map) {
        const target = pickExport(map[condition]);
        if (target && !target.endsWith('.d.ts') && !target.endsWith('.d.cts')) return target;
      }
    }
  }
  return undefined;
}

/** Files to import for a package: its `argmin.modules`, else its root entry plus plugin subpaths it exports. */
export function entryFiles(directory: string, manifest: Manifest): string[] {
  const exportsMap =
    manifest.exports && typeof manifest.exports === 'object' && !Array.isArray(manifest.exports)
      ? (manifest.exports as Record<string, unknown>)
      : undefined;
  const hasSubpaths = exportsMap !== undefined && Object.keys(exportsMap).some((k) => k.startsWith('.'));
  const subpath = (path: string): string | undefined => {
    if (hasSubpaths) {
      const target = pickExport((exportsMap as Record<string, unknown>)[path]);
      return target ? join(directory, target) : undefined;
    }
    if (path === '.') {
      const target = pickExport(manifest.exports) ?? manifest.module ?? manifest.main ?? 'index.js';
      return join(directory, target);
    }
    return undefined;
  };
  const declared = typeof manifest.argmin === 'object' ? manifest.argmin.modules : undefined;
  const wanted = declared ?? ['.', ...PLUGIN_SUBPATHS];
  const files: string[] = [];
  for (const item of wanted) {
    const file =
      item === '.' || item.startsWith('./')
        ? (subpath(item) ?? (declared ? join(directory, item) : undefined))
        : join(directory, item);
    if (file && existsSync(file) && !files.includes(file)) files.push(file);
  }
  return files;
}

function collect(module: Record<string, unknown>) {
  const plugins: AnyMethodPlugin[] = [];
  const experiments: Experiment[] = [];
  const problems: AnyProblemPlugin[] = [];
  const metrics: AnyMetricPlugin[] = [];
  const stages: StageBinding[] = [];
  for (const [key, value] of Object.entries(module)) {
    if (!Array.isArray(value)) continue;
    if (key.endsWith('Plugins'))
      plugins.push(...value.filter((p) => p?.meta?.id && p.options && typeof p.create === 'function'));
    else if (key.endsWith('Experiments'))
      experiments.push(...value.filter((e) => e?.id && typeof e.run === 'function'));
    else if (key.endsWith('Problems'))
      problems.push(...value.filter((p) => p?.meta?.id && typeof p.create === 'function'));
    else if (key.endsWith('Metrics'))
      metrics.push(...value.filter((p) => p?.meta?.id && typeof p.compute === 'function'));
    else if (key.endsWith('Stages'))
      stages.push(...value.filter((s) => typeof s?.method === 'string' && typeof s.takes === 'string'));
  }
  return { plugins, experiments, problems, metrics, stages };
}

export interface DiscoverOptions {
  /**
   * Extra ES modules (file paths, or package names resolved from `cwd`) to load besides the installed
   * packages, e.g. your own experiments (`argmin --module ./my-experiments.mjs repro`). Unlike
   * installed packages, a module that fails to load is an error, not a skip.
   */
  readonly modules?: readonly string[];
  /** The user's working directory: packages are resolved from here first (default process.cwd()). */
  readonly cwd?: string;
  /** Also look in the argmin repository around the CLI (default true). */
  readonly workspace?: boolean;
}

/**
 * Finds packages wherever they are installed (npm, pnpm, yarn; local or global), through Node's own
 * resolution from the working directory and from the CLI's location:
 * 1. every `@argmin/*` package in KNOWN_PACKAGES or in a node_modules/@argmin folder on the way up;
 * 2. every dependency of the working directory's package.json whose manifest has an `"argmin"`
 *    field (third-party plugin packages);
 * 3. inside the argmin repository, its packages/*;
 * 4. `--module` files or package names.
 * From each it imports the root entry (and `./plugins`, `./experiments`, `./problems` when exported,
 * or the files listed in `argmin.modules`) and collects exports named `*Plugins`, `*Experiments`,
 * `*Problems`, `*Metrics` and `*Stages`. A package that fails to load is skipped, with its reason.
 */
export async function discover(options: DiscoverOptions = {}): Promise<Discovery> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const cliRoot = resolve(here, '..');
  const bases = [cwd, cliRoot];
  const candidates: string[] = [];
  for (const base of bases) {
    for (const name of KNOWN_PACKAGES) {
      const directory = resolvePackageDirectory(name, base);
      if (directory) candidates.push(directory);
    }
    candidates.push(...scopeFolders(base));
  }
  const project = findProjectRoot(cwd);
  const projectManifest = project ? readManifest(project) : undefined;
  if (project && projectManifest) {
    for (const name of Object.keys({
      ...projectManifest.dependencies,
      ...projectManifest.devDependencies,
      ...projectManifest.optionalDependencies,
    })) {
      const directory = resolvePackageDirectory(name, project);
      if (directory && readManifest(directory)?.argmin) candidates.push(directory);
    }
    if (projectManifest.argmin) candidates.push(project);
  }
  if (options.workspace !== false) {
    const root = findWorkspaceRoot(cliRoot);
    if (root && existsSync(join(root, 'packages')))
      for (const name of readdirSync(join(root, 'packages'))) candidates.push(join(root, 'packages', name));
  }

  const packages: DiscoveredPackage[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const names = new Set<string>();
  const seen = new Set<string>();
  for (const folder of candidates) {
    let directory: string;
    try {
      directory = realpathSync(folder);
    } catch {
      continue;
    }
    if (seen.has(directory)) continue;
    seen.add(directory);
    const manifest = readManifest(directory);
    const name = manifest?.name;
    if (!manifest || !name || names.has(name)) continue;
    const isArgmin = name.startsWith('@argmin/');
    if (!isArgmin && !manifest.argmin) continue;
    if (name === '@argmin/cli' || name === '@argmin/docs') continue;
    const files = entryFiles(directory, manifest);
    if (files.length === 0) {
      skipped.push({
        name,
        reason: `no built entry in ${directory} (inside the repository: run pnpm build)`,
      });
      continue;
    }
    try {
      const contributions = {
        plugins: [],
        experiments: [],
        problems: [],
        metrics: [],
        stages: [],
      } as ReturnType<typeof collect>;
      for (const file of files) {
        const found = collect((await import(pathToFileURL(file).href)) as Record<string, unknown>);
        for (const key of Object.keys(contributions) as (keyof typeof contributions)[])
          (contributions[key] as unknown[]).push(...found[key]);
      }
      names.add(name);
      packages.push({ name, version: manifest.version ?? '0.0.0', directory, ...contributions });
    } catch (error) {
      skipped.push({ name, reason: (error as Error).message });
    }
  }
  for (const spec of options.modules ?? []) {
    const local = resolve(cwd, spec);
    let target = local;
    if (!existsSync(local)) {
      const directory = resolvePackageDirectory(spec, cwd);
      const manifest = directory ? readManifest(directory) : undefined;
      const files = directory && manifest ? entryFiles(directory, manifest) : [];
      if (!files.length) throw new ModuleLoadError(spec, `no such file, and no installed package "${spec}"`);
      target = files[0];
    }
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(target).href)) as Record<string, unknown>;
    } catch (error) {
      throw new ModuleLoadError(target, (error as Error).message);
    }
    packages.push({ name: target, version: '0.0.0', directory: dirname(target), ...collect(module) });
  }
  packages.sort((a, b) =>
    a.name === '@argmin/core' ? -1 : b.name === '@argmin/core' ? 1 : a.name.localeCompare(b.name),
  );
  const unique = <T>(items: T[], key: (item: T) => string): T[] => {
    const found = new Set<string>();
    return items.filter((item) => (found.has(key(item)) ? false : (found.add(key(item)), true)));
  };
  return {
    packages,
    plugins: unique(
      packages.flatMap((p) => p.plugins),
      (p) => p.meta.id,
    ),
    experiments: unique(
      packages.flatMap((p) => p.experiments),
      (e) => e.id,
    ),
    problems: unique(
      packages.flatMap((p) => p.problems),
      (p) => p.meta.id,
    ),
    metrics: unique(
      packages.flatMap((p) => p.metrics),
      (p) => p.meta.id,
    ),
    stages: unique(
      packages.flatMap((p) => p.stages),
      (s) => s.method,
    ),
    skipped,
  };
}

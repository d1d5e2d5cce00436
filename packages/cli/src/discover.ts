import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AnyMethodPlugin, AnyProblemPlugin, Experiment } from '@argmin/core';

/** What one installed @argmin package contributes. */
export interface DiscoveredPackage {
  readonly name: string;
  readonly version: string;
  readonly directory: string;
  readonly plugins: AnyMethodPlugin[];
  readonly experiments: Experiment[];
  readonly problems: AnyProblemPlugin[];
}

export interface Discovery {
  readonly packages: DiscoveredPackage[];
  readonly plugins: AnyMethodPlugin[];
  readonly experiments: Experiment[];
  readonly problems: AnyProblemPlugin[];
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

function readManifest(
  directory: string,
): { name?: string; version?: string; exports?: unknown; private?: boolean } | undefined {
  const path = join(directory, 'package.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
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

/** Folders of candidate @argmin packages: node_modules/@argmin next to the CLI, then the workspace's packages/*. */
export function candidateDirectories(): string[] {
  const folders: string[] = [];
  const packageRoot = resolve(here, '..');
  for (const base of [
    join(packageRoot, 'node_modules', '@argmin'),
    join(packageRoot, '..', '..', 'node_modules', '@argmin'),
  ]) {
    if (existsSync(base)) for (const name of readdirSync(base)) folders.push(join(base, name));
  }
  const root = findWorkspaceRoot(packageRoot);
  if (root && existsSync(join(root, 'packages'))) {
    for (const name of readdirSync(join(root, 'packages'))) folders.push(join(root, 'packages', name));
  }
  const seen = new Set<string>();
  return folders.filter((folder) => {
    let real: string;
    try {
      real = realpathSync(folder);
    } catch {
      return false;
    }
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
}

function entryOf(directory: string): string | undefined {
  for (const candidate of ['dist/index.js', 'dist/index.mjs']) {
    const path = join(directory, candidate);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Files of the `./plugins` and `./experiments` entries a package's manifest exports (ESM), if built. */
function subpathEntries(directory: string, manifest: { exports?: unknown } | undefined): string[] {
  const exports = (manifest?.exports ?? {}) as Record<string, { import?: { default?: string } | string }>;
  const files: string[] = [];
  for (const key of ['./plugins', './experiments']) {
    const target = exports[key]?.import;
    const file = typeof target === 'string' ? target : target?.default;
    if (file && existsSync(join(directory, file))) files.push(join(directory, file));
  }
  return files;
}

function collect(module: Record<string, unknown>) {
  const plugins: AnyMethodPlugin[] = [];
  const experiments: Experiment[] = [];
  const problems: AnyProblemPlugin[] = [];
  for (const [key, value] of Object.entries(module)) {
    if (!Array.isArray(value)) continue;
    if (key.endsWith('Plugins'))
      plugins.push(...value.filter((p) => p?.meta?.id && p.options && typeof p.create === 'function'));
    else if (key.endsWith('Experiments'))
      experiments.push(...value.filter((e) => e?.id && typeof e.run === 'function'));
    else if (key.endsWith('Problems'))
      problems.push(...value.filter((p) => p?.meta?.id && typeof p.create === 'function'));
  }
  return { plugins, experiments, problems };
}

export interface DiscoverOptions {
  /**
   * Extra ES modules (file paths) to load besides the installed packages, e.g. your own experiments
   * (`argmin --module ./my-experiments.mjs repro`). Unlike installed packages, a module that fails to
   * load is an error, not a skip.
   */
  readonly modules?: readonly string[];
}

/**
 * Loads every installed @argmin package (except the CLI) and collects the exports whose names end in
 * `Plugins`, `Experiments` and `Problems`. A package that fails to load is skipped, with its reason.
 */
export async function discover(options: DiscoverOptions = {}): Promise<Discovery> {
  const packages: DiscoveredPackage[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const names = new Set<string>();
  for (const directory of candidateDirectories()) {
    const manifest = readManifest(directory);
    const name = manifest?.name;
    if (!name?.startsWith('@argmin/') || name === '@argmin/cli' || name === '@argmin/docs' || names.has(name))
      continue;
    const entry = entryOf(directory);
    if (!entry) {
      skipped.push({ name, reason: `not built (no dist/index.js in ${directory}); run pnpm build` });
      continue;
    }
    try {
      const module: Record<string, unknown> = { ...(await import(pathToFileURL(entry).href)) };
      // Plugins and experiments live in the package's ./plugins and ./experiments entries.
      for (const subpath of subpathEntries(directory, manifest))
        Object.assign(module, (await import(pathToFileURL(subpath).href)) as Record<string, unknown>);
      names.add(name);
      packages.push({ name, version: manifest?.version ?? '0.0.0', directory, ...collect(module) });
    } catch (error) {
      skipped.push({ name, reason: (error as Error).message });
    }
  }
  for (const file of options.modules ?? []) {
    const path = resolve(file);
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (error) {
      throw new ModuleLoadError(path, (error as Error).message);
    }
    packages.push({ name: path, version: '0.0.0', directory: dirname(path), ...collect(module) });
  }
  packages.sort((a, b) =>
    a.name === '@argmin/core' ? -1 : b.name === '@argmin/core' ? 1 : a.name.localeCompare(b.name),
  );
  const unique = <T>(items: T[], key: (item: T) => string): T[] => {
    const seen = new Set<string>();
    return items.filter((item) => (seen.has(key(item)) ? false : (seen.add(key(item)), true)));
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
    skipped,
  };
}

// Minified esbuild bundle of one named import from a built @argmin package, with the bytes per
// package (from esbuild's metafile). `node scripts/bundle-size.mjs` prints the budgeted imports.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/** The budgets of issue 14 (minified bytes). */
export const BUDGETS = [
  { name: 'dot', from: '@argmin/core', limit: 8 * 1024 },
  { name: 'sinkhorn', from: '@argmin/ot', limit: 60 * 1024 },
  { name: 'cg', from: '@argmin/linsolve', limit: 60 * 1024 },
];

/** Bundles `import { name } from specifier` (ESM, browser, minified); returns total bytes and bytes per package. */
export async function bundleSize(name, specifier) {
  const result = await build({
    stdin: { contents: `export { ${name} } from '${specifier}';`, resolveDir: here, loader: 'js' },
    bundle: true,
    minify: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0];
  const byPackage = {};
  for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
    const match =
      file.match(/node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/) ??
      file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/) ??
      file.match(/packages\/([^/]+)\//);
    const key = match
      ? match[1].includes('/') || !file.includes('packages/')
        ? match[1]
        : `@argmin/${match[1]}`
      : file;
    byPackage[key] = (byPackage[key] ?? 0) + bytesInOutput;
  }
  return { bytes: result.outputFiles[0].contents.length, byPackage };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const { name, from, limit } of BUDGETS) {
    const { bytes, byPackage } = await bundleSize(name, from);
    const parts = Object.entries(byPackage)
      .sort((a, b) => b[1] - a[1])
      .map(([key, value]) => `${key} ${(value / 1024).toFixed(1)} KB`)
      .join(', ');
    console.log(
      `{ ${name} } from '${from}': ${(bytes / 1024).toFixed(1)} KB (budget ${limit / 1024} KB) — ${parts}`,
    );
  }
}

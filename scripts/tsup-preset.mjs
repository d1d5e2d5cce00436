// Shared tsup configuration of the library packages (used by each packages/*/tsup.config.ts).
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * One output file per source module (ESM and CJS), so that bundlers drop whole modules that an
 * import does not reach (every package is `sideEffects: false`): `import { sinkhorn } from '@argmin/ot'`
 * does not pull in plugins, experiments or their schemas. Relative imports stay imports, rewritten to
 * the emitted file (`./sinkhorn/sinkhorn` -> `./sinkhorn/sinkhorn.js` or `.cjs`); packages stay external.
 */
export const unbundled = {
  name: 'argmin-unbundled',
  setup(build) {
    const extension = build.initialOptions.format === 'cjs' ? '.cjs' : '.js';
    build.onResolve({ filter: /^\.\.?(\/|$)/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const target = resolve(args.resolveDir, args.path);
      if (existsSync(`${target}.ts`)) return { path: `${args.path}${extension}`, external: true };
      if (existsSync(resolve(target, 'index.ts')))
        return { path: `${args.path}/index${extension}`, external: true };
      throw new Error(`argmin-unbundled: cannot resolve ${args.path} from ${dirname(args.importer)}`);
    });
  },
};

/** Library build: every non-test module of src/ as ESM + CJS, bundled declarations for the public entries. */
export function libraryConfig(dtsEntries, extra = {}) {
  return {
    entry: [
      'src/**/*.ts',
      '!src/**/*.test.ts',
      '!src/**/*.test-d.ts',
      '!src/**/*.bench.ts',
      '!src/**/test-helpers.ts',
      '!src/**/__fixtures__/**',
    ],
    format: ['esm', 'cjs'],
    bundle: true,
    esbuildPlugins: [unbundled],
    dts: { entry: dtsEntries },
    clean: true,
    sourcemap: true,
    target: 'es2022',
    ...extra,
  };
}

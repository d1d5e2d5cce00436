import { defineConfig } from 'tsup';

export default defineConfig({
  // registries: the module worker threads and queue workers import to know what they can run.
  entry: { index: 'src/index.ts', bin: 'src/bin.ts', registries: 'src/registries.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
});

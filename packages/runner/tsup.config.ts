import { defineConfig } from 'tsup';

// Node-only package. `worker` is the entry piscina threads and queue worker processes load.
export default defineConfig({
  entry: { index: 'src/index.ts', worker: 'src/worker.ts', 'queue-worker-main': 'src/queue-worker-main.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    setupFiles: ['../../vitest.setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Redis-backed tests share one server started per file; keep files sequential on 2 cores.
    fileParallelism: false,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'examples/**/*.test.ts'],
    benchmark: { include: ['src/**/*.bench.ts'] },
    setupFiles: ['../../vitest.setup.ts'],
    testTimeout: 60_000,
  },
});

import { describe, expect, it } from 'vitest';
import { BUDGETS, bundleSize } from './bundle-size.mjs';

// Issue 14: importing one function bundles only what it needs (esbuild --bundle --minify, ESM, browser).
describe('bundle budgets (minified esbuild bundle of one named import)', () => {
  for (const { name, from, limit } of BUDGETS as { name: string; from: string; limit: number }[]) {
    it(`import { ${name} } from '${from}' stays within ${limit / 1024} KB`, async () => {
      const { bytes, byPackage } = await bundleSize(name, from);
      expect(bytes, `bytes per package: ${JSON.stringify(byPackage)}`).toBeLessThanOrEqual(limit);
    });
  }

  it('no budgeted import drags in yaml, ndarray or ml-matrix (pipelines, interop and factorizations)', async () => {
    for (const { name, from } of BUDGETS as { name: string; from: string }[]) {
      const { byPackage } = await bundleSize(name, from);
      expect(Object.keys(byPackage).filter((key) => ['yaml', 'ndarray', 'ml-matrix'].includes(key))).toEqual(
        [],
      );
    }
  });

  it('the measurement sees a large import (the /experiments entry pulls zod and the experiments)', async () => {
    const { bytes } = await bundleSize('otExperiments', '@argmin/ot/experiments');
    expect(bytes).toBeGreaterThan(60 * 1024);
  });
});

import { createRegistry, createRng, describeOptions, InvalidOptionsError } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { squaredEuclideanCost } from './cost';
import { emd } from './emd/emd';
import { otPlugins } from './plugins';
import { sinkhorn } from './sinkhorn/sinkhorn';
import { sns } from './sns/sns';

const n = 12;
const rng = createRng(5);
const X = { rows: n, cols: 2, data: rng.fillNormal(new Float64Array(2 * n)) };
const Y = { rows: n, cols: 2, data: rng.fillNormal(new Float64Array(2 * n)) };
const cost = squaredEuclideanCost(X, Y, { normalize: true });
const w = new Float64Array(n).fill(1 / n);
const registry = createRegistry(otPlugins);

describe('ot plugins', () => {
  it('registers ot/sinkhorn, ot/sns and ot/emd, each citing a paper and describing every option', () => {
    expect([...registry.ids].sort()).toEqual(['ot/emd', 'ot/sinkhorn', 'ot/sns']);
    for (const plugin of otPlugins) {
      expect(plugin.meta.references.length).toBeGreaterThan(0);
      const rows = describeOptions(plugin.options);
      expect(rows.map((row) => row.name)).toEqual(Object.keys(plugin.options.shape));
      for (const row of rows) expect(row.description, `${plugin.meta.id}.${row.name}`).toBeTruthy();
    }
  });
  it('a plugin solves exactly like the plain function with the same options', () => {
    const viaPlugin = registry
      .create('ot/sinkhorn', { regularization: 0.1, method: 'log' })
      .solve(w, w, cost);
    const direct = sinkhorn(w, w, cost, { regularization: 0.1, method: 'log' });
    expect(Array.from(viaPlugin.plan.data)).toEqual(Array.from(direct.plan.data));
    expect(viaPlugin.iterations).toBe(direct.iterations);
    // Defaults passed back by the plugin are not "ignored options".
    expect(viaPlugin.warnings).toEqual(direct.warnings);
    expect(viaPlugin.warnings.some((x) => x.type === 'ignored-option')).toBe(false);
    const snsPlugin = registry.create('ot/sns', { regularization: 0.05, density: 0.5 }).solve(w, w, cost);
    expect(snsPlugin.cost).toBe(sns(w, w, cost, { regularization: 0.05, density: 0.5 }).cost);
    expect(registry.create('ot/emd', {}).solve(w, w, cost).cost).toBe(emd(w, w, cost).cost);
  });
  it('rejects unknown options and a missing regularization with InvalidOptionsError naming the keys', () => {
    expect(() => registry.create('ot/sinkhorn', { regularization: 0.1, reg: 0.1 } as never)).toThrowError(
      InvalidOptionsError,
    );
    expect(() => registry.create('ot/sinkhorn', { regularization: 0.1, reg: 0.1 } as never)).toThrowError(
      /reg/,
    );
    expect(() => registry.create('ot/sns', {} as never)).toThrowError(/regularization/);
  });
});

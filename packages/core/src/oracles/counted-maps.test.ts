import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/argmin-error';
import { randomTwoBlock } from '../problems/two-block';
import { createRng } from '../rng/rng';
import type { VectorMap } from '../spec/derivatives';
import { countedBlocks, countedMap } from './counted-maps';

// F(x) = (x0 x1, sin x1)
const F: VectorMap<'jvp' | 'vjp'> = {
  inputDimension: 2,
  outputDimension: 2,
  evaluate: (x, out) => ((out[0] = x[0] * x[1]), (out[1] = Math.sin(x[1])), out),
  jvp: (x, v, out) => ((out[0] = x[1] * v[0] + x[0] * v[1]), (out[1] = Math.cos(x[1]) * v[1]), out),
  vjp: (x, w, out) => ((out[0] = x[1] * w[0]), (out[1] = x[0] * w[0] + Math.cos(x[1]) * w[1]), out),
};

describe('countedMap', () => {
  it('counts evaluate, jvp and vjp and returns what the map returns', () => {
    const G = countedMap(F);
    const x = Float64Array.of(0.3, -1.2);
    const v = Float64Array.of(1, 2);
    const a = new Float64Array(2);
    const b = new Float64Array(2);
    expect(G.evaluate(x, a)).toBe(a);
    expect(Array.from(a)).toEqual(Array.from(F.evaluate(x, b)));
    G.jvp(x, v, a);
    G.jvp(x, v, a);
    G.vjp(x, v, a);
    expect(Array.from(a)).toEqual(Array.from(F.vjp(x, v, b)));
    expect({ ...G.counts }).toEqual({ evaluate: 1, jvp: 2, vjp: 1 });
    expect(G.totalCalls()).toBe(4);
    expect(G.inputDimension).toBe(2);
    G.resetCounts();
    expect(G.totalCalls()).toBe(0);
  });
  it('a map without vjp stays without vjp', () => {
    const onlyJvp: VectorMap<'jvp'> = {
      inputDimension: 2,
      outputDimension: 2,
      evaluate: F.evaluate,
      jvp: F.jvp,
    };
    const G = countedMap(onlyJvp);
    expect(G.vjp).toBeUndefined();
  });
  it('refuses what is not a map with a named error', () => {
    for (const bad of [undefined, null, 3, 'F', {}])
      expect(() => countedMap(bad as never)).toThrow(InvalidArgumentError);
  });
});

describe('countedBlocks', () => {
  it('counts every block method, including calls through atBatch views, with unchanged results', () => {
    const g = randomTwoBlock(3, 2, createRng(7));
    const c = countedBlocks(g);
    const x = Float64Array.of(0.1, -0.2, 0.3);
    const y = Float64Array.of(0.5, -0.4);
    const ox = new Float64Array(3);
    const oy = new Float64Array(2);
    const rx = new Float64Array(3);
    expect(c.value(x, y)).toBe(g.value(x, y));
    c.gradX(x, y, ox);
    expect(Array.from(ox)).toEqual(Array.from(g.gradX(x, y, rx)));
    c.gradY(x, y, oy);
    c.hvpXX(x, y, x, ox);
    c.hvpYY(x, y, y, oy);
    c.crossHvpXY(x, y, y, ox);
    c.crossHvpYX(x, y, x, oy);
    c.crossHvpYX(x, y, x, oy);
    expect({ ...c.counts }).toEqual({
      value: 1,
      gradX: 1,
      gradY: 1,
      hvpXX: 1,
      hvpYY: 1,
      crossHvpXY: 1,
      crossHvpYX: 2,
      drawBatch: 0,
    });
    expect(c.totalCalls()).toBe(8);
    expect(c.dimensionX).toBe(3);
    c.resetCounts();
    expect(c.totalCalls()).toBe(0);
  });
  it('views from atBatch count into the same counts', () => {
    const base = randomTwoBlock(2, 2, createRng(1));
    const withBatches = { ...base, value: base.value, atBatch: (_batch: unknown) => base };
    const c = countedBlocks(withBatches);
    const view = c.atBatch?.({ indices: Int32Array.of(0), size: 1 } as never);
    view?.value(Float64Array.of(0, 0), Float64Array.of(1, 1));
    view?.value(Float64Array.of(0, 0), Float64Array.of(1, 1));
    expect(c.counts.value).toBe(2);
  });
  it('refuses what is not a two-block function with a named error', () => {
    for (const bad of [undefined, null, 3, { dimensionX: 2 }, { dimensionX: 1.5, dimensionY: 2 }])
      expect(() => countedBlocks(bad as never)).toThrow(InvalidArgumentError);
  });
});

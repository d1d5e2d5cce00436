import { createRng } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { tsallisInf, tsallisInfContextual, tsallisProbabilities } from './tsallis-inf';

describe('Tsallis-INF', () => {
  it('the robust normalizer gives sum p = 1 with x < min L, even when cumulative losses are large', () => {
    const rng = createRng(3);
    for (let trial = 0; trial < 200; trial++) {
      const losses = Float64Array.from({ length: 20 }, () => rng.uniform(0, 10 ** rng.uniform(0, 4)));
      const eta = 2 / Math.sqrt(1 + rng.integer(5000));
      const p = new Float64Array(20);
      const x = tsallisProbabilities(losses, eta, p, 'robust');
      let raw = 0;
      for (let i = 0; i < 20; i++) raw += 4 / (eta * (losses[i] - x)) ** 2;
      expect(Math.abs(raw - 1)).toBeLessThan(1e-12);
      expect(x).toBeLessThan(Math.min(...losses));
    }
  });
  it('normalizer regression: with large cumulative losses the reference start x = -1 lands on a spurious root', () => {
    const losses = Float64Array.from({ length: 20 }, (_, i) => 500 + 40 * i);
    const eta = 2 / Math.sqrt(3000);
    const p = new Float64Array(20);
    const reference = tsallisProbabilities(losses, eta, p, 'reference');
    const robust = tsallisProbabilities(losses, eta, p, 'robust');
    expect(robust).toBeLessThan(500);
    expect(reference).toBeGreaterThan(500); // overshot past min L
  });
  it('learns the cheapest arm of a stochastic cost table', () => {
    const rng = createRng(5);
    const learner = tsallisInf({ arms: [1, 1.2, 1.4, 1.6, 1.8] });
    const means = [300, 200, 120, 80, 150];
    const counts = [0, 0, 0, 0, 0];
    for (let t = 0; t < 3000; t++) {
      const arm = learner.select(rng);
      if (t >= 2000) counts[arm]++;
      learner.update(arm, Math.max(1, Math.round(means[arm] + 10 * rng.normal())));
    }
    expect(counts.indexOf(Math.max(...counts))).toBe(3);
    expect(counts[3]).toBeGreaterThan(500);
  });
  it('Tsallis-INF-CB with one bin equals plain Tsallis-INF (same seed, same choices)', () => {
    const plain = tsallisInf();
    const binned = tsallisInfContextual({ contextRange: [0, 1], bins: 1 });
    const rngA = createRng(9);
    const rngB = createRng(9);
    for (let t = 0; t < 200; t++) {
      const a = plain.select(rngA);
      const b = binned.select(rngB, 0.3);
      expect(a).toBe(b);
      plain.update(a, 50 + a);
      binned.update(b, 50 + b, 0.3);
    }
  });
});

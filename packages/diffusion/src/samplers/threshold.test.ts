import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dynamicThreshold, selectInPlace } from './common';

/** torch.quantile(|x|, ratio) with linear interpolation, from a full sort (the slow reference). */
function sortedQuantile(values: readonly number[], ratio: number): number {
  const sorted = values.map(Math.abs).sort((a, b) => a - b);
  const position = ratio * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
}

describe('dynamic thresholding', () => {
  it('selection finds the k-th smallest, with ties and duplicates', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 80 }),
        fc.nat(),
        (values, seed) => {
          const k = seed % values.length;
          const data = Float64Array.from(values);
          const expected = [...values].sort((a, b) => a - b)[k];
          expect(selectInPlace(data, data.length, k)).toBe(expected);
          for (let i = 0; i < k; i++) expect(data[i]).toBeLessThanOrEqual(expected);
          for (let i = k + 1; i < data.length; i++) expect(data[i]).toBeGreaterThanOrEqual(expected);
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it('equals clamp(x0, -s, s)/s with s the interpolated quantile clamped to [lower, upper]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 1, maxLength: 70 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (values, ratio) => {
          const x0 = Float64Array.from(values);
          dynamicThreshold(x0, 1, values.length, ratio, 1, 1.5, new Float64Array(values.length));
          const s = Math.min(1.5, Math.max(1, sortedQuantile(values, ratio)));
          for (const [i, v] of values.entries()) expect(x0[i]).toBe(Math.min(s, Math.max(-s, v)) / s);
          for (const v of x0) expect(Math.abs(v)).toBeLessThanOrEqual(1);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  it('with sampleMaxValue 1 (diffusers default) is static clipping to [-1, 1]', () => {
    const x0 = Float64Array.of(-3, -1, -0.2, 0, 0.5, 2, 7, 0.99);
    dynamicThreshold(x0, 2, 4, 0.995, 1, 1, new Float64Array(4));
    expect(Array.from(x0)).toEqual([-1, -1, -0.2, 0, 0.5, 1, 1, 0.99]);
  });
});

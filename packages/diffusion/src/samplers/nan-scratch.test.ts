import { createRng } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { clearNonFiniteScratch } from './common';

describe('a failed step leaves no NaN in the returned state', () => {
  it('clears Float64Arrays holding NaN, at any depth, and leaves the others (±Infinity included) alone', () => {
    const finite = createRng(1).fillNormal(new Float64Array(4));
    const state = {
      raw: Float64Array.of(1, Number.NaN),
      work: [Float64Array.of(2), Float64Array.of(Number.POSITIVE_INFINITY)],
      kept: finite.slice(),
      n: 3,
    };
    clearNonFiniteScratch(state);
    expect(Array.from(state.raw)).toEqual([0, 0]);
    expect(Array.from(state.work[0])).toEqual([2]);
    expect(Array.from(state.work[1])).toEqual([Number.POSITIVE_INFINITY]);
    expect(Array.from(state.kept)).toEqual(Array.from(finite));
  });
});

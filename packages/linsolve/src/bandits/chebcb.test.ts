import { createRng } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { chebCb, chebyshevFeatures } from './chebcb';

/** Synthetic contextual bandit: the best of 10 arms moves with the context c ∈ [0, 1]. */
function syntheticLoss(arm: number, c: number): number {
  const omega = arm / 9;
  return 20 + 200 * (omega - (0.15 + 0.7 * c)) ** 2;
}

function play(seed: number, rounds: number) {
  const rng = createRng(seed);
  const learner = chebCb({ arms: Array.from({ length: 10 }, (_, i) => i / 9), contextRange: [0, 1] });
  const regret = new Float64Array(rounds);
  const sums: number[] = [];
  const arms: number[] = [];
  for (let t = 0; t < rounds; t++) {
    const c = rng.uniform();
    const arm = learner.select(rng, c);
    let total = 0;
    for (const p of learner.state.probabilities) total += p;
    sums.push(total);
    arms.push(arm);
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 10; i++) best = Math.min(best, syntheticLoss(i, c));
    const loss = syntheticLoss(arm, c) + (rng.uniform() - 0.5);
    regret[t] = syntheticLoss(arm, c) - best;
    learner.update(arm, loss, c);
  }
  return { regret, sums, arms, learner };
}

const mean = (v: ArrayLike<number>, from: number, to: number) => {
  let s = 0;
  for (let i = from; i < to; i++) s += v[i];
  return s / (to - from);
};

describe('ChebCB', () => {
  it('Chebyshev features follow T_j(cos t) = cos(j t)', () => {
    const out = chebyshevFeatures(Math.cos(0.3), new Float64Array(6));
    for (let j = 0; j < 6; j++) expect(out[j]).toBeCloseTo(Math.cos(0.3 * j), 12);
  });
  it('is deterministic for a seed and its probabilities sum to 1 in every round', () => {
    const first = play(5, 300);
    const second = play(5, 300);
    expect(second.arms).toEqual(first.arms);
    for (const s of first.sums) expect(Math.abs(s - 1)).toBeLessThan(1e-12);
    expect(first.learner.state.probabilities.every((p) => p >= 0)).toBe(true);
  });
  it('regret against the best context-dependent policy is sublinear (last half well below the first half)', () => {
    const rounds = 4000;
    const { regret } = play(11, rounds);
    const firstHalf = mean(regret, 0, rounds / 2);
    const lastHalf = mean(regret, rounds / 2, rounds);
    const uniform = mean(
      Float64Array.from({ length: 1000 }, (_, t) => {
        const c = (t + 0.5) / 1000;
        let best = Number.POSITIVE_INFINITY;
        let avg = 0;
        for (let i = 0; i < 10; i++) {
          best = Math.min(best, syntheticLoss(i, c));
          avg += syntheticLoss(i, c) / 10;
        }
        return avg - best;
      }),
      0,
      1000,
    );
    // computed margin: the per-round regret falls by at least 70% between halves and ends far below uniform play
    expect(lastHalf).toBeLessThan(0.3 * firstHalf);
    expect(lastHalf).toBeLessThan(0.25 * uniform);
  });
  it('rejects an empty grid or an empty context range', () => {
    expect(() => chebCb({ arms: [], contextRange: [0, 1] })).toThrow(/arm/);
    expect(() => chebCb({ contextRange: [1, 1] })).toThrow(/contextRange/);
  });
});

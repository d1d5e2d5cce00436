import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ResourceLimitError } from '../errors/argmin-error';
import { createRng, createRngFromArray, deriveRng, restoreRng } from './rng';

/** Issue 13, cause 6 for the Rng: misuse is a named error, and what held before still holds. */

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('Rng misuse is a named error', () => {
  it('restoreRng with a non-numeric, fractional, negative or oversized key word', () => {
    const state = createRng(1).getState();
    for (const word of ['a', 1.5, -1, 2 ** 32, Number.NaN, null]) {
      const key = [...state.key];
      key[17] = word as number;
      const error = thrown(() => restoreRng({ ...state, key }));
      expect(InvalidArgumentError.isInstance(error), String(word)).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe('state.key[17]');
    }
  });
  it('restoreRng with a bad gauss cache, an all-zero key, or not a state at all', () => {
    const state = createRng(1).getState();
    const cases = [
      { ...state, hasGauss: 'yes' },
      { ...state, gauss: Number.NaN },
      { ...state, key: new Array(624).fill(0) },
      { ...state, position: 625 },
      { ...state, algorithm: 'pcg' },
      null,
      5,
      'mt19937',
    ];
    for (const bad of cases) {
      expect(InvalidArgumentError.isInstance(thrown(() => restoreRng(bad as never)))).toBe(true);
    }
  });
  it('createRng, createRngFromArray and deriveRng with bad arguments', () => {
    for (const seed of [-1, 1.5, Number.NaN, '3', 2 ** 60]) {
      expect(InvalidArgumentError.isInstance(thrown(() => createRng(seed as never))), String(seed)).toBe(
        true,
      );
    }
    for (const words of [[], [Number.NaN], [1, -1], [2 ** 32], ['a'], null, 7]) {
      expect(InvalidArgumentError.isInstance(thrown(() => createRngFromArray(words as never)))).toBe(true);
    }
    expect(InvalidArgumentError.isInstance(thrown(() => deriveRng({} as never)))).toBe(true);
  });
  it('non-finite or reversed bounds and negative standard deviations', () => {
    const rng = createRng(3);
    const cases: (() => unknown)[] = [
      () => rng.uniform(Number.NaN, 1),
      () => rng.uniform(0, Number.POSITIVE_INFINITY),
      () => rng.uniform(2, 1),
      () => rng.normal(0, -1),
      () => rng.normal(Number.NaN, 1),
      () => rng.fillUniform(new Float64Array(2), 0, Number.NaN),
      () => rng.fillNormal(new Float64Array(2), 0, Number.NaN),
      () => rng.fillUniform([0, 0] as never),
      () => rng.fillRademacher(new Float32Array(2) as never),
      () => rng.integer(0),
      () => rng.integer(Number.NaN),
      () => rng.categorical([]),
      () => rng.categorical([1, Number.NaN]),
      () => rng.categorical(5 as never),
      () => rng.permutation(-1),
      () => rng.shuffle(5 as never),
    ];
    for (const make of cases) {
      expect(InvalidArgumentError.isInstance(thrown(make)), make.toString()).toBe(true);
    }
  });
  it('a permutation larger than the allocation budget is refused before allocating', () => {
    expect(ResourceLimitError.isInstance(thrown(() => createRng(0).permutation(2 ** 40)))).toBe(true);
  });
  it('a rejected call does not advance the generator', () => {
    const a = createRng(5);
    const b = createRng(5);
    thrown(() => a.uniform(Number.NaN, 1));
    thrown(() => a.normal(0, -1));
    expect(a.uniform()).toBe(b.uniform());
  });
});

describe('what held before still holds (issue 13: keep it)', () => {
  it('same seed, same bits, across every draw kind', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const draw = () => {
          const rng = createRng(seed);
          return [
            rng.uniform(),
            rng.normal(),
            rng.uniform(-2, 3),
            rng.normal(1, 2),
            rng.integer(1000),
            rng.rademacher(),
            rng.categorical([0.2, 0.5, 0.3]),
            ...rng.permutation(6),
            ...rng.fillNormal(new Float64Array(3)),
          ];
        };
        expect(draw()).toEqual(draw());
      }),
      { seed: 13, numRuns: 50 },
    );
  });
  it('interleaved generators are independent of each other', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 200 }),
        (seedA, seedB, schedule) => {
          const alone = createRng(seedA);
          const expected = schedule.filter((b) => b).map(() => alone.normal());
          const a = createRng(seedA);
          const b = createRng(seedB);
          const got: number[] = [];
          for (const useA of schedule) {
            if (useA) got.push(a.normal());
            else b.normal();
          }
          expect(got).toEqual(expected);
        },
      ),
      { seed: 14, numRuns: 50 },
    );
  });
  it('getState / restoreRng round-trips through JSON and continues the same stream', () => {
    const rng = createRng(99);
    rng.normal();
    const restored = restoreRng(JSON.parse(JSON.stringify(rng.getState())));
    expect([restored.normal(), restored.uniform(), restored.integer(17)]).toEqual([
      rng.normal(),
      rng.uniform(),
      rng.integer(17),
    ]);
  });
});

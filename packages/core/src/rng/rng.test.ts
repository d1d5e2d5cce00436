import { describe, expect, it } from 'vitest';
import { expectArgminError } from '../linalg/expect-argmin-error';
import reference from './__fixtures__/rng-reference.json';
import { createRng, createRngFromArray, deriveRng, restoreRng } from './rng';

describe('Rng: bit-for-bit numpy RandomState streams (fixture from generate-rng-reference.py)', () => {
  for (const c of reference.cases) {
    describe(`seed ${c.seed}`, () => {
      it('raw 32-bit words equal randint(0, 2**32)', () => {
        const rng = createRng(c.seed);
        expect(c.uint32.map(() => rng.nextUint32())).toEqual(c.uint32);
      });
      it('uniform() equals random_sample()', () => {
        const rng = createRng(c.seed);
        expect(c.uniform.map(() => rng.uniform())).toEqual(c.uniform);
      });
      it('normal() equals standard_normal() (polar method with the cached second deviate)', () => {
        const rng = createRng(c.seed);
        expect(c.normal.map(() => rng.normal())).toEqual(c.normal);
      });
      for (const [n, draws] of Object.entries(c.integer)) {
        it(`integer(${n}) equals randint(0, ${n})`, () => {
          const rng = createRng(c.seed);
          expect(draws.map(() => rng.integer(Number(n)))).toEqual(draws);
        });
      }
      it('permutation(12) equals permutation(12)', () => {
        expect(Array.from(createRng(c.seed).permutation(12))).toEqual(c.permutation);
      });
      it('categorical(p) equals choice(len(p), p=p), never drawing a zero-probability index', () => {
        const rng = createRng(c.seed);
        const draws = c.categorical.draws.map(() => rng.categorical(c.categorical.p));
        expect(draws).toEqual(c.categorical.draws);
        expect(draws).not.toContain(1);
      });
      it('rademacher() equals 2 * randint(0, 2) - 1', () => {
        const rng = createRng(c.seed);
        expect(c.rademacher.map(() => rng.rademacher())).toEqual(c.rademacher);
      });
    });
  }
});

describe('Rng: 2000-draw streams at seed 42 (longStreams in the fixture)', () => {
  const long = reference.longStreams;
  /** Distance in units in the last place between two doubles of the same sign. */
  const ulps = (a: number, b: number) => {
    const view = new DataView(new ArrayBuffer(16));
    view.setFloat64(0, a);
    view.setFloat64(8, b);
    const difference = view.getBigInt64(0) - view.getBigInt64(8);
    return Number(difference < 0n ? -difference : difference);
  };
  it('uniform() and integer(1000) stay bit-exact over 2000 draws', () => {
    const rng = createRng(long.seed);
    expect(long.uniform.map(() => rng.uniform())).toEqual(long.uniform);
    const integers = createRng(long.seed);
    expect(long.integer1000.map(() => integers.integer(1000))).toEqual(long.integer1000);
  });
  it('normal() is within 2 ulp of numpy everywhere and bit-exact for at least 95% of draws (Math.log vs glibc log differ by 1 ulp on a few percent of arguments)', () => {
    const rng = createRng(long.seed);
    const draws = long.normal.map(() => rng.normal());
    const distances = draws.map((value, index) => ulps(value, long.normal[index]));
    expect(Math.max(...distances)).toBeLessThanOrEqual(2);
    expect(distances.filter((d) => d === 0).length / draws.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe('Rng: published MT19937 test vectors (Matsumoto & Nishimura, mt19937ar.out)', () => {
  it('init_genrand(5489) starts with 3499211612', () => {
    expect(createRng(5489).nextUint32()).toBe(3499211612);
  });
  it('init_by_array({0x123, 0x234, 0x345, 0x456}) starts with 1067595299 955945823 477289528 4107218783 4228976476', () => {
    const rng = createRngFromArray([0x123, 0x234, 0x345, 0x456]);
    expect([1, 2, 3, 4, 5].map(() => rng.nextUint32())).toEqual([
      1067595299, 955945823, 477289528, 4107218783, 4228976476,
    ]);
  });
});

describe('Rng: state', () => {
  it('continues the same stream after a JSON round trip of getState, also between the two deviates of a normal pair', () => {
    const rng = createRng(11);
    rng.normal(); // leaves the second polar deviate cached
    const saved = JSON.parse(JSON.stringify(rng.getState()));
    const expected = [rng.normal(), rng.uniform(), rng.integer(97), rng.normal()];
    const restored = restoreRng(saved);
    expect([restored.normal(), restored.uniform(), restored.integer(97), restored.normal()]).toEqual(
      expected,
    );
  });
  it('clone() gives an independent copy of the same stream', () => {
    const rng = createRng(3);
    rng.uniform();
    const copy = rng.clone();
    const a = [rng.uniform(), rng.uniform()];
    expect([copy.uniform(), copy.uniform()]).toEqual(a);
    copy.uniform();
    expect(rng.uniform()).not.toBe(copy.uniform());
  });
  it('same seed gives the same bits; different seeds differ', () => {
    expect(Array.from(createRng(5).fillNormal(new Float64Array(10)))).toEqual(
      Array.from(createRng(5).fillNormal(new Float64Array(10))),
    );
    expect(createRng(5).uniform()).not.toBe(createRng(6).uniform());
  });
  it('deriveRng gives a child stream that differs from its parent', () => {
    const parent = createRng(1);
    const child = deriveRng(parent);
    expect(child.uniform()).not.toBe(parent.uniform());
  });
  it('fill helpers match the scalar draws', () => {
    const a = createRng(9);
    const b = createRng(9);
    expect(Array.from(a.fillUniform(new Float64Array(5), -1, 3))).toEqual(
      [1, 2, 3, 4, 5].map(() => b.uniform(-1, 3)),
    );
    expect(Array.from(a.fillRademacher(new Float64Array(6)))).toEqual(
      [1, 2, 3, 4, 5, 6].map(() => b.rademacher()),
    );
  });
  it('shuffle permutes an array in place with numpy order', () => {
    const values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    createRng(42).shuffle(values);
    expect(values).toEqual(Array.from(createRng(42).permutation(12)));
  });
});

describe('Rng: bad input', () => {
  it('rejects a fractional seed, naming the value', () => {
    expectArgminError(() => createRng(0.5), /createRng: `seed` must be a non-negative safe integer; got 0.5/);
  });
  it('rejects negative, NaN, infinite, unsafe (>= 2^53) and string seeds with InvalidArgumentError naming the value', () => {
    for (const [seed, shown] of [
      [-1, '-1'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [2 ** 53, '9007199254740992'],
      ['3', '3'],
    ] as const)
      expectArgminError(
        () => createRng(seed as number),
        `createRng: \`seed\` must be a non-negative safe integer; got ${shown}. Use e.g. createRng(42).`,
      );
  });
  it('rejects integer(0) and integer(2.5)', () => {
    expectArgminError(() => createRng(0).integer(0), /`n` must be an integer in \[1, 2\^32\]; got 0/);
    expectArgminError(() => createRng(0).integer(2.5), /got 2.5/);
  });
  it('rejects negative or all-zero probabilities', () => {
    expectArgminError(() => createRng(0).categorical([0.5, -0.1]), /non-negative; got -0.1 at index 1/);
    expectArgminError(() => createRng(0).categorical([0, 0]), /positive sum/);
  });
  it('rejects a state that is not an mt19937 state', () => {
    expectArgminError(
      () => restoreRng({ algorithm: 'pcg' } as never),
      /restoreRng: `state` is not an mt19937 RngState/,
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidArgumentError } from '../errors/argmin-error';
import { rosenbrock } from '../problems/rosenbrock';
import {
  arrayMutationArbitrary,
  checkRobust,
  deadlineSignal,
  invalidOptionsArbitrary,
  invalidValuesFor,
  turnsNonFinite,
} from './bad-input';

/** The bad-input helpers themselves: each can fail, and does on the inputs it is meant to catch. */

const schema = z.strictObject({
  count: z.number().int().min(1).default(10),
  rate: z.number().positive().lt(1).default(0.5),
  mode: z.enum(['fast', 'exact']).default('fast'),
  flag: z.boolean().default(false),
  limit: z.number().nonnegative().nullable().default(null),
  callback: z.function().optional(),
});

describe('invalidOptionsArbitrary', () => {
  it('generates only option objects the schema rejects, covering every representable key and unknown keys', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(invalidOptionsArbitrary(schema), ({ options, why }) => {
        expect(schema.safeParse(options).success, why).toBe(false);
        seen.add(why.startsWith('unknown') ? 'unknown' : (why.match(/^`(\w+)`/)?.[1] ?? why));
      }),
      { seed: 1, numRuns: 300 },
    );
    expect([...seen].sort()).toEqual(['count', 'flag', 'limit', 'mode', 'rate', 'unknown']);
  });
  it('derives range, integer, NaN, Infinity and enum violations from the JSON schema', () => {
    const whys = invalidValuesFor({ type: 'integer', minimum: 1, maximum: 9007199254740991 }).map(
      (v) => v.why,
    );
    expect(whys).toEqual(
      expect.arrayContaining(['NaN', 'below the minimum 1', 'Infinity', 'a fractional value for an integer']),
    );
    expect(invalidValuesFor({ type: 'string', enum: ['a', 'b'] }).map((v) => v.value)).toContain(
      '__not-an-option__',
    );
    expect(invalidValuesFor({})).toEqual([]);
  });
  it('keeps the baseline and changes one thing', () => {
    fc.assert(
      fc.property(invalidOptionsArbitrary(schema, { count: 3 }), ({ options }) => {
        const changed = Object.keys(options).filter((k) => k !== 'count' || options.count !== 3);
        expect(changed.length).toBeLessThanOrEqual(1);
      }),
      { seed: 2, numRuns: 100 },
    );
  });
});

describe('arrayMutationArbitrary and turnsNonFinite', () => {
  it('every mutation has a non-finite entry or a different length, and the original is untouched', () => {
    const x = Float64Array.of(1, 2, 3);
    fc.assert(
      fc.property(arrayMutationArbitrary(x), ({ value }) => {
        expect(value.length !== 3 || value.some((v) => !Number.isFinite(v))).toBe(true);
      }),
      { seed: 3, numRuns: 100 },
    );
    expect(Array.from(x)).toEqual([1, 2, 3]);
  });
  it('an oracle turns non-finite after exactly the given number of calls', () => {
    const f = turnsNonFinite(rosenbrock(2), 2, Number.POSITIVE_INFINITY);
    const x = Float64Array.of(0.5, 0.5);
    const g = new Float64Array(2);
    expect(Number.isFinite(f.value(x))).toBe(true);
    f.grad(x, g);
    expect(g.every(Number.isFinite)).toBe(true);
    expect(f.value(x)).toBe(Number.POSITIVE_INFINITY);
    f.grad(x, g);
    expect(Array.from(g)).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
    expect(f.dimension).toBe(2);
  });
});

describe('checkRobust', () => {
  const fails = (run: () => unknown, options = {}) => {
    try {
      checkRobust(run, options);
    } catch (error) {
      return (error as Error).message;
    }
    return 'held';
  };
  it('accepts named errors and finite results', () => {
    expect(checkRobust(() => Float64Array.of(1, 2)).kind).toBe('result');
    const outcome = checkRobust(() => {
      throw new InvalidArgumentError({ argument: 'x', value: 1, message: 'bad' });
    });
    expect(outcome.kind).toBe('named-error');
  });
  it('flags raw errors, non-finite outputs, NaN metrics under a normal status, mutated inputs and slow calls', () => {
    expect(fails(() => (undefined as unknown as { a: number }).a)).toMatch(/not a named error: TypeError/);
    expect(fails(() => ({ status: 'numerical-error', x: Float64Array.of(Number.NaN) }))).toMatch(
      /result\.x\[0\] = NaN/,
    );
    expect(
      fails(() => ({ status: 'converged', x: Float64Array.of(1), info: { value: Number.NaN } })),
    ).toMatch(/info\.value is NaN/);
    expect(fails(() => ({ status: 'stalled', x: Float64Array.of(1), info: { value: Number.NaN } }))).toBe(
      'held',
    );
    expect(fails(() => ({ status: 'stalled', state: { moment: Float64Array.of(Number.NaN) } }))).toMatch(
      /state\.moment/,
    );
    expect(fails(() => ({ status: 'converged', state: { lambda: Number.POSITIVE_INFINITY } }))).toBe('held');
    expect(fails(() => ({ status: 'converged', cost: Number.POSITIVE_INFINITY }))).toMatch(
      /result\.cost = Infinity/,
    );
    expect(fails(() => ({ status: 'numerical-error', residualNorm: Number.POSITIVE_INFINITY }))).toBe('held');
    const input = Float64Array.of(1);
    expect(fails(() => input.fill(2), { inputs: [input] })).toMatch(/input 0 was mutated/);
    expect(
      fails(
        () => {
          const signal = deadlineSignal(5);
          while (!signal.aborted) {
            // spin until the deadline
          }
        },
        { timeLimitMs: 1 },
      ),
    ).toMatch(/over the 1 ms limit/);
  });
});

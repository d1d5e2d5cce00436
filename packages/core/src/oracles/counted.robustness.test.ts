import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/argmin-error';
import { rosenbrock } from '../problems/rosenbrock';
import { checkGradient, checkHvp } from './check';
import { counted } from './counted';

describe('oracle helpers refuse what is not an oracle with a named error', () => {
  it('counted(undefined | null | 0 | "bogus" | true)', () => {
    for (const bad of [undefined, null, 0, 'bogus', true, Number.NaN])
      expect(() => counted(bad as never)).toThrow(InvalidArgumentError);
  });
  it('checkGradient and checkHvp with a missing x or v', () => {
    const f = rosenbrock(2);
    expect(() => checkGradient(f, null as never)).toThrow(InvalidArgumentError);
    expect(() => checkHvp(f, undefined as never, Float64Array.of(1, 0))).toThrow(InvalidArgumentError);
    expect(() => checkHvp(f, Float64Array.of(1, 1), Float64Array.of(1))).toThrow(/length 2/);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidArgumentError } from '../errors/argmin-error';
import { defineMetric, defineStage } from './define-metric';
import { defineProblem, problemKind } from './define-problem';

const grab = (f: () => unknown): Error => {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
};

describe('defineMetric', () => {
  const compute = () => ({ value: 1 });
  it('stamps the spec version and freezes the plugin and its meta', () => {
    const metric = defineMetric({
      meta: { id: 'a/m', title: 'M', takes: ['x'] },
      options: z.strictObject({}),
      compute,
    });
    expect(metric.specVersion).toBe(1);
    expect(Object.isFrozen(metric)).toBe(true);
    expect(Object.isFrozen(metric.meta)).toBe(true);
  });
  it('rejects a bad id, an empty takes list and a non-strict schema, naming each', () => {
    expect(
      grab(() =>
        defineMetric({ meta: { id: 'M', title: 'M', takes: ['x'] }, options: z.strictObject({}), compute }),
      ).message,
    ).toBe('defineMetric: `meta.id` must be "<area>/<name>" in kebab-case; got "M".');
    const empty = grab(() =>
      defineMetric({ meta: { id: 'a/m', title: 'M', takes: [] }, options: z.strictObject({}), compute }),
    );
    expect(InvalidArgumentError.isInstance(empty)).toBe(true);
    expect(empty.message).toContain('`meta.takes` must list the result kinds it reads');
    expect(
      grab(() =>
        defineMetric({ meta: { id: 'a/m', title: 'M', takes: ['x'] }, options: z.object({}), compute }),
      ).message,
    ).toContain('the options schema must be strict');
  });
});

describe('defineStage', () => {
  it('keeps the kinds and the runner', () => {
    const run = () => 1;
    const binding = defineStage({ method: 'a/b', takes: 'k1', gives: 'k2', run });
    expect(binding).toMatchObject({ specVersion: 1, method: 'a/b', takes: 'k1', gives: 'k2', run });
  });
  it('rejects a bad method id and an empty kind', () => {
    expect(grab(() => defineStage({ method: 'nope', takes: 'a', gives: 'b' })).message).toContain(
      'defineStage',
    );
    expect(grab(() => defineStage({ method: 'a/b', takes: '', gives: 'b' })).message).toBe(
      "defineStage(a/b): `takes` must be a kind name such as 'linear-system'.",
    );
  });
});

describe('problem kinds', () => {
  const create = () => ({ problem: {}, x0: new Float64Array(0) });
  it("'oracle' when a problem provides capabilities, its declared kind otherwise, undefined when neither", () => {
    const options = z.strictObject({});
    expect(
      problemKind(
        defineProblem({ meta: { id: 'a/p', title: 'P', provides: ['grad'] }, options, create }).meta,
      ),
    ).toBe('oracle');
    expect(
      problemKind(
        defineProblem({ meta: { id: 'a/p', title: 'P', provides: [], gives: 'ot-problem' }, options, create })
          .meta,
      ),
    ).toBe('ot-problem');
    expect(
      problemKind(defineProblem({ meta: { id: 'a/p', title: 'P', provides: [] }, options, create }).meta),
    ).toBeUndefined();
  });
});

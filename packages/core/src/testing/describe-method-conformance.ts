import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../errors/argmin-error';
import { createRegistry } from '../registry/create-registry';
import { describeOptions } from '../registry/options';
import { solve } from '../solve/solve';
import { anyOf, maxIterations, metricBelow } from '../solve/stop-when';
import type { Optimizer } from '../spec/optimizer';
import type { AnyMethodPlugin } from '../spec/plugin';
import type { Vec } from '../spec/vec';
import { expectAllClose } from './expect-all-close';
import { assertResultBase } from './result-base';

/** One problem the method under test must solve. */
export interface ConformanceCase<P = unknown> {
  /** Plain-sentence name of the case. */
  readonly name: string;
  /** Options passed to `registry.create` (defaults apply for missing keys). */
  readonly options: Record<string, unknown>;
  /** A fresh problem (called once per check, so checks cannot affect each other). */
  readonly problem: () => P;
  readonly x0: Vec;
  /** Known solution (compared with `tolerance` as an absolute tolerance per entry). */
  readonly solution?: Vec;
  readonly tolerance: number;
  /** Metric the run stops on (`metricBelow(metric, metricTolerance)`). */
  readonly metric: string;
  readonly metricTolerance?: number;
  readonly maxIterations: number;
  /** Seed for stochastic methods (default 7). */
  readonly seed?: number;
  /**
   * A problem whose evaluations turn NaN away from x0, to check that the method ends with status
   * 'numerical-error' (or another non-converged status) instead of throwing. Omit to skip.
   */
  readonly nanProblem?: () => P;
}

const idFormat = /^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/;

function snapshot(value: unknown, seen = new Set<unknown>()): unknown {
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (typeof value !== 'object' || value === null || seen.has(value))
    return typeof value === 'function' ? 'fn' : value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => snapshot(v, seen));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = snapshot((value as Record<string, unknown>)[key], seen);
  return out;
}

/**
 * The contract every method plugin must honour, as a vitest suite (tfjs runs core's tests against
 * each backend; argmin runs this against each method): the id format, strict options, inputs not
 * mutated, same seed gives the same bits, NaN is a status, each case is solved, and every result
 * satisfies the `ResultBase` contract (`assertResultBase`: status and converged agree, iterations
 * within the cap, warnings typed, a columnar trace whose columns have one entry per recorded
 * iteration and include the stopping metric).
 */
export function describeMethodConformance<P>(
  plugin: AnyMethodPlugin,
  cases: readonly ConformanceCase<P>[],
): void {
  const registry = createRegistry([plugin]);
  const id = plugin.meta.id;
  const create = (options: Record<string, unknown>) =>
    registry.create(id, options as never) as Optimizer<P, unknown>;

  describe(`conformance: ${id}`, () => {
    it('has a kebab-case "<area>/<method>" id, a title and references', () => {
      expect(id).toMatch(idFormat);
      expect(plugin.meta.title.length).toBeGreaterThan(0);
      expect(Array.isArray(plugin.meta.references)).toBe(true);
    });

    it('rejects an unknown option key with InvalidOptionsError naming the key', () => {
      let error: unknown;
      try {
        registry.create(id, { definitelyNotAnOption: 1 } as never);
      } catch (caught) {
        error = caught;
      }
      expect(InvalidOptionsError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('definitelyNotAnOption');
    });

    it('describes every option for the docs', () => {
      // through describeOptions: classic (`.describe`) and zod/mini (`z.describe` check) schemas alike
      for (const row of describeOptions(plugin.options))
        expect(row.description, `option ${row.name} has no description`).toBeTruthy();
    });

    for (const c of cases) {
      const stopWhen = anyOf(
        metricBelow(c.metric, c.metricTolerance ?? c.tolerance),
        maxIterations(c.maxIterations),
      );
      const seed = c.seed ?? 7;

      it(`solves: ${c.name}`, () => {
        const result = solve(create(c.options), c.problem(), c.x0, {
          stopWhen,
          seed,
          needs: plugin.meta.needs,
        });
        expect(result.status, result.message).toBe('converged');
        expect(() =>
          assertResultBase(result, { maxIterations: c.maxIterations, label: `${id} on ${c.name}` }),
        ).not.toThrow();
        expect(
          result.trace.metrics[c.metric],
          `trace.metrics has the stopping metric '${c.metric}'`,
        ).toBeDefined();
        expect(result.method.id).toBe(id);
        if (c.solution)
          expectAllClose(result.x, c.solution, {
            absolute: c.tolerance,
            relative: 0,
            label: `${id} on ${c.name}`,
          });
      });

      it(`does not mutate x0 or the problem: ${c.name}`, () => {
        const problem = c.problem();
        const x0 = c.x0.slice();
        const before = JSON.stringify(snapshot(problem));
        solve(create(c.options), problem, x0, { stopWhen, seed });
        expect(Array.from(x0)).toEqual(Array.from(c.x0));
        expect(JSON.stringify(snapshot(problem))).toBe(before);
      });

      it(`gives identical bits for the same seed: ${c.name}`, () => {
        const a = solve(create(c.options), c.problem(), c.x0, { stopWhen, seed });
        const b = solve(create(c.options), c.problem(), c.x0, { stopWhen, seed });
        expect(a.iterations).toBe(b.iterations);
        expect(Array.from(a.x)).toEqual(Array.from(b.x));
      });

      it(`reuses an optimizer across runs without leaking state: ${c.name}`, () => {
        const optimizer = create(c.options);
        const a = solve(optimizer, c.problem(), c.x0, { stopWhen, seed });
        const b = solve(optimizer, c.problem(), c.x0, { stopWhen, seed });
        expect(Array.from(b.x)).toEqual(Array.from(a.x));
      });

      if (c.nanProblem) {
        const nanProblem = c.nanProblem;
        it(`ends with a status, not an exception, when the problem returns NaN: ${c.name}`, () => {
          const result = solve(create(c.options), nanProblem(), c.x0, { stopWhen, seed });
          expect(() =>
            assertResultBase(result, { maxIterations: c.maxIterations, label: `${id} on NaN ${c.name}` }),
          ).not.toThrow();
          expect(result.converged).toBe(false);
          expect(result.message.length, 'a failure status explains itself in message').toBeGreaterThan(0);
          expect(result.status).not.toBe('converged');
          expect(['numerical-error', 'stalled', 'diverged']).toContain(result.status);
          for (const v of result.x) expect(Number.isFinite(v)).toBe(true);
        });
      }
    }
  });
}

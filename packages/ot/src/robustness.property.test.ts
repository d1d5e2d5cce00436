import { ArgminError } from '@argmin/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gridCost, squaredEuclideanCost } from './cost';
import { gaussianW2, slicedWasserstein, wasserstein1d } from './distances';
import { emd } from './emd/emd';
import type { OtResult } from './result';
import { sinkhorn, sinkhornMethods } from './sinkhorn/sinkhorn';
import { sns } from './sns/sns';

// Issue 13's property at the ot boundary: every call ends in a named error or in a result whose
// returned arrays are finite (and whose status is a failure when it could not converge); inputs are
// never mutated; nothing hangs (small iteration caps, per-test timeout).
const bad = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 1e308);

type Mutation =
  | { kind: 'value'; target: 'a' | 'b' | 'cost'; index: number; value: number }
  | { kind: 'length'; target: 'a' | 'b' | 'cost'; delta: number }
  | { kind: 'missing'; target: 'a' | 'b' | 'cost' }
  | { kind: 'none' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('value' as const),
    target: fc.constantFrom('a' as const, 'b' as const, 'cost' as const),
    index: fc.nat(30),
    value: bad,
  }),
  fc.record({
    kind: fc.constant('length' as const),
    target: fc.constantFrom('a' as const, 'b' as const, 'cost' as const),
    delta: fc.constantFrom(-1, 1),
  }),
  fc.record({
    kind: fc.constant('missing' as const),
    target: fc.constantFrom('a' as const, 'b' as const, 'cost' as const),
  }),
  fc.constant({ kind: 'none' as const }),
);

function problem(n: number, m: number, seed: number) {
  const a = Array.from({ length: n }, (_, i) => 1 + ((i * 7 + seed) % 5));
  const b = Array.from({ length: m }, (_, j) => 1 + ((j * 3 + seed) % 4));
  const sa = a.reduce((s, x) => s + x, 0);
  const sb = b.reduce((s, x) => s + x, 0);
  return {
    a: a.map((x) => x / sa),
    b: b.map((x) => x / sb),
    cost: Array.from({ length: n }, (_, i) =>
      Array.from({ length: m }, (_, j) => ((i - j) / (n + m)) ** 2 + ((i * j + seed) % 3) / 10),
    ),
  };
}

function mutate(p: ReturnType<typeof problem>, mu: Mutation): { a: unknown; b: unknown; cost: unknown } {
  const a = [...p.a];
  const b = [...p.b];
  const cost = p.cost.map((row) => [...row]);
  if (mu.kind === 'value') {
    if (mu.target === 'cost') cost[mu.index % cost.length][mu.index % cost[0].length] = mu.value;
    else (mu.target === 'a' ? a : b)[mu.index % (mu.target === 'a' ? a : b).length] = mu.value;
  } else if (mu.kind === 'length') {
    const target = mu.target === 'cost' ? cost : mu.target === 'a' ? a : b;
    if (mu.delta < 0) target.pop();
    else target.push((mu.target === 'cost' ? [...cost[0]] : 0.1) as never);
  }
  return {
    a: mu.kind === 'missing' && mu.target === 'a' ? undefined : a,
    b: mu.kind === 'missing' && mu.target === 'b' ? undefined : b,
    cost: mu.kind === 'missing' && mu.target === 'cost' ? undefined : cost,
  };
}

function checkOutcome(run: () => OtResult): void {
  let result: OtResult;
  try {
    result = run();
  } catch (error) {
    expect(ArgminError.isInstance(error), String(error)).toBe(true);
    return;
  }
  const finite = [...result.plan.data, ...result.potentials.f, ...result.potentials.g].every(Number.isFinite);
  expect(finite, `${result.method} ${result.status}: non-finite arrays`).toBe(true);
  expect(Number.isFinite(result.cost)).toBe(true);
  if (!result.converged)
    expect(['max-iterations', 'stalled', 'numerical-error', 'diverged']).toContain(result.status);
}

describe('ot boundary properties (fast-check, seed 13)', () => {
  const solvers: [string, (a: never, b: never, c: never) => OtResult][] = [
    ...sinkhornMethods.map(
      (method) =>
        [
          method,
          (a: never, b: never, c: never) =>
            sinkhorn(a, b, c, { regularization: 0.05, method, maxIterations: 40 }),
        ] as [string, (a: never, b: never, c: never) => OtResult],
    ),
    [
      'sns',
      (a, b, c) => sns(a, b, c, { regularization: 0.05, maxNewtonIterations: 5, sinkhornIterations: 5 }),
    ],
    ['emd', (a, b, c) => emd(a, b, c)],
  ];
  for (const [name, solve] of solvers) {
    it(`${name}: mutated inputs → a named error or finite arrays; inputs never mutated`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 1, max: 6 }),
          fc.nat(100),
          mutation,
          (n, m, seed, mu) => {
            const inputs = mutate(problem(n, m, seed), mu);
            const before = JSON.stringify(inputs);
            checkOutcome(() => solve(inputs.a as never, inputs.b as never, inputs.cost as never));
            expect(JSON.stringify(inputs)).toBe(before);
          },
        ),
        { seed: 13, numRuns: 60 },
      );
    });
  }
  it('random option objects → InvalidOptionsError or a run (never a raw error)', () => {
    const keys = [
      'regularization',
      'method',
      'maxIterations',
      'tolerance',
      'checkEvery',
      'marginalNorm',
      'reg',
      'numItermax',
      'stopThr',
      'density',
      'sinkhornIterations',
      'cgTolerance',
      'warmStart',
    ];
    const values = fc.constantFrom<unknown>(
      0,
      -1,
      1.5,
      0.1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      'log',
      'l1',
      'inexact',
      null,
      [],
      {},
      true,
      1e9,
    );
    const p = problem(3, 3, 1);
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), values, { maxKeys: 4 }), (options) => {
        for (const run of [
          () => sinkhorn(p.a, p.b, p.cost, { maxIterations: 20, ...options } as never),
          () => sns(p.a, p.b, p.cost, { maxNewtonIterations: 3, sinkhornIterations: 3, ...options } as never),
        ]) {
          try {
            const result = run();
            expect([...result.plan.data].every(Number.isFinite)).toBe(true);
          } catch (error) {
            expect(ArgminError.isInstance(error), String(error)).toBe(true);
          }
        }
      }),
      { seed: 13, numRuns: 80 },
    );
  });
  it('distances and cost builders: non-finite or ill-shaped input → a named error or a finite number', () => {
    const attempt = (run: () => unknown) => {
      try {
        const value = run() as number | { distance: number } | { data: Float64Array };
        if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
        else if ('distance' in value) expect(Number.isFinite(value.distance)).toBe(true);
        else expect([...value.data].every(Number.isFinite)).toBe(true);
      } catch (error) {
        expect(ArgminError.isInstance(error), String(error)).toBe(true);
      }
    };
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), bad), { minLength: 0, maxLength: 5 }),
        (values) => {
          attempt(() => wasserstein1d(values, [0, 1]));
          attempt(() => wasserstein1d([0, 1], [0, 1], { uWeights: values }));
          attempt(() => gaussianW2(values, [values], [0], [[1]]));
          attempt(() => squaredEuclideanCost([values], [values]));
          attempt(() => slicedWasserstein([values], [values], { projections: 3 }));
          attempt(() => gridCost(values));
        },
      ),
      { seed: 13, numRuns: 80 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/argmin-error';
import { gradientDescent } from '../methods/gradient-descent';
import { lbfgs } from '../methods/lbfgs';
import { counted } from '../oracles/counted';
import { rosenbrock } from '../problems/rosenbrock';
import type { Optimizer } from '../spec/optimizer';
import type { Oracle } from '../spec/oracle';
import { iterate, solve } from './solve';
import {
  allOf,
  anyOf,
  maxIterations,
  metricAbove,
  metricBelow,
  oracleCallsAbove,
  relativeChangeBelow,
  wallTimeAbove,
} from './stop-when';

/** x ← x / 2 each step, reporting `size` = |x|. */
const halving: Optimizer<unknown, { steps: number }> = {
  id: 'test/halving',
  init: () => ({ steps: 0 }),
  step: (x, state) => ({
    x: x.map((v) => v / 2),
    state: { steps: state.steps + 1 },
    info: { size: Math.abs(x[0] / 2) },
  }),
};
const x0 = Float64Array.of(1);

describe('solve: statuses', () => {
  it('converged when a metric falls below its threshold', () => {
    const result = solve(halving, {}, x0, { stopWhen: metricBelow('size', 0.1) });
    expect(result.status).toBe('converged');
    expect(result.converged).toBe(true);
    expect(result.iterations).toBe(4);
    expect(result.message).toContain('size');
  });
  it('max-iterations at the iteration limit', () => {
    const result = solve(halving, {}, x0, { stopWhen: maxIterations(3) });
    expect(result.status).toBe('max-iterations');
    expect(result.iterations).toBe(3);
    expect(result.x[0]).toBe(1 / 8);
  });
  it('numerical-error keeps the last finite iterate and never throws', () => {
    const exploding: Optimizer<unknown, null> = {
      id: 'test/exploding',
      init: () => null,
      step: (x, state) => ({ x: x.map((v) => (v > 3 ? Number.NaN : v + 1)), state, info: {} }),
    };
    const result = solve(exploding, {}, Float64Array.of(0), { stopWhen: maxIterations(100) });
    expect(result.status).toBe('numerical-error');
    expect(result.x[0]).toBe(4);
    expect(result.message).toContain('non-finite');
  });
  it('numerical-error when a metric becomes NaN', () => {
    const nanMetric: Optimizer<unknown, null> = {
      id: 'test/nan-metric',
      init: () => null,
      step: (x, state) => ({ x, state, info: { value: Number.NaN } }),
    };
    const result = solve(nanMetric, {}, x0, { stopWhen: maxIterations(5) });
    expect(result.status).toBe('numerical-error');
    expect(result.message).toContain('value');
  });
  it('stopped-by-observer when onStepEnd returns "stop"', () => {
    const seen: number[] = [];
    const result = solve(halving, {}, x0, {
      stopWhen: maxIterations(100),
      observers: [
        { onStepEnd: ({ iteration }) => (seen.push(iteration), iteration === 2 ? 'stop' : undefined) },
      ],
    });
    expect(result.status).toBe('stopped-by-observer');
    expect(seen).toEqual([1, 2]);
  });
  it('aborted when the AbortSignal fires, after the current step', () => {
    const controller = new AbortController();
    const result = solve(halving, {}, x0, {
      stopWhen: maxIterations(100),
      signal: controller.signal,
      observers: [{ onStepEnd: ({ iteration }) => void (iteration === 3 && controller.abort()) }],
    });
    expect(result.status).toBe('aborted');
    expect(result.iterations).toBe(3);
  });
  it('aborted before the first step when the signal is already aborted', () => {
    const controller = new AbortController();
    controller.abort();
    const result = solve(halving, {}, x0, { signal: controller.signal });
    expect(result.status).toBe('aborted');
    expect(result.iterations).toBe(0);
    expect(Array.from(result.x)).toEqual([1]);
  });
  it('a step may end the run with its own status and message', () => {
    const stalling: Optimizer<unknown, null> = {
      id: 'test/stall',
      init: () => null,
      step: (x, state) => ({ x, state, info: {}, status: 'stalled', message: 'no progress' }),
    };
    const result = solve(stalling, {}, x0);
    expect(result.status).toBe('stalled');
    expect(result.message).toBe('no progress');
  });
  it('diverged when a metric rises above a threshold', () => {
    const doubling: Optimizer<unknown, null> = {
      id: 'test/double',
      init: () => null,
      step: (x, state) => ({ x: x.map((v) => 2 * v), state, info: { size: 2 * x[0] } }),
    };
    expect(
      solve(doubling, {}, x0, { stopWhen: anyOf(metricAbove('size', 100), maxIterations(50)) }).status,
    ).toBe('diverged');
  });
});

describe('solve: budgets and stopping rules', () => {
  it('oracleCallsAbove stops a counted oracle once the budget is spent', () => {
    const oracle = counted(rosenbrock(2));
    const result = solve(gradientDescent(), oracle, Float64Array.of(-1.2, 1), {
      stopWhen: anyOf(oracleCallsAbove(50), maxIterations(10_000)),
    });
    expect(result.status).toBe('max-iterations');
    expect(result.message).toContain('oracle-call budget of 50');
    expect(result.oracleCalls).toBeGreaterThan(50);
    expect(result.oracleCalls).toBe(oracle.totalCalls());
  });
  it('wallTimeAbove with a fake clock stops after the budget', () => {
    let time = 0;
    const result = solve(halving, {}, x0, { stopWhen: wallTimeAbove(25), now: () => (time += 10) });
    expect(result.status).toBe('max-iterations');
    expect(result.message).toContain('wall-time budget of 25 ms');
    // The clock reads 10 at the start, then 20, 30, 40 after steps 1-3: 30 ms elapsed > 25 ms.
    expect(result.iterations).toBe(3);
  });
  it('relativeChangeBelow on the iterate and on a metric', () => {
    expect(solve(halving, {}, x0, { stopWhen: relativeChangeBelow(0.01) }).iterations).toBe(7);
    const constant: Optimizer<unknown, null> = {
      id: 'test/constant',
      init: () => null,
      step: (x, state) => ({ x, state, info: { value: 3 } }),
    };
    expect(
      solve(constant, {}, x0, { stopWhen: anyOf(relativeChangeBelow(1e-12, 'value'), maxIterations(9)) })
        .iterations,
    ).toBe(2);
  });
  it('allOf needs every rule; anyOf needs one', () => {
    const both = solve(halving, {}, x0, {
      stopWhen: anyOf(allOf(metricBelow('size', 0.3), maxIterations(5)), maxIterations(20)),
    });
    expect(both.iterations).toBe(5);
    expect(both.message).toContain('and');
  });
  it('uses the method default stopping rule when none is given', () => {
    const result = solve(lbfgs(), rosenbrock(2), Float64Array.of(-1.2, 1));
    expect(result.status).toBe('converged');
    expect(result.info.gradInfNorm).toBeLessThanOrEqual(1e-5);
  });
});

describe('solve: trace, observers, iterate', () => {
  it('records iteration 0 and every recordEvery-th step, plus the last one', () => {
    const result = solve(halving, {}, x0, { stopWhen: maxIterations(7), recordEvery: 3 });
    expect(result.trace.iteration).toEqual([3, 6, 7]);
    expect(result.trace.metrics.size).toEqual([1 / 8, 1 / 64, 1 / 128]);
  });
  it('records initialInfo as iteration 0', () => {
    const result = solve(lbfgs(), rosenbrock(2), Float64Array.of(-1.2, 1), { stopWhen: maxIterations(3) });
    expect(result.trace.iteration[0]).toBe(0);
    expect(result.trace.metrics.value[0]).toBeCloseTo(24.2, 12);
  });
  it('fills NaN where a metric is absent at some recorded step', () => {
    const alternating: Optimizer<unknown, { k: number }> = {
      id: 'test/alternating',
      init: () => ({ k: 0 }),
      step: (x, s) => ({
        x,
        state: { k: s.k + 1 },
        info: s.k % 2 ? ({ a: s.k } as Record<string, number>) : { a: s.k, b: 1 },
      }),
    };
    const { trace } = solve(alternating, {}, x0, { stopWhen: maxIterations(3) });
    expect(trace.metrics.a).toEqual([0, 1, 2]);
    expect(trace.metrics.b).toEqual([1, Number.NaN, 1]);
  });
  it('calls onSolveStart and onSolveEnd once', () => {
    const calls: string[] = [];
    solve(halving, {}, x0, {
      stopWhen: maxIterations(2),
      seed: 5,
      observers: [
        {
          onSolveStart: (e) => calls.push(`start ${e.methodId} ${e.seed}`),
          onSolveEnd: (r) => calls.push(`end ${r.status}`),
        },
      ],
    });
    expect(calls).toEqual(['start test/halving 5', 'end max-iterations']);
  });
  it('iterate yields one event per step and returns the same result as solve', () => {
    const events: number[] = [];
    const generator = iterate(halving, {}, x0, { stopWhen: maxIterations(4) });
    let next = generator.next();
    while (!next.done) {
      events.push(next.value.iteration);
      next = generator.next();
    }
    expect(events).toEqual([1, 2, 3, 4]);
    expect(next.value.x[0]).toBe(solve(halving, {}, x0, { stopWhen: maxIterations(4) }).x[0]);
  });
  it('never mutates x0', () => {
    const start = Float64Array.of(-1.2, 1);
    solve(lbfgs(), rosenbrock(2), start, { stopWhen: maxIterations(5) });
    expect(Array.from(start)).toEqual([-1.2, 1]);
  });
  it('gives the run seed and method id on the result', () => {
    const result = solve(halving, {}, x0, { stopWhen: maxIterations(1), seed: 99 });
    expect(result.seed).toBe(99);
    expect(result.method.id).toBe('test/halving');
  });
});

describe('solve: bad input', () => {
  const grab = (run: () => unknown): Error => {
    try {
      run();
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected a throw');
  };
  it('rejects x0 that is not a Float64Array', () => {
    const error = grab(() => solve(halving, {}, [1, 2] as never));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toContain('`x0` must be a Float64Array');
  });
  it('rejects NaN in x0, naming the index', () => {
    expect(grab(() => solve(halving, {}, Float64Array.of(0, Number.NaN))).message).toBe(
      'solve(test/halving): `x0` must be finite; got NaN at index 1.',
    );
  });
  it('rejects x0 whose length differs from the problem dimension', () => {
    expect(grab(() => solve(lbfgs(), rosenbrock(3), Float64Array.of(1, 2))).message).toBe(
      'solve(core/lbfgs): `x0` has length 2 but the problem has dimension 3.',
    );
  });
  it('rejects a problem lacking a needed capability', () => {
    const valueOnly = { dimension: 1, value: (x: Float64Array) => x[0] } as unknown as Oracle<
      'value' | 'grad'
    >;
    expect(grab(() => solve(lbfgs(), valueOnly, x0, { needs: ['value', 'grad'] })).message).toContain(
      'lacks the oracle capabilities grad',
    );
  });
  it('rejects a negative recordEvery', () => {
    expect(grab(() => solve(halving, {}, x0, { recordEvery: -1 })).message).toContain(
      '`recordEvery` must be a non-negative integer',
    );
  });
  it('maxIterations and metricBelow reject nonsense thresholds', () => {
    expect(() => maxIterations(-1)).toThrowError(/non-negative integer; got -1/);
    expect(() => metricBelow('gradNorm', -1)).toThrowError(/must be >= 0; got -1/);
  });
});

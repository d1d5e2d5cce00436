import { describe, expect, it } from 'vitest';
import { sequence } from '../compose/sequence';
import {
  ArgminError,
  InvalidArgumentError,
  InvalidOptionsError,
  ResourceLimitError,
} from '../errors/argmin-error';
import { gradientDescent } from '../methods/gradient-descent';
import { lbfgs } from '../methods/lbfgs';
import { rosenbrock } from '../problems/rosenbrock';
import type { Optimizer } from '../spec/optimizer';
import { isDeepFinite, StateSnapshot } from './snapshot';
import { iterate, solve } from './solve';
import {
  allOf,
  anyOf,
  maxIterations,
  metricAbove,
  metricBelow,
  oracleCallsAbove,
  relativeChangeBelow,
  unboundedIterationCap,
  wallTimeAbove,
} from './stop-when';

/** Issue 13, causes 3, 4, 5 and 8 as they apply to core's run loop. */

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** x ← x + 1 each step, with a state holding a counter and a buffer x₀ + k. */
const counter: Optimizer<unknown, { k: number; buffer: Float64Array }> = {
  id: 'test/counter',
  init: (x0) => ({ k: 0, buffer: x0.slice() }),
  step: (x, state) => {
    for (let i = 0; i < state.buffer.length; i++) state.buffer[i] += 1;
    return {
      x: x.map((v) => v + 1),
      state: { k: state.k + 1, buffer: state.buffer },
      info: { k: state.k + 1 },
    };
  },
};
const x0 = Float64Array.of(0, 0);

describe('solve: unchecked arguments are named errors (cause 3)', () => {
  it('stopWhen that is not a rule, e.g. the number 5', () => {
    const error = thrown(() => solve(counter, {}, x0, { stopWhen: 5 as never }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe('stopWhen');
    expect((error as Error).message).toMatch(/stopWhen.*maxIterations\(100\).*got 5/);
  });
  it('observers that are not an array of objects with function hooks', () => {
    for (const observers of [5, [5], [null], [{ onStepEnd: 5 }], 'all']) {
      const error = thrown(() => solve(counter, {}, x0, { observers: observers as never }));
      expect(InvalidArgumentError.isInstance(error), String(observers)).toBe(true);
      expect((error as InvalidArgumentError).argument).toMatch(/^observers/);
    }
  });
  it('an unknown option key names the key and suggests stopWhen for scipy spellings', () => {
    const error = thrown(() => solve(counter, {}, x0, { maxiter: 5 } as never));
    expect(InvalidOptionsError.isInstance(error)).toBe(true);
    expect((error as InvalidOptionsError).issues[0].path).toBe('maxiter');
    expect((error as Error).message).toContain('did you mean `stopWhen`');
    const callback = thrown(() => solve(counter, {}, x0, { callback: () => {} } as never));
    expect((callback as Error).message).toContain('did you mean `observers`');
  });
  it('options that are not an object, a bad seed, rng, signal, clock or needs', () => {
    const cases: [unknown, string][] = [
      [null, 'options'],
      [5, 'options'],
      [{ seed: -1 }, 'seed'],
      [{ seed: 1.5 }, 'seed'],
      [{ seed: '7' }, 'seed'],
      [{ rng: {} }, 'rng'],
      [{ signal: 5 }, 'signal'],
      [{ now: 5 }, 'now'],
      [{ needs: 'grad' }, 'needs'],
      [{ recordEvery: -1 }, 'recordEvery'],
    ];
    for (const [options, argument] of cases) {
      const error = thrown(() => solve(counter, {}, x0, options as never));
      expect(InvalidArgumentError.isInstance(error), JSON.stringify(options)).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe(argument);
    }
  });
  it('iterate validates when called, not at the first next()', () => {
    const error = thrown(() => iterate(counter, {}, x0, { stopWhen: 5 as never }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
  });
  it('an optimizer that is not one', () => {
    for (const optimizer of [undefined, null, 5, {}, { init: () => 0 }]) {
      expect(InvalidArgumentError.isInstance(thrown(() => solve(optimizer as never, {}, x0)))).toBe(true);
    }
  });
  it('a method whose step returns an iterate of the wrong length is reported as a method bug', () => {
    const shrinking: Optimizer<unknown, null> = {
      id: 'test/shrinking',
      init: () => null,
      step: (x, state) => ({ x: x.subarray(1), state, info: {} }),
    };
    const error = thrown(() => solve(shrinking, {}, x0, { stopWhen: maxIterations(3) }));
    expect(ArgminError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('length 1, expected length 2');
  });
});

describe('solve: non-finite results carry a failure status with the last finite x and state (causes 4, 5)', () => {
  it('a step that overwrites its state in place with NaN returns the state from before that step', () => {
    const poisoning: Optimizer<unknown, { moment: Float64Array; k: number }> = {
      id: 'test/poisoning',
      init: (x) => ({ moment: x.slice(), k: 0 }),
      step: (x, state) => {
        const bad = state.k === 3;
        for (let i = 0; i < state.moment.length; i++)
          state.moment[i] = bad ? Number.NaN : state.moment[i] + 1;
        const next = x.map((v) => (bad ? Number.NaN : v + 1));
        return { x: next, state: { moment: state.moment, k: state.k + 1 }, info: {} };
      },
    };
    const result = solve(poisoning, {}, x0, { stopWhen: maxIterations(10) });
    expect(result.status).toBe('numerical-error');
    expect(result.iterations).toBe(4);
    expect(Array.from(result.x)).toEqual([3, 3]);
    expect(result.state.k).toBe(3);
    expect(Array.from(result.state.moment)).toEqual([3, 3]);
    expect(result.message).toContain('last finite iterate and state');
  });
  it('a step that commits NaN into state while its iterate is still finite is a numerical error', () => {
    const sneaky: Optimizer<unknown, { average: number }> = {
      id: 'test/sneaky',
      init: () => ({ average: 0 }),
      step: (x, state) => ({
        x: x.map((v) => v + 1),
        state: { average: x[0] >= 2 ? Number.NaN : state.average + 1 },
        info: {},
      }),
    };
    const result = solve(sneaky, {}, x0, { stopWhen: maxIterations(10) });
    expect(result.status).toBe('numerical-error');
    expect(result.message).toContain('state.average');
    expect(result.state).toEqual({ average: 2 });
    expect(Array.from(result.x)).toEqual([2, 2]);
  });
  it('a method that writes NaN into the iterate it was given still returns a finite x', () => {
    const vandal: Optimizer<unknown, { k: number }> = {
      id: 'test/vandal',
      init: () => ({ k: 0 }),
      step: (x, state) => {
        const next = x.map((v) => v + 1);
        if (state.k === 2) x.fill(Number.NaN); // breaks the contract, and returns NaN
        return { x: state.k === 2 ? x : next, state: { k: state.k + 1 }, info: {} };
      },
    };
    const result = solve(vandal, {}, x0, { stopWhen: maxIterations(10) });
    expect(result.status).toBe('numerical-error');
    expect(Array.from(result.x)).toEqual([2, 2]);
  });
  it('a problem that is NaN at x0 ends at once with x0 and no step', () => {
    const nanAtStart = {
      dimension: 2,
      value: () => Number.NaN,
      grad: (_x: Float64Array, out: Float64Array) => out.fill(Number.NaN),
    };
    const result = solve(lbfgs(), nanAtStart, x0, { stopWhen: maxIterations(10) });
    expect(result.status).toBe('numerical-error');
    expect(result.iterations).toBe(0);
    expect(Array.from(result.x)).toEqual([0, 0]);
    expect(result.state).toBeUndefined();
  });
  it('L-BFGS and gradient descent on an objective whose gradient turns NaN mid-run', () => {
    for (const method of [lbfgs(), gradientDescent()]) {
      const f = rosenbrock(2);
      let calls = 0;
      const turning = {
        dimension: 2,
        value: (x: Float64Array) => f.value(x),
        grad: (x: Float64Array, out: Float64Array) => (++calls > 6 ? out.fill(Number.NaN) : f.grad(x, out)),
      };
      const result = solve(method, turning, Float64Array.of(-1.2, 1), { stopWhen: maxIterations(100) });
      expect(['numerical-error', 'stalled']).toContain(result.status);
      expect(Array.from(result.x).every(Number.isFinite)).toBe(true);
      expect(isDeepFinite(result.state)).toBe(true);
    }
  });
  it('±Infinity in state is allowed (λ = ∞ at σ = 0, an unset best-so-far); NaN anywhere is not', () => {
    expect(
      isDeepFinite({ points: [{ lambda: Number.POSITIVE_INFINITY }], best: Number.NEGATIVE_INFINITY }),
    ).toBe(true);
    expect(isDeepFinite({ points: [{ lambda: Number.NaN }] })).toBe(false);
    expect(isDeepFinite({ moment: Float64Array.of(1, Number.NaN) })).toBe(false);
    expect(isDeepFinite({ moment: Float64Array.of(1, Number.POSITIVE_INFINITY) })).toBe(true);
    const grid: Optimizer<unknown, { levels: { lambda: number }[]; k: number }> = {
      id: 'test/grid',
      init: () => ({ levels: [{ lambda: 1 }, { lambda: Number.POSITIVE_INFINITY }], k: 0 }),
      step: (x, state) => ({ x: x.map((v) => v + 1), state: { ...state, k: state.k + 1 }, info: {} }),
    };
    expect(solve(grid, {}, x0, { stopWhen: maxIterations(3) }).status).toBe('max-iterations');
  });
  it('the state snapshot reuses its buffers between steps and keeps aliasing', () => {
    const snapshot = new StateSnapshot();
    const buffer = Float64Array.of(1, 2);
    const state = { a: buffer, b: buffer, list: [buffer, 3], n: 4 };
    snapshot.take(state);
    buffer[0] = 9;
    snapshot.take(state);
    const copy = snapshot.release() as typeof state;
    expect(copy.a).not.toBe(buffer);
    expect(copy.a).toBe(copy.b);
    expect(copy.list[0]).toBe(copy.a);
    expect(Array.from(copy.a)).toEqual([9, 2]);
    expect(copy.n).toBe(4);
  });
});

describe('stopping rules (cause 8)', () => {
  it('maxIterations(0) takes no step and returns x0', () => {
    let steps = 0;
    const spy: Optimizer<unknown, null> = {
      id: 'test/spy',
      init: () => null,
      step: (x, state) => {
        steps++;
        return { x: x.map((v) => v + 1), state, info: {} };
      },
    };
    for (const stopWhen of [maxIterations(0), anyOf(metricBelow('k', 0), maxIterations(0))]) {
      const result = solve(spy, {}, Float64Array.of(3), { stopWhen });
      expect(result.status).toBe('max-iterations');
      expect(result.iterations).toBe(0);
      expect(Array.from(result.x)).toEqual([3]);
    }
    expect(steps).toBe(0);
  });
  it('nonsense thresholds are named errors', () => {
    const cases: [() => unknown, string][] = [
      [() => relativeChangeBelow(Number.NaN), 'tolerance'],
      [() => relativeChangeBelow(-1), 'tolerance'],
      [() => relativeChangeBelow(1e-3, ''), 'metric'],
      [() => wallTimeAbove(-1), 'milliseconds'],
      [() => wallTimeAbove(Number.NaN), 'milliseconds'],
      [() => oracleCallsAbove(Number.NaN), 'n'],
      [() => oracleCallsAbove(-5), 'n'],
      [() => metricBelow(5 as never, 1), 'metric'],
      [() => metricAbove('value', Number.NaN), 'threshold'],
      [() => metricAbove('value', 1, 'exploded' as never), 'status'],
      [() => maxIterations(Number.POSITIVE_INFINITY), 'n'],
      [() => anyOf(maxIterations(3), 5 as never), 'conditions[1]'],
      [() => allOf(undefined as never), 'conditions[0]'],
    ];
    for (const [make, argument] of cases) {
      const error = thrown(make);
      expect(InvalidArgumentError.isInstance(error), make.toString()).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe(argument);
    }
  });
  it('a metric name nobody reports (gradnorm) warns once on the result', () => {
    const result = solve(lbfgs(), rosenbrock(2), Float64Array.of(-1.2, 1), {
      stopWhen: anyOf(metricBelow('gradnorm', 1e-8), metricAbove('gradnorm', 1e9), maxIterations(30)),
    });
    const unknown = result.warnings.filter((w) => w.type === 'unknown-metric');
    expect(unknown).toHaveLength(1);
    expect(unknown[0].message).toContain('"gradnorm"');
    expect(unknown[0].message).toContain('did you mean "gradNorm"');
    const fine = solve(lbfgs(), rosenbrock(2), Float64Array.of(-1.2, 1), {
      stopWhen: anyOf(metricBelow('gradNorm', 1e-8), maxIterations(30)),
    });
    expect(fine.warnings.filter((w) => w.type === 'unknown-metric')).toHaveLength(0);
  });
  it('rules know their bounds: iteration limits and boundedness compose through anyOf/allOf', () => {
    expect(maxIterations(7).iterationLimit).toBe(7);
    expect(anyOf(metricBelow('a', 1), maxIterations(7), maxIterations(3)).iterationLimit).toBe(3);
    expect(anyOf(metricBelow('a', 1)).bounded).toBe(false);
    expect(anyOf(metricBelow('a', 1), wallTimeAbove(10)).bounded).toBe(true);
    expect(allOf(metricBelow('a', 1), maxIterations(3)).bounded).toBe(false);
    expect(allOf(maxIterations(5), maxIterations(3)).iterationLimit).toBe(5);
    expect(wallTimeAbove(Number.POSITIVE_INFINITY).bounded).toBe(false);
  });
  it('a run with no finite stopping rule stops at the documented cap with a warning', () => {
    const idle: Optimizer<unknown, null> = {
      id: 'test/idle',
      init: () => null,
      step: (x, state) => ({ x, state, info: { size: 1 } }),
    };
    const result = solve(idle, {}, Float64Array.of(1), {
      stopWhen: metricBelow('size', 0.5),
      recordEvery: 0,
    });
    expect(result.status).toBe('max-iterations');
    expect(result.iterations).toBe(unboundedIterationCap);
    expect(result.warnings.map((w) => w.type)).toContain('iteration-cap');
  }, 20_000);
  it('a sequence stage rule and the top-level rule both apply; the first to fire wins', () => {
    const stage = { name: 'count', optimizer: counter, stopWhen: maxIterations(5) };
    const topFirst = solve(sequence([stage]), {}, x0, { stopWhen: maxIterations(3) });
    expect(topFirst.iterations).toBe(3);
    const stageFirst = solve(sequence([stage]), {}, x0, { stopWhen: maxIterations(10) });
    expect(stageFirst.iterations).toBe(5);
    expect(stageFirst.message).toContain('stage "count"');
    const twoStages = solve(
      sequence([stage, { name: 'more', optimizer: counter, stopWhen: metricAbove('k', 2, 'converged') }]),
      {},
      x0,
      { stopWhen: maxIterations(100) },
    );
    expect(twoStages.iterations).toBe(7);
  });
  it('a sequence stage with maxIterations(0) is skipped (the last stage always runs)', () => {
    const twoStages = solve(
      sequence([
        { name: 'none', optimizer: counter, stopWhen: maxIterations(0) },
        { name: 'four', optimizer: counter, stopWhen: maxIterations(4) },
        { name: 'none-again', optimizer: counter, stopWhen: maxIterations(0) },
      ]),
      {},
      x0,
      { stopWhen: maxIterations(100) },
    );
    expect(twoStages.iterations).toBe(4);
    expect(twoStages.message).toContain('stage "four"');
    expect(twoStages.state.finished.map((f) => [f.name, f.iterations])).toEqual([
      ['none', 0],
      ['four', 4],
    ]);
  });
  it('sequence rejects malformed stages with named errors', () => {
    for (const stages of [
      5,
      [5],
      [{ name: '', optimizer: counter }],
      [{ name: 'a', optimizer: {} }],
      [{ name: 'a', optimizer: counter, stopWhen: 3 }],
    ]) {
      expect(
        InvalidArgumentError.isInstance(thrown(() => sequence(stages as never))),
        JSON.stringify(stages),
      ).toBe(true);
    }
  });
});

describe('core methods: buffer sizes are checked before allocating (cause 7)', () => {
  it('lbfgs memory 1e8 is refused with a ResourceLimitError naming the bytes and the fix', () => {
    const started = Date.now();
    const error = thrown(() => solve(lbfgs({ memory: 1e8 }), rosenbrock(2), Float64Array.of(-1.2, 1)));
    expect(ResourceLimitError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('setResourceLimits');
    expect((error as ResourceLimitError).requestedBytes).toBeGreaterThan(3e9);
    expect(Date.now() - started).toBeLessThan(1000);
  });
  it('integer options that size loops or buffers must be positive finite integers', () => {
    for (const options of [
      { memory: 0 },
      { memory: 2.5 },
      { memory: Number.POSITIVE_INFINITY },
      { maxLineSearchSteps: Number.NaN },
      { maxIterations: -1 },
    ]) {
      expect(InvalidOptionsError.isInstance(thrown(() => lbfgs(options))), JSON.stringify(options)).toBe(
        true,
      );
    }
    for (const options of [
      { maxBacktracks: 0 },
      { maxBacktracks: Number.POSITIVE_INFINITY },
      { maxIterations: 1.5 },
    ]) {
      expect(
        InvalidOptionsError.isInstance(thrown(() => gradientDescent(options))),
        JSON.stringify(options),
      ).toBe(true);
    }
  });
});

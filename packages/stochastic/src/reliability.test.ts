import {
  ArgminError,
  chain,
  createRng,
  InvalidArgumentError,
  InvalidOptionsError,
  maxIterations,
  type Oracle,
  ResourceLimitError,
  scaleBy,
  solve,
  type Vec,
} from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { logisticLoss, separableData } from './large-step';
import { mfacState, mfacStatic, mfacUpdate, scaleByMfac } from './mfac';
import { adahessian, adam, adamw, mfac, proxSgdFromOptions, sgd } from './optimizers';
import { lasso, noisyQuadratic, scaledLogisticRegression } from './problems';
import { proxSgd, type StepRule } from './prox-sgd';
import {
  constantSchedule,
  cosineDecaySchedule,
  joinSchedules,
  linearSchedule,
  piecewiseConstantSchedule,
  refinedSchedule,
  refinementBound,
  warmupCosineDecaySchedule,
  warmupLinearDecaySchedule,
} from './schedules';
import { addDecayedWeights, applyUpdates, scaleByAdahessian, scaleByAdam, trace } from './transforms';

/** Runs f and returns the named ArgminError it throws (fails when it throws nothing or something else). */
function namedError(f: () => unknown): ArgminError {
  try {
    f();
  } catch (error) {
    if (ArgminError.isInstance(error)) return error;
    throw new Error(`expected a named ArgminError, got ${String(error)}`);
  }
  throw new Error('expected a named ArgminError, nothing was thrown');
}

/** Every number reachable in a state (Float64Arrays, nested objects and arrays). */
function numbersIn(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (value instanceof Float64Array) out.push(...value);
  else if (Array.isArray(value)) for (const v of value) numbersIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) numbersIn(v, out);
  return out;
}
const allFinite = (value: unknown) => numbersIn(value).every(Number.isFinite);

describe('options go through parseOptions: InvalidOptionsError naming the key, with optax/PyTorch spellings', () => {
  it('lr → learningRate, weight_decay → weightDecay, b1 → beta1, eps → epsilon', () => {
    const cases: [() => unknown, string, string][] = [
      [() => adam({ lr: 0.1 } as never), 'lr', 'learningRate'],
      [() => adamw({ weight_decay: 0.1 } as never), 'weight_decay', 'weightDecay'],
      [() => adam({ b1: 0.8 } as never), 'b1', 'beta1'],
      [() => adahessian({ eps: 1e-3 } as never), 'eps', 'epsilon'],
      [() => sgd({ lr: 0.1 } as never), 'lr', 'learningRate'],
      [() => mfac({ lr: 0.1 } as never), 'lr', 'learningRate'],
    ];
    for (const [make, key, suggestion] of cases) {
      const error = namedError(make);
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect(error.message).toContain(key);
      expect(error.message).toContain(`did you mean \`${suggestion}\``);
    }
  });
  it('integer options that size buffers or loops are validated (window, horizon, blockSize)', () => {
    for (const make of [
      () => mfac({ window: 0 }),
      () => mfac({ window: 2.5 }),
      () => mfac({ window: Number.NaN }),
      () => proxSgdFromOptions({ horizon: 0 }),
      () => adahessian({ blockSize: 1.5 }),
      () => adahessian({ blockSize: 0 }),
      () => sgd({ momentum: 1 }),
      () => adam({ learningRate: Number.NaN }),
    ])
      expect(namedError(make)).toBeInstanceOf(InvalidOptionsError);
    expect(namedError(() => scaleByAdahessian({ blockSize: 0 }))).toBeInstanceOf(InvalidArgumentError);
  });
});

describe('a step never commits non-finite values into state; a failure returns the last finite state', () => {
  const poisoned: Oracle<'sampleGrad' | 'grad' | 'hvp' | 'value'> = {
    dimension: 3,
    value: (x) => x[0] ** 2 + x[1] ** 2 + x[2] ** 2,
    grad: (x, out) => {
      for (let i = 0; i < 3; i++) out[i] = x[0] > 0.3 ? Number.NaN : 2 * x[i] - 1;
      return out;
    },
    sampleGrad(x, _rng, out) {
      return this.grad(x, out);
    },
    hvp: (_x, v, out) => {
      for (let i = 0; i < 3; i++) out[i] = 2 * v[i];
      return out;
    },
  };
  for (const [name, make] of [
    ['adam', () => adam({ learningRate: 0.2 })],
    ['sgd with momentum', () => sgd({ learningRate: 0.2, momentum: 0.9 })],
    ['adahessian (full batch)', () => adahessian({ learningRate: 0.2, gradient: 'grad' })],
    ['m-fac', () => mfac({ learningRate: 0.2, damping: 1e-2, window: 4 })],
    ['prox-sgd', () => proxSgdFromOptions({ stepRule: 'inverse-sqrt', scale: 0.2 })],
  ] as const) {
    it(`${name}: NaN gradients end with 'numerical-error', a finite x and a finite state`, () => {
      const result = solve(make(), poisoned, Float64Array.of(0, 0, 0), {
        stopWhen: maxIterations(200),
        seed: 1,
      });
      expect(result.status).toBe('numerical-error');
      expect(Array.from(result.x).every(Number.isFinite)).toBe(true);
      expect(result.state).toBeDefined();
      expect(allFinite(result.state)).toBe(true);
    });
  }
  it('driven directly: a NaN gradient leaves Adam moments, momentum traces and the M-FAC window unchanged', () => {
    const params = Float64Array.of(1, 2);
    const bad = Float64Array.of(Number.NaN, 1);
    for (const transform of [
      scaleByAdam(),
      trace({ decay: 0.9 }),
      scaleByMfac({ window: 3, damping: 1e-2 }),
    ]) {
      // Core's GradientTransformation type still lists the context as required; these ignore it.
      const update = transform.update as (g: Vec, s: unknown, p: Vec) => { updates: Vec; state: unknown };
      let state = transform.init(params) as unknown;
      state = update(Float64Array.of(0.5, -1), state, params).state;
      const before = JSON.stringify(numbersIn(state));
      const out = update(bad.slice(), state, params);
      expect(JSON.stringify(numbersIn(out.state))).toBe(before);
      expect(Number.isNaN(out.updates[0])).toBe(true);
    }
  });
  it('AdaHessian: a non-finite Hessian probe commits nothing and returns NaN updates', () => {
    const transform = scaleByAdahessian();
    const params = Float64Array.of(1, 2);
    const state = transform.init(params);
    const nanHvp = { dimension: 2, hvp: (_x: Vec, _v: Vec, out: Vec) => out.fill(Number.NaN) };
    const out = transform.update(Float64Array.of(1, 1), state, params, {
      rng: createRng(0),
      iteration: 0,
      oracle: nanHvp as never,
    });
    expect(Array.from(out.updates).every(Number.isNaN)).toBe(true);
    expect(out.state.count).toBe(0);
    expect(allFinite([out.state.mu, out.state.nu])).toBe(true);
  });
  it('prox-SGD: a non-finite step leaves the average and the step count unchanged', () => {
    const optimizer = proxSgd({ steps: { kind: 'inverse-sqrt', scale: 0.1 } });
    const context = { rng: createRng(0), warn: () => undefined };
    const state = optimizer.init(Float64Array.of(1, 1), poisoned, context);
    const step = optimizer.step(Float64Array.of(1, 1), state, poisoned, context);
    expect(step.state.iteration).toBe(0);
    expect(Array.from(step.state.average)).toEqual([1, 1]);
  });
});

describe('silent NaN from unchecked inputs is a named error', () => {
  it('mfacUpdate with a NaN or overflowing gradient (the window is unchanged)', () => {
    const state = mfacUpdate(mfacState(3, { window: 2, damping: 1e-2 }), Float64Array.of(1, 2, 3));
    const before = Array.from(state.gradients);
    expect(namedError(() => mfacUpdate(state, Float64Array.of(1, Number.NaN, 3))).message).toMatch(
      /gradient must be finite \(entry 1\)/,
    );
    expect(namedError(() => mfacUpdate(state, Float64Array.of(1e200, 0, 0))).message).toMatch(/overflows/);
    expect(Array.from(state.gradients)).toEqual(before);
    expect(
      namedError(() => mfacStatic({ rows: 1, cols: 2, data: Float64Array.of(1, Number.NaN) })).message,
    ).toMatch(/finite/);
  });
  it('schedules built from NaN or infinite values', () => {
    for (const make of [
      () => constantSchedule(Number.NaN),
      () => linearSchedule(Number.NaN, 0, 10),
      () => linearSchedule(1, Number.POSITIVE_INFINITY, 10),
      () => cosineDecaySchedule(Number.NaN, 10),
      () => cosineDecaySchedule(1, Number.NaN),
      () => warmupCosineDecaySchedule(0, Number.NaN, 10, 100),
      () => warmupLinearDecaySchedule(0, 1, Number.NaN, 100),
      () => piecewiseConstantSchedule(Number.NaN, { 10: 0.1 }),
      () => piecewiseConstantSchedule(1, { 10: Number.NaN }),
      () => joinSchedules([() => 1, () => 2], [Number.NaN]),
      () => refinedSchedule([1, 2, 3], { baseRate: Number.NaN }),
      () => refinementBound([1, Number.NaN], [1, 1]),
      () => refinementBound([1, 1], [1, Number.POSITIVE_INFINITY]),
    ])
      expect(namedError(make)).toBeInstanceOf(InvalidArgumentError);
  });
  it('a malformed step rule', () => {
    const rules: unknown[] = [
      { kind: 'bogus', scale: 1 },
      { kind: 'inverse-sqrt' },
      { kind: 'inverse-sqrt', scale: Number.NaN },
      { kind: 'constant', scale: 1, horizon: 0 },
      { kind: 'constant', scale: 1, horizon: 2.5 },
      { kind: 'inverse-linear', strongConvexity: -1 },
      { kind: 'inverse-linear', strongConvexity: 1, offset: Number.NaN },
      { kind: 'inverse-sqrt', scale: 1, smoothness: 0 },
      null,
    ];
    for (const steps of rules)
      expect(namedError(() => proxSgd({ steps: steps as StepRule })).message).toMatch(/steps/);
  });
});

describe('size guards: allocations sized by user input go through assertAllocation', () => {
  it('an M-FAC state of dimension 1e9 (or window 1e6) is a ResourceLimitError before anything is allocated', () => {
    expect(namedError(() => mfacState(1e9, { window: 32 }))).toBeInstanceOf(ResourceLimitError);
    expect(namedError(() => mfacState(1000, { window: 1e6 }))).toBeInstanceOf(ResourceLimitError);
    const error = namedError(() =>
      solve(
        mfac({ window: 1e6 }),
        { dimension: 1000, sampleGrad: (_x, _r, out) => out.fill(1) },
        new Float64Array(1000),
        {
          stopWhen: maxIterations(1),
        },
      ),
    );
    expect(error).toBeInstanceOf(ResourceLimitError);
    expect(error.message).toMatch(/window 1000000/);
  });
});

describe('data generators refuse sizes over the budget and loops that would not end', () => {
  it('generators sized by user input go through assertAllocation; a huge margin is refused, not looped on', () => {
    const rng = createRng(0);
    expect(namedError(() => scaledLogisticRegression({ samples: 1e6, dimension: 1e5, rng }))).toBeInstanceOf(
      ResourceLimitError,
    );
    expect(
      namedError(() => noisyQuadratic({ dimension: 1e6, conditionNumber: 10, rotated: true, rng })),
    ).toBeInstanceOf(ResourceLimitError);
    expect(
      namedError(() => lasso({ samples: 1e6, dimension: 1e5, sparsity: 1, regularization: 0.1, rng })),
    ).toBeInstanceOf(ResourceLimitError);
    expect(namedError(() => separableData(10, 3, { margin: 50, rng })).message).toMatch(/margin/);
    expect(namedError(() => separableData(0, 3, { rng }))).toBeInstanceOf(InvalidArgumentError);
  });
  it('logisticLoss called with a parameter vector of the wrong length', () => {
    const loss = logisticLoss(separableData(10, 3, { rng: createRng(1) }));
    expect(namedError(() => loss.value(new Float64Array(3))).message).toMatch(/length 4/);
  });
});

describe('optax-style use without a context', () => {
  it('tx.update(grads, state, params) works for the stochastic transformations, and applyUpdates adds the updates', () => {
    const tx = chain(scaleByAdam(), addDecayedWeights(1e-2), trace({ decay: 0.5 }), scaleBy(-0.1));
    let params: Vec = Float64Array.of(1, -2);
    let state = tx.init(params);
    const grads = Float64Array.of(0.5, -0.25);
    for (let t = 0; t < 3; t++) {
      const { updates, state: next } = (
        tx.update as (g: Vec, s: typeof state, p: Vec) => { updates: Vec; state: typeof state }
      )(grads.slice(), state, params);
      state = next;
      params = applyUpdates(params, updates);
    }
    // Adam's first update is sign(g) (bias-corrected), so every step moves against the gradient.
    expect(params[0]).toBeLessThan(1);
    expect(params[1]).toBeGreaterThan(-2);
    expect(Array.from(applyUpdates(Float64Array.of(1, 2), Float64Array.of(0.5, -1)))).toEqual([1.5, 1]);
    expect(namedError(() => applyUpdates(Float64Array.of(1, 2), Float64Array.of(1)))).toBeInstanceOf(
      InvalidArgumentError,
    );
  });
  it('AdaHessian without a context says what it needs', () => {
    const tx = scaleByAdahessian();
    const params = Float64Array.of(1, 2);
    const update = tx.update as (g: Vec, s: unknown, p: Vec) => unknown;
    expect(namedError(() => update(Float64Array.of(1, 1), tx.init(params), params)).message).toMatch(
      /needs its context \{ rng, oracle \}/,
    );
  });
});

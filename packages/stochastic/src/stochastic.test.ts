import {
  chain,
  createRng,
  type GradientTransformation,
  InvalidArgumentError,
  logisticRegression,
  MissingCapabilityError,
  maxIterations,
  type Oracle,
  randomLogisticRegression,
  solve,
} from '@argmin/core';
import { expectAllClose } from '@argmin/core/testing';
import { describe, expect, it } from 'vitest';
import reference from './__fixtures__/optimizer-reference.json';
import { mfacApply, mfacDiagonal, mfacOperator, mfacState, mfacUpdate } from './mfac';
import { adahessian, adam, adamw, mfac, sgd } from './optimizers';
import { proxBox, proxL1, proxL2Ball, stepSize } from './prox-sgd';
import {
  cosineDecaySchedule,
  linearSchedule,
  piecewiseConstantSchedule,
  refinedSchedule,
  warmupCosineDecaySchedule,
} from './schedules';
import { stateFromJson, stateToJson } from './state';
import {
  addDecayedWeights,
  clip,
  clipByGlobalNorm,
  scaleByAdahessian,
  scaleByAdam,
  trace,
} from './transforms';

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, relative = 1e-12, label = 'values') =>
  expect(() => expectAllClose(actual, expected, { relative, absolute: 1e-15, label })).not.toThrow();
const d = reference.x0.length;
const H = Float64Array.from(reference.hessian);
const quadraticHvp: Oracle<'hvp'> = {
  dimension: d,
  hvp: (_x, v, out) => {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += H[i * d + j] * v[j];
      out[i] = s;
    }
    return out;
  },
};

/** Runs a transformation + learning rate on the fixture's gradient sequence; returns the iterates. */
function replay<S>(transform: GradientTransformation<S>, learningRate: number, seed = 0): number[][] {
  const x = Float64Array.from(reference.x0);
  let state = transform.init(x);
  const rng = createRng(seed);
  return reference.gradients.map((g, iteration) => {
    const { updates, state: next } = transform.update(Float64Array.from(g), state, x, {
      rng,
      iteration,
      oracle: quadraticHvp as never,
    });
    state = next;
    for (let i = 0; i < d; i++) x[i] -= learningRate * updates[i];
    return Array.from(x);
  });
}

describe('parity with numpy transcriptions of optax / PyTorch / the AdaHessian code (generate-optimizer-reference.py)', () => {
  const check = (actual: number[][], expected: number[][], label: string) => {
    actual.forEach((x, t) => {
      close(x, expected[t], 1e-12, `${label}, step ${t + 1}`);
    });
  };
  it('Adam (optax.scale_by_adam, bias-corrected)', () =>
    check(replay(scaleByAdam({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }), 1e-2), reference.adam, 'adam'));
  it('Adam with eps_root', () =>
    check(
      replay(scaleByAdam({ beta1: 0.9, beta2: 0.99, epsilon: 1e-6, epsilonRoot: 1e-8 }), 1e-2),
      reference.adamEpsRoot,
      'adam eps_root',
    ));
  it('AdamW (decoupled decay, optax.adamw = PyTorch AdamW)', () =>
    check(replay(chain(scaleByAdam(), addDecayedWeights(1e-2)), 1e-2), reference.adamw, 'adamw'));
  it('SGD with momentum (PyTorch, dampening 0)', () =>
    check(replay(trace({ decay: 0.9 }), 0.1), reference.sgdMomentum, 'momentum'));
  it('SGD with Nesterov momentum', () =>
    check(replay(trace({ decay: 0.9, nesterov: true }), 0.1), reference.sgdNesterov, 'nesterov'));
  it('AdaHessian (k = 1) with the same Rademacher probes', () =>
    check(replay(scaleByAdahessian(), 0.15, 5), reference.adahessian, 'adahessian'));
  it('AdaHessian (k = 0.5, decoupled weight decay)', () =>
    check(
      replay(chain(scaleByAdahessian({ hessianPower: 0.5 }), addDecayedWeights(1e-3)), 1, 5),
      reference.adahessianHalfPower,
      'adahessian k=0.5',
    ));
});

describe('AdaHessian with minibatches against the numpy transcription that uses the same batches (generate-optimizer-reference.py)', () => {
  const fixture = reference.minibatchLogistic;
  const problem = logisticRegression(
    { rows: fixture.rows, cols: fixture.cols, data: Float64Array.from(fixture.features) },
    Float64Array.from(fixture.labels),
    { l2: fixture.l2, batchSize: fixture.batchSize },
  );
  /** Runs the optimizer step by step with the fixture's seed; returns the iterates and the batches drawn. */
  const run = (optimizer: ReturnType<typeof adahessian>, steps: number) => {
    const rng = createRng(fixture.seed);
    const context = { rng, warn: () => {} };
    const batches: number[][] = [];
    const drawBatch = problem.drawBatch;
    const spy = {
      ...problem,
      drawBatch: (r: typeof rng, size?: number) => {
        const batch = drawBatch(r, size);
        batches.push(Array.from(batch.indices));
        return batch;
      },
    };
    let x = Float64Array.from(fixture.w0);
    let state = optimizer.init(x, spy as never, context);
    const iterates: number[][] = [];
    for (let t = 0; t < steps; t++) {
      const step = optimizer.step(x, state, spy as never, context);
      x = Float64Array.from(step.x);
      state = step.state;
      iterates.push(Array.from(x));
    }
    return { iterates, batches };
  };
  const check = (actual: number[][], expected: number[][], label: string) =>
    actual.forEach((x, t) => {
      close(x, expected[t], 1e-12, `${label}, step ${t + 1}`);
    });

  it('the default (Hessian on the gradient’s minibatch) draws the same batches and matches every iterate to 1e-12', () => {
    const { iterates, batches } = run(adahessian(), 8);
    expect(batches).toEqual(fixture.adahessianBatch.batches);
    check(iterates, fixture.adahessianBatch.iterates, 'batch Hessian');
  });
  it("hessian: 'full' keeps the minibatch gradient and takes Hz on all examples", () => {
    check(run(adahessian({ hessian: 'full' }), 8).iterates, fixture.adahessianFull.iterates, 'full Hessian');
  });
  it('the torch-optimizer preset (k = 0.5, lr 1) on minibatches', () => {
    check(
      run(adahessian({ preset: 'torch-optimizer' }), 8).iterates,
      fixture.adahessianBatchHalfPower.iterates,
      'batch Hessian, k = 0.5',
    );
  });
  it('the minibatch and full-Hessian runs differ (the fixture can tell them apart)', () => {
    const last = (rows: number[][]) => rows[rows.length - 1];
    const a = last(fixture.adahessianBatch.iterates);
    const b = last(fixture.adahessianFull.iterates);
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeGreaterThan(1e-3);
  });
});

describe('M-FAC inverse-Fisher products equal a dense solve of (λI + GᵀG/m)⁻¹v', () => {
  function dense(gradients: Float64Array[], window: number, damping: number, v: Float64Array): Float64Array {
    const n = v.length;
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) A[i * n + i] = damping;
    for (const g of gradients)
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] += (g[i] * g[j]) / window;
    // Gaussian elimination (small n).
    const M = Array.from({ length: n }, (_, i) => [...A.subarray(i * n, (i + 1) * n), v[i]]);
    for (let c = 0; c < n; c++) {
      for (let r = c + 1; r < n; r++) {
        const f = M[r][c] / M[c][c];
        for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
      }
    }
    const x = new Float64Array(n);
    for (let r = n - 1; r >= 0; r--) {
      let s = M[r][n];
      for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
      x[r] = s / M[r][r];
    }
    return x;
  }
  const rng = createRng(4);
  const n = 20;
  const window = 6;
  const damping = 1e-2;
  const stream = Array.from({ length: 3 * window + 2 }, () => rng.fillNormal(new Float64Array(n)));
  const v = rng.fillNormal(new Float64Array(n));
  it('at partial fill (fewer than m gradients; the divisor stays m)', () => {
    let state = mfacState(n, { window, damping });
    for (const g of stream.slice(0, 3)) state = mfacUpdate(state, g);
    close(mfacApply(state, v, new Float64Array(n)), dense(stream.slice(0, 3), window, damping, v), 1e-9);
  });
  it('after three wrap-arounds of the ring buffer (sliding window)', () => {
    let state = mfacState(n, { window, damping });
    for (const g of stream) state = mfacUpdate(state, g);
    close(mfacApply(state, v, new Float64Array(n)), dense(stream.slice(-window), window, damping, v), 1e-9);
  });
  it('the diagonal equals the dense inverse’s diagonal, and the operator is symmetric', () => {
    let state = mfacState(n, { window, damping });
    for (const g of stream.slice(0, window)) state = mfacUpdate(state, g);
    const diagonal = mfacDiagonal(state);
    const e = new Float64Array(n);
    for (let q = 0; q < n; q += 7) {
      e.fill(0);
      e[q] = 1;
      expect(diagonal[q]).toBeCloseTo(dense(stream.slice(0, window), window, damping, e)[q], 8);
    }
    const op = mfacOperator(state);
    const u = rng.fillNormal(new Float64Array(n));
    const au = op.apply(u, new Float64Array(n));
    const av = op.apply(v, new Float64Array(n));
    const left = au.reduce((s, x, i) => s + x * v[i], 0);
    const right = av.reduce((s, x, i) => s + x * u[i], 0);
    expect(Math.abs(left - right)).toBeLessThan(1e-8 * Math.abs(left));
  });
  it('rejects window < 1 and damping <= 0', () => {
    expect(() => mfacState(3, { window: 0 })).toThrowError(/window m must be an integer >= 1/);
    expect(() => mfacState(3, { damping: 0 })).toThrowError(/damping λ must be a finite number > 0/);
  });
});

describe('transformations', () => {
  it('a chain of identities is the identity', () => {
    const identity: GradientTransformation<null> = {
      init: () => null,
      update: (updates, state) => ({ updates, state }),
    };
    const g = Float64Array.of(1, -2, 3);
    expect(
      Array.from(
        chain(identity, identity).update(g.slice(), [null, null], g, {
          rng: createRng(0),
          iteration: 0,
          oracle: quadraticHvp as never,
        }).updates,
      ),
    ).toEqual([1, -2, 3]);
  });
  it('clipping by global norm and by value', () => {
    const context = { rng: createRng(0), iteration: 0, oracle: quadraticHvp as never };
    expect(
      Array.from(
        clipByGlobalNorm(1).update(Float64Array.of(3, 4), null, Float64Array.of(0, 0), context).updates,
      ),
    ).toEqual([0.6000000000000001, 0.8]);
    expect(
      Array.from(clip(1).update(Float64Array.of(3, -0.5), null, Float64Array.of(0, 0), context).updates),
    ).toEqual([1, -0.5]);
  });
  it('every transformation state round-trips through JSON and continues identically', () => {
    const transform = chain(scaleByAdam(), trace({ decay: 0.5 }), scaleByAdahessian());
    const x = Float64Array.from(reference.x0);
    let state = transform.init(x);
    const rng = createRng(1);
    const context = (iteration: number) => ({ rng, iteration, oracle: quadraticHvp as never });
    state = transform.update(Float64Array.from(reference.gradients[0]), state, x, context(0)).state;
    const copy = stateFromJson<typeof state>(JSON.parse(JSON.stringify(stateToJson(state))));
    const rngCopy = rng.clone();
    const a = transform.update(Float64Array.from(reference.gradients[1]), state, x, context(1)).updates;
    const b = transform.update(Float64Array.from(reference.gradients[1]), copy, x, {
      rng: rngCopy,
      iteration: 1,
      oracle: quadraticHvp as never,
    }).updates;
    expect(Array.from(b)).toEqual(Array.from(a));
  });
  it('bad options are named errors', () => {
    expect(() => scaleByAdam({ beta1: 1 })).toThrowError(InvalidArgumentError);
    expect(() => adam({ learningRate: 0 })).toThrowError(/learningRate/);
    expect(() => sgd({ learningRate: -1 })).toThrowError(/learningRate/);
    expect(() => mfac({ window: 0 })).toThrowError(/window/);
  });
});

describe('optimizers on problems', () => {
  const problem = randomLogisticRegression(200, 5, { l2: 1e-2, rng: createRng(3) });
  for (const [name, make] of [
    ['sgd', () => sgd({ learningRate: 0.5 })],
    ['adam', () => adam({ learningRate: 0.05 })],
    ['adamw', () => adamw({ learningRate: 0.05 })],
    ['adahessian', () => adahessian({ learningRate: 0.1 })],
    ['m-fac', () => mfac({ learningRate: 0.01, damping: 1e-3 })],
  ] as const) {
    it(`${name}: decreases the loss and is reproducible from the seed`, () => {
      const a = solve(make(), problem, new Float64Array(5), { stopWhen: maxIterations(100), seed: 9 });
      const b = solve(make(), problem, new Float64Array(5), { stopWhen: maxIterations(100), seed: 9 });
      expect(Array.from(a.x)).toEqual(Array.from(b.x));
      expect(problem.value(a.x)).toBeLessThan(problem.value(new Float64Array(5)));
    });
  }
  it('NaN gradients end the run with status numerical-error and the last finite iterate', () => {
    const nan: Oracle<'sampleGrad'> = {
      dimension: 1,
      sampleGrad: (x, _rng, out) => ((out[0] = x[0] > 2 ? Number.NaN : -1), out),
    };
    const result = solve(adam({ learningRate: 1 }), nan, Float64Array.of(0), { stopWhen: maxIterations(50) });
    expect(result.status).toBe('numerical-error');
    expect(Number.isFinite(result.x[0])).toBe(true);
  });
  it('AdaHessian on an oracle without minibatch Hessians (or without hvp) names what is missing', () => {
    const noHvp: Oracle<'sampleGrad'> = { dimension: 1, sampleGrad: (_x, _rng, out) => ((out[0] = 1), out) };
    const run = (options: Parameters<typeof adahessian>[0]) => () =>
      solve(adahessian(options), noHvp, Float64Array.of(0), { stopWhen: maxIterations(2) });
    expect(run({})).toThrowError(MissingCapabilityError);
    expect(run({})).toThrowError(/`drawBatch`, `batchGrad`, `batchHvp`/);
    expect(run({ hessian: 'full' })).toThrowError(/lacks the oracle capabilities `hvp`/);
  });
  it('a dimension mismatch is a named error', () => {
    expect(() => solve(adam(), problem, new Float64Array(3))).toThrowError(
      /x0` has length 3 but the problem has dimension 5/,
    );
  });
});

describe('schedules', () => {
  it('match optax definitions at sample steps', () => {
    expect(linearSchedule(1, 0, 10)(5)).toBe(0.5);
    expect(cosineDecaySchedule(1, 10)(5)).toBeCloseTo(0.5, 15);
    expect(warmupCosineDecaySchedule(0, 1, 10, 110)(5)).toBe(0.5);
    expect(warmupCosineDecaySchedule(0, 1, 10, 110)(110)).toBeCloseTo(0, 15);
    expect(piecewiseConstantSchedule(1, { 10: 0.1, 20: 0.1 })(25)).toBeCloseTo(0.01, 15);
  });
  it('refinement of constant norms is linear decay 1 − t/(T−1) (T = 10), and is scale invariant', () => {
    const { values } = refinedSchedule(new Float64Array(10).fill(3));
    close(
      values,
      Array.from({ length: 10 }, (_, t) => 1 - t / 9),
      1e-12,
    );
    close(
      refinedSchedule(Float64Array.from({ length: 30 }, (_, t) => 1 + t)).values,
      refinedSchedule(Float64Array.from({ length: 30 }, (_, t) => 2 * (1 + t))).values,
      1e-12,
    );
  });
  it('refinement of falling norms gives a warm-up; rising norms anneal faster than linear', () => {
    const falling = refinedSchedule(Float64Array.from({ length: 200 }, (_, t) => 10 / (1 + t / 5)));
    expect(falling.values.indexOf(1)).toBeGreaterThan(0);
    const rising = refinedSchedule(
      Float64Array.from({ length: 200 }, (_, t) => (t < 20 ? 1 : 1 + (t - 20) / 180)),
    );
    expect(rising.values[160]).toBeLessThan(1 - 160 / 199);
    expect(rising.values.at(-1)).toBe(0);
  });
  it('rejects nonpositive norms', () => {
    expect(() => refinedSchedule([1, 0, 1])).toThrowError(/gradient norms must be finite and > 0/);
  });
});

describe('prox-SGD pieces', () => {
  it('prox operators match their closed forms', () => {
    expect(Array.from(proxL1(1)(Float64Array.of(3, -0.5, -2), 0.5, new Float64Array(3)))).toEqual([
      2.5, -0, -1.5,
    ]);
    expect(Array.from(proxBox(-1, 1)(Float64Array.of(3, -0.5, -2), 1, new Float64Array(3)))).toEqual([
      1, -0.5, -1,
    ]);
    expect(Array.from(proxL2Ball(1)(Float64Array.of(3, 4), 1, new Float64Array(2)))).toEqual([
      0.6000000000000001, 0.8,
    ]);
  });
  it('step rules: first values and the 1/(2L) cap', () => {
    expect(stepSize({ kind: 'constant', scale: 1, horizon: 100 }, 1)).toBe(0.1);
    expect(stepSize({ kind: 'inverse-sqrt', scale: 1 }, 4)).toBe(0.5);
    expect(stepSize({ kind: 'inverse-linear', strongConvexity: 2, offset: 1 }, 1)).toBe(0.25);
    expect(stepSize({ kind: 'inverse-sqrt', scale: 1, smoothness: 5 }, 1)).toBe(0.1);
  });
});

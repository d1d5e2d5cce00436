import {
  type Batch,
  createRng,
  InvalidArgumentError,
  InvalidOptionsError,
  maxIterations,
  type OptimizerContext,
  solve,
  type Vec,
} from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { exactHypergradient, lowerHessian } from '../hypergradient/exact';
import type { BilevelOracle, MultiBlockBilevelOracle } from '../problem/bilevel-oracle';
import { coupledConstraintToy } from '../problems/coupled-constraint-toy';
import { hyperparameterProblem, randomSplitData } from '../problems/hyperparameter';
import { multiTaskCleaning } from '../problems/multi-task-cleaning';
import { penaltyToy } from '../problems/penalty-toy';
import { unboundedSmoothnessToy } from '../problems/unbounded-smoothness-toy';
import reference from './__fixtures__/lv-hba-reference.json';
import { boRep } from './bo-rep';
import { bsvrb } from './bsvrb';
import { hypergradientDescent } from './hypergradient-descent';
import { lvHba } from './lv-hba';
import { penaltyMethod } from './penalty';

const context = (seed = 0): OptimizerContext => ({ rng: createRng(seed), warn: () => {} });
const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, t) => s + t * t, 0));

describe('bilevel/penalty (Kwon et al.)', () => {
  it('noise-free, converges to the penalty optimum x*_σ = s/(σ + 3) to 1e-6 for each σ', () => {
    const toy = penaltyToy({ a: [1, 2] });
    for (const sigma of [0.3, 0.1]) {
      const result = solve(
        penaltyMethod({ sigma, innerSteps: 30, innerStepSize: 0.2, stepSize: 0.2 }),
        toy,
        Float64Array.of(0),
        {
          stopWhen: maxIterations(400),
        },
      );
      expect(Math.abs(result.x[0] - toy.penaltySolution(sigma))).toBeLessThan(1e-6);
      // ... and not to x* = 1: the O(σ) gap is real.
      expect(Math.abs(result.x[0] - 1)).toBeGreaterThan(0.01);
    }
  });
  it('the poly-decay schedule gives σ_k = σ₀/(k + 1)^p exactly', () => {
    const result = solve(
      penaltyMethod({ sigma: 0.5, sigmaSchedule: 'poly-decay', sigmaPower: 0.5 }),
      penaltyToy(),
      Float64Array.of(0),
      { stopWhen: maxIterations(5), recordEvery: 1 },
    );
    const sigmas = result.trace.metrics.sigma.filter((v) => !Number.isNaN(v));
    expect(sigmas).toEqual([0, 1, 2, 3, 4].map((k) => 0.5 / (k + 1) ** 0.5));
  });
  it('iterate averaging returns the running mean of the raw iterates from averageFrom on', () => {
    const plain = solve(penaltyMethod({}), penaltyToy(), Float64Array.of(0), {
      stopWhen: maxIterations(6),
      recordEvery: 1,
    });
    const raws: number[] = [];
    const opt = penaltyMethod({});
    const toy = penaltyToy();
    let state = opt.init(Float64Array.of(0), toy, context());
    let x: Vec = Float64Array.of(0);
    for (let k = 0; k < 6; k++) {
      const r = opt.step(x, state, toy, context());
      raws.push(r.x[0]);
      x = r.x;
      state = r.state;
    }
    expect(plain.x[0]).toBeCloseTo(raws[5], 15);
    const averaged = solve(penaltyMethod({ averageFrom: 2 }), penaltyToy(), Float64Array.of(0), {
      stopWhen: maxIterations(6),
    });
    expect(averaged.x[0]).toBeCloseTo((raws[2] + raws[3] + raws[4] + raws[5]) / 4, 14);
  });
  it('σ <= 0 and unknown options are named errors, with did-you-mean for scipy-style names', () => {
    expect(() => penaltyMethod({ sigma: 0 })).toThrow(InvalidOptionsError);
    expect(() => penaltyMethod({ sigma: -1 })).toThrow(/sigma/);
    expect(() => penaltyMethod({ lr: 0.1 } as never)).toThrow(/unknown option/);
    expect(() => solve(penaltyMethod({}), {} as never, Float64Array.of(0))).toThrow(InvalidArgumentError);
  });
});

describe('bilevel/bo-rep', () => {
  const toy = unboundedSmoothnessToy({ dimension: 10, rng: createRng(1) });
  it('the normalized step has length exactly η (up to the 1e-10 guard), and m = 0 gives no NaN', () => {
    const opt = boRep({ stepSize: 0.03, stochastic: false, refinementSteps: 5 });
    const x0 = new Float64Array(10).fill(3);
    const state = opt.init(x0, toy, context());
    const r = opt.step(x0, state, toy, context());
    const step = norm(r.x.map((v, i) => v - x0[i]));
    expect(Math.abs(step - 0.03)).toBeLessThan(1e-9);
    // A problem whose hypergradient is zero at x0 (x0 = 0 with b = A·0 ... ) still gives finite iterates.
    const flat: BilevelOracle = {
      ...toy,
      upperGradX: (_x, _y, out) => out.fill(0),
      upperGradY: (_x, _y, out) => out.fill(0),
    };
    const r2 = opt.step(x0, opt.init(x0, flat, context()), flat, context());
    expect(Array.from(r2.x).every(Number.isFinite)).toBe(true);
  });
  it('the lower level moves only when t mod I = 0', () => {
    let lowerCalls = 0;
    const counting: BilevelOracle = {
      ...toy,
      lowerGradY: (x, y, out, batch) => {
        lowerCalls++;
        return toy.lowerGradY(x, y, out, batch);
      },
    };
    const opt = boRep({ interval: 3, lowerSteps: 4, refinementSteps: 0, stochastic: false });
    let x: Vec = new Float64Array(10).fill(1);
    let state = opt.init(x, counting, context());
    const perStep: number[] = [];
    for (let t = 0; t < 7; t++) {
      const before = lowerCalls;
      const r = opt.step(x, state, counting, context());
      perStep.push(lowerCalls - before);
      x = r.x;
      state = r.state;
    }
    expect(perStep).toEqual([4, 0, 0, 4, 0, 0, 4]);
  });
  it('from ‖x₀‖ = 100 with η = 3e-2 it stays finite and reaches ‖∇Φ‖ < 1 (notes §12 check)', () => {
    const x0 = new Float64Array(10).fill(100 / Math.sqrt(10));
    const result = solve(boRep({ stepSize: 0.03, stochastic: false }), toy, x0, {
      stopWhen: maxIterations(5000),
    });
    expect(result.status).not.toBe('numerical-error');
    expect(norm(exactHypergradient(toy, result.x))).toBeLessThan(1);
  });
  it('the three IHVP variants converge on the toy without noise', () => {
    for (const ihvp of ['neumann', 'persistent-z', 'cg'] as const) {
      const result = solve(
        boRep({ ihvp, stepSize: 0.01, stochastic: false, zStepSize: 0.3, zSteps: 3 }),
        toy,
        new Float64Array(10).fill(1),
        { stopWhen: maxIterations(2000) },
      );
      expect(norm(exactHypergradient(toy, result.x)), ihvp).toBeLessThan(0.1);
    }
  });
});

describe('bilevel/lv-hba', () => {
  const toy = coupledConstraintToy({ n: 10 });
  for (const multiplier of ['clip', 'nonnegative'] as const) {
    it(`matches a numpy transcription of the reference loop for 200 iterations to 1e-12 (multiplier: '${multiplier}')`, () => {
      const opt = lvHba({ multiplier });
      let x: Vec = Float64Array.from(reference.x0);
      let state = opt.init(x, toy, context());
      const expected = reference[multiplier];
      let worst = 0;
      for (let k = 0; k < reference.iterations; k++) {
        const r = opt.step(x, state, toy, context());
        x = r.x;
        state = r.state;
        for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - expected.x[k][i]));
      }
      expect(worst).toBeLessThan(1e-12);
      for (let i = 0; i < state.y.length; i++) expect(state.y[i]).toBeCloseTo(expected.y[i], 12);
      expect(state.lambda[0]).toBeCloseTo(expected.lambda, 12);
      expect(state.z[0]).toBeCloseTo(expected.z, 12);
    });
  }
  it('keeps (x, y) on the coupling hyperplane, λ >= 0 and z in [0, r] at every step', () => {
    const opt = lvHba({});
    let x: Vec = Float64Array.from(reference.x0);
    let state = opt.init(x, toy, context());
    for (let k = 0; k < 50; k++) {
      const r = opt.step(x, state, toy, context());
      x = r.x;
      state = r.state;
      const sum = x.reduce((s, v) => s + v, 0) + state.y.reduce((s, v) => s + v, 0);
      expect(Math.abs(sum)).toBeLessThan(1e-10);
      expect(state.lambda[0]).toBeGreaterThanOrEqual(0);
      expect(state.z[0]).toBeGreaterThanOrEqual(0);
    }
  });
  it('divergent steps end in numerical-error with finite x and state', () => {
    const result = solve(lvHba({ alpha: 50, eta: 50 }), toy, Float64Array.from(reference.x0), {
      stopWhen: maxIterations(500),
    });
    expect(result.status).toBe('numerical-error');
    expect(Array.from(result.x).every(Number.isFinite)).toBe(true);
  });
  it('a problem without constraints is a named error', () => {
    expect(() => lvHba({}).init(new Float64Array(1), penaltyToy() as never, context())).toThrow(
      /ConstrainedBilevelOracle/,
    );
  });
});

/** A view of a multi-block problem whose batches are all rows in order: exact oracles. */
function exactBatches(
  p: ReturnType<typeof multiTaskCleaning>,
  trainRows: number,
  validationRows: number,
): MultiBlockBilevelOracle {
  const all = (n: number): Batch => ({ indices: Int32Array.from({ length: n }, (_, i) => i) });
  return { ...p, drawLowerBatch: () => all(trainRows), drawUpperBatch: () => all(validationRows) };
}

describe('bilevel/bsvrb', () => {
  const problem = multiTaskCleaning({
    tasks: 4,
    trainSamples: 30,
    validationSamples: 20,
    features: 3,
    l2: 0.1,
    rng: createRng(3),
  });
  it('v2 with exact oracles and every block sampled tracks v_i → H_i⁻¹∇_y f_i (dense solve)', () => {
    const exact = exactBatches(problem, 30, 20);
    const opt = bsvrb({
      variant: 'v2',
      blocksPerIteration: 4,
      stepSize: 1e-12,
      lowerStepSize: 1,
      vStepSize: 1,
      vBound: 1e6,
    });
    let x: Vec = new Float64Array(30);
    let state = opt.init(x, exact, context());
    for (let k = 0; k < 400; k++) {
      const r = opt.step(x, state, exact, context());
      x = r.x;
      state = r.state;
    }
    const d = problem.dimY;
    for (let b = 0; b < 4; b++) {
      const w = state.w.subarray(b * d, (b + 1) * d);
      const view = {
        dimX: 30,
        dimY: d,
        lowerHvpYY: (xx: Float64Array, yy: Float64Array, v: Float64Array, out: Float64Array) =>
          problem.lowerHvpYY(b, xx, yy, v, out),
      } as unknown as BilevelOracle;
      const H = lowerHessian(view, x, w);
      const f = problem.upperGradY(b, x, w, new Float64Array(d));
      const v = state.v.subarray(b * d, (b + 1) * d);
      const Hv = new Float64Array(d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) Hv[i] += H.data[i * d + j] * v[j];
      expect(norm(Hv.map((t, i) => t - f[i]))).toBeLessThan(1e-6 * Math.max(1, norm(f)));
      // and w_i solves its lower level
      expect(norm(problem.lowerGradY(b, x, w, new Float64Array(d)))).toBeLessThan(1e-8);
    }
  });
  it('v2 leaves unsampled blocks unchanged and counts their delay', () => {
    const opt = bsvrb({ variant: 'v2', blocksPerIteration: 1, batchSize: 4 });
    const x = new Float64Array(30);
    const state = opt.init(x, problem, context(5));
    const wBefore = Float64Array.from(state.w);
    const r = opt.step(x, state, problem, context(5));
    const d = problem.dimY;
    let changed = 0;
    for (let b = 0; b < 4; b++) {
      const moved = state.w.subarray(b * d, (b + 1) * d).some((v, i) => v !== wBefore[b * d + i]);
      if (moved) changed++;
      else expect(r.state.delay[b]).toBe(1);
    }
    expect(changed).toBe(1);
  });
  it('v1 keeps ‖H_i‖_F >= the bound; v2 keeps ‖v_i‖ <= the bound', () => {
    for (const variant of ['v1', 'v2'] as const) {
      // Every block sampled each step, so every v_i has been projected (unsampled ones keep their start).
      const opt = bsvrb({ variant, blocksPerIteration: 4, batchSize: 8, hessianBound: 10, vBound: 0.5 });
      let x: Vec = new Float64Array(30);
      let state = opt.init(x, problem, context(2));
      for (let k = 0; k < 20; k++) {
        const r = opt.step(x, state, problem, context(2));
        x = r.x;
        state = r.state;
      }
      const d = problem.dimY;
      for (let b = 0; b < 4; b++) {
        if (variant === 'v1')
          expect(norm(state.H.subarray(b * d * d, (b + 1) * d * d))).toBeGreaterThanOrEqual(10 - 1e-9);
        else expect(norm(state.v.subarray(b * d, (b + 1) * d))).toBeLessThanOrEqual(0.5 + 1e-12);
      }
    }
  });
  it('rsvrb decays unsampled blocks by (1 − β)', () => {
    const opt = bsvrb({ variant: 'rsvrb', blocksPerIteration: 1, batchSize: 4, beta: 0.9 });
    const x = new Float64Array(30);
    const state = opt.init(x, problem, context(4));
    const sBefore = Float64Array.from(state.s);
    opt.step(x, state, problem, context(4));
    const d = problem.dimY;
    let decayed = 0;
    for (let b = 0; b < 4; b++) {
      const ok = Array.from(
        { length: d },
        (_, i) => Math.abs(state.s[b * d + i] - 0.1 * sBefore[b * d + i]) < 1e-15,
      ).every(Boolean);
      if (ok) decayed++;
    }
    expect(decayed).toBe(3);
  });
  it('more blocks per iteration than blocks is a named error', () => {
    expect(() => bsvrb({ blocksPerIteration: 5 }).init(new Float64Array(30), problem, context())).toThrow(
      /blocksPerIteration/,
    );
  });
});

describe('bilevel/hypergradient-descent', () => {
  const ridge = hyperparameterProblem(
    randomSplitData({ trainSamples: 50, validationSamples: 40, features: 5, rng: createRng(8) }),
  );
  for (const estimator of ['implicit', 'unrolled'] as const) {
    it(`${estimator}: drives ‖∇Φ‖ down by 100x on ridge hyperparameter optimization`, () => {
      const x0 = new Float64Array(5);
      const start = norm(exactHypergradient(ridge, x0));
      const result = solve(
        hypergradientDescent({
          estimator,
          stepSize: 1,
          innerSteps: estimator === 'unrolled' ? 100 : 20,
          innerStepSize: 0.3,
        }),
        ridge,
        x0,
        { stopWhen: maxIterations(300) },
      );
      expect(norm(exactHypergradient(ridge, result.x))).toBeLessThan(start / 100);
    });
  }
  it('stochastic mode draws minibatches from the run seed: same seed, same bits', () => {
    const stochastic = hyperparameterProblem(
      randomSplitData({ trainSamples: 50, validationSamples: 40, features: 5, rng: createRng(8) }),
      { batchSize: 8 },
    );
    const run = (seed: number) =>
      solve(
        hypergradientDescent({ stochastic: true, linearSolver: 'neumann' }),
        stochastic,
        new Float64Array(5),
        {
          stopWhen: maxIterations(20),
          seed,
        },
      ).x;
    expect(Array.from(run(3))).toEqual(Array.from(run(3)));
    expect(Array.from(run(3))).not.toEqual(Array.from(run(4)));
  });
});

describe('bad x0 and inexact inner solves', () => {
  it('x0 of the wrong length or with NaN is a named error in every method', () => {
    const toy = penaltyToy();
    expect(() => solve(penaltyMethod({}), toy, Float64Array.of(0, 1))).toThrow(/x0.*length 2.*needs 1/);
    expect(() => solve(hypergradientDescent({}), toy, Float64Array.of(Number.NaN))).toThrow(
      InvalidArgumentError,
    );
    expect(() => solve(boRep({}), toy, new Float64Array(3))).toThrow(/x0/);
    expect(() => solve(lvHba({}), coupledConstraintToy({ n: 2 }), new Float64Array(5))).toThrow(/x0/);
  });
  it('a CG solve stopped by its iteration cap is a warning on the result, not a throw', () => {
    const ridge = hyperparameterProblem(
      randomSplitData({ trainSamples: 30, validationSamples: 20, features: 6, rng: createRng(2) }),
    );
    const result = solve(
      hypergradientDescent({ linearIterations: 1, linearTolerance: 1e-14, warmStart: false }),
      ridge,
      new Float64Array(6),
      {
        stopWhen: maxIterations(3),
      },
    );
    expect(result.warnings.map((w) => w.type)).toContain('inner-solver');
    expect(result.status).toBe('max-iterations');
  });
});

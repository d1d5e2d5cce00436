/**
 * The three ways of driving a sampler agree: `sample` (synchronous model), `sampleAsync` (a model whose
 * predict returns a Promise) and the diffusers-style scheduler form (the caller's own loop).
 */
import { ArgminError, createRng, InvalidArgumentError } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import schedulesJson from '../__fixtures__/schedules.json';
import { randomMixture, ringMixture } from '../experiments/test-beds';
import type { AsyncDenoiserModel, DenoiserModel } from '../models/model';
import { discreteSchedule } from '../schedules/discrete';
import { levelFromAlphaBar } from '../schedules/schedule';
import type { TimestepSpacing } from '../schedules/spacing';
import type { GridState, Sampler } from './common';
import { ddim, ddpm } from './ddim';
import { dpmSolver } from './dpm-solver';
import { lcm } from './lcm';
import { pndm } from './pndm';
import { timeShift } from './time-shift';

const schedule = discreteSchedule({ betaSchedule: 'linear' });
const bar = schedule.alphasCumprod as Float64Array;
const ring = ringMixture();
const wide = randomMixture(16, 4, 5);

/** The exact mixture behind a Promise (resolved on a later microtask), writing into `out` as a network would. */
function promised(model: DenoiserModel): AsyncDenoiserModel & { calls: number } {
  const wrapper = {
    dimension: model.dimension,
    prediction: model.prediction,
    calls: 0,
    predict(
      x: Float64Array,
      batch: number,
      level: Parameters<DenoiserModel['predict']>[2],
      out: Float64Array,
    ) {
      wrapper.calls++;
      const copy = Float64Array.from(x);
      return Promise.resolve().then(() => {
        const result = new Float64Array(out.length);
        model.predict(copy, batch, level, result);
        return result; // a fresh array, as onnxruntime returns a new tensor
      });
    },
  };
  return wrapper;
}

const samplers: [string, () => Sampler<GridState>, DenoiserModel][] = [
  ['DDIM eta 0', () => ddim({ numInferenceSteps: 10, clipSample: false }), ring],
  ['DDIM eta 0.7 (noise stream)', () => ddim({ numInferenceSteps: 10, eta: 0.7 }), ring],
  ['DDPM', () => ddpm({ numInferenceSteps: 12 }), ring],
  ['F-PNDM', () => pndm({ numInferenceSteps: 10 }), ring],
  ['S-PNDM', () => pndm({ numInferenceSteps: 10, method: 's-pndm' }), ring],
  ['PLMS (v model)', () => pndm({ numInferenceSteps: 10, method: 'plms' }), ring.withPrediction('v')],
  ['F-PNDM reference indexing', () => pndm({ numInferenceSteps: 10, alphaIndexing: 'reference' }), ring],
  ['DPM-Solver++ 2M', () => dpmSolver({ numInferenceSteps: 10 }), ring],
  [
    'DPM-Solver++ 3M thresholding',
    () => dpmSolver({ numInferenceSteps: 10, order: 3, thresholding: true, sampleMaxValue: 1.2 }),
    wide,
  ],
  ['SDE-DPM-Solver++ 2M', () => dpmSolver({ numInferenceSteps: 10, algorithm: 'sde-dpmsolver++' }), ring],
  [
    'DPM-Solver 2M noise (sample model)',
    () => dpmSolver({ numInferenceSteps: 10, algorithm: 'dpmsolver', finalSigmasType: 'sigma_min' }),
    ring.withPrediction('sample'),
  ],
  [
    'DPM-Solver-3 singlestep (continuous)',
    () =>
      dpmSolver({
        grid: 'continuous',
        method: 'singlestep',
        order: 3,
        numInferenceSteps: 10,
        skipType: 'logSNR',
      }),
    ring,
  ],
  [
    'DPM-Solver adaptive + denoise to zero',
    () => dpmSolver({ grid: 'continuous', method: 'adaptive', order: 3, denoiseToZero: true }),
    ring,
  ],
  ['LCM', () => lcm({ numInferenceSteps: 4 }), ring.withPrediction('sample')],
  [
    'Time-Shift DDIM (paper)',
    () => timeShift({ numInferenceSteps: 10, windowSize: 40, setAlphaToOne: false }),
    wide,
  ],
  [
    'Time-Shift F-PNDM (code)',
    () => timeShift({ base: 'f-pndm', variant: 'code', numInferenceSteps: 10 }),
    wide,
  ],
  ['Time-Shift DPM-Solver++ 2M', () => timeShift({ base: 'dpm-solver-2m', numInferenceSteps: 10 }), wide],
];

const xTOf = (model: DenoiserModel, batch: number, seed: number) =>
  (model as typeof ring).sampleMarginal?.(batch, levelFromAlphaBar(999, bar[999]), createRng(seed)) ??
  createRng(seed).fillNormal(new Float64Array(batch * model.dimension));

describe('sampleAsync: a Promise-returning model gives the same bits as sample', () => {
  it.each(samplers)('%s', async (_name, make, model) => {
    const xT = xTOf(model, 6, 11);
    const sync = make().sample(model, schedule, xT, { seed: 4 });
    const wrapped = promised(model);
    const asynchronous = await make().sampleAsync(wrapped, schedule, xT, { seed: 4 });
    expect(Array.from(asynchronous.x)).toEqual(Array.from(sync.x));
    expect(asynchronous.nfe).toBe(sync.nfe);
    expect(asynchronous.status).toBe(sync.status);
    expect(asynchronous.iterations).toBe(sync.iterations);
    expect(asynchronous.times).toEqual(sync.times);
    expect(asynchronous.trace.iteration).toEqual(sync.trace.iteration);
    expect(asynchronous.trace.metrics).toEqual(sync.trace.metrics);
    expect(wrapped.calls).toBeGreaterThanOrEqual(sync.nfe);
  });

  it('a synchronous model through sampleAsync is the same run too', async () => {
    const xT = xTOf(ring, 5, 2);
    const sync = ddpm({ numInferenceSteps: 20 }).sample(ring, schedule, xT, { seed: 9 });
    const asynchronous = await ddpm({ numInferenceSteps: 20 }).sampleAsync(ring, schedule, xT, { seed: 9 });
    expect(Array.from(asynchronous.x)).toEqual(Array.from(sync.x));
  });

  it('sample refuses a Promise-returning model with a named error that points to sampleAsync', () => {
    let error: unknown;
    try {
      ddim().sample(promised(ring) as unknown as DenoiserModel, schedule, new Float64Array(2));
    } catch (e) {
      error = e;
    }
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/sampleAsync/);
  });

  it('a model that returns an array of the wrong length is a named error', async () => {
    const short: AsyncDenoiserModel = {
      dimension: 2,
      prediction: 'epsilon',
      predict: async () => new Float64Array(1),
    };
    await expect(ddim().sampleAsync(short, schedule, new Float64Array(2))).rejects.toSatisfy(
      (e: unknown) => ArgminError.isInstance(e) && /length 2/.test((e as Error).message),
    );
  });
});

describe('the scheduler form: step(modelOutput, t, x) in the caller loop equals sample to 1e-12', () => {
  const withCounterpart = samplers.filter(
    ([name]) => !name.startsWith('Time-Shift') && !name.includes('adaptive'),
  );
  it.each(withCounterpart)('%s', (_name, make, model) => {
    const xT = xTOf(model, 4, 3);
    const expected = make().sample(model, schedule, xT, { seed: 8 });
    const scheduler = make().scheduler(schedule, {
      dimension: model.dimension,
      prediction: model.prediction,
      seed: 8,
    });
    expect(scheduler.timesteps).toHaveLength(expected.nfe);
    let x: Float64Array = Float64Array.from(xT);
    const out = new Float64Array(xT.length);
    scheduler.timesteps.forEach((t, k) => {
      model.predict(x, 4, scheduler.levels[k], out);
      x = scheduler.step(out, t, x);
    });
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - expected.x[i]));
    expect(worst).toBeLessThanOrEqual(1e-12);
    expect(scheduler.status).toBe(expected.status);
    expect(scheduler.calls).toBe(expected.nfe);
  });

  const pndmCases = (
    schedulesJson as unknown as {
      pndm: { n: number; skipPrkSteps: boolean; spacing: TimestepSpacing; prk: number[]; plms: number[] }[];
    }
  ).pndm;
  it.each(pndmCases.map((c) => [`N=${c.n} ${c.spacing} skip_prk_steps=${c.skipPrkSteps}`, c] as const))(
    "PNDM timesteps equal diffusers' PNDMScheduler.timesteps (%s)",
    (_name, c) => {
      const sampler = pndm({
        numInferenceSteps: c.n,
        timestepSpacing: c.spacing,
        method: c.skipPrkSteps ? 'plms' : 'f-pndm',
      });
      const expected = [...c.prk, ...c.plms];
      if (c.spacing === 'linspace' && !c.skipPrkSteps) {
        // diffusers' list puts the PRK midpoint evaluations at t_next + Ntrain//N//2 while its step_prk transfers
        // the sample to t - Ntrain//N//2; the two agree only when the grid gap is Ntrain//N (leading, trailing).
        // We evaluate where the transfer goes (t - Ntrain//N//2), so the midpoints differ for 'linspace'.
        const half = Math.floor(Math.floor(1000 / c.n) / 2);
        for (let k = 0; k + 3 < c.prk.length; k += 4) {
          expected[k + 1] = c.prk[k] - half;
          expected[k + 2] = c.prk[k] - half;
        }
      }
      expect(sampler.scheduler(schedule, { dimension: 2 }).timesteps).toEqual(expected);
    },
  );

  it("DDIM and DPM-Solver++ timesteps equal diffusers' lists (leading N = 10; linspace N = 10)", () => {
    expect(ddim({ numInferenceSteps: 10 }).scheduler(schedule, { dimension: 2 }).timesteps).toEqual([
      900, 800, 700, 600, 500, 400, 300, 200, 100, 0,
    ]);
    expect(dpmSolver({ numInferenceSteps: 10 }).scheduler(schedule, { dimension: 2 }).timesteps).toEqual([
      999, 899, 799, 699, 599, 500, 400, 300, 200, 100,
    ]);
  });

  it('a timestep out of order, a call past the end and samplers without a scheduler form are named errors', () => {
    const scheduler = ddim({ numInferenceSteps: 2 }).scheduler(schedule, { dimension: 2 });
    const x = Float64Array.of(0.1, -0.2);
    expect(() => scheduler.step(new Float64Array(2), 0, x)).toThrow(/expected timesteps\[0\] = 500/);
    let y = scheduler.step(new Float64Array(2), 500, x);
    y = scheduler.step(new Float64Array(2), 0, y);
    expect(scheduler.status).toBe('converged');
    expect(() => scheduler.step(new Float64Array(2), 0, y)).toThrow(InvalidArgumentError);
    expect(() => timeShift().scheduler(schedule, { dimension: 2 })).toThrow(/evaluation times are not known/);
    expect(() =>
      dpmSolver({ grid: 'continuous', method: 'adaptive' }).scheduler(schedule, { dimension: 2 }),
    ).toThrow(/not known in advance/);
    expect(() => ddim().scheduler(schedule, { dimension: 0 })).toThrow(/positive integer/);
  });
});

describe('a model that turns non-finite: a failure status with the last finite samples and state', () => {
  /** The ring denoiser, returning NaN from the `bad`-th call on. */
  const failingAt = (bad: number): DenoiserModel & { calls: number } => {
    const wrapper = {
      dimension: 2,
      prediction: 'epsilon' as const,
      calls: 0,
      predict(
        x: Float64Array,
        batch: number,
        level: Parameters<DenoiserModel['predict']>[2],
        out: Float64Array,
      ) {
        wrapper.calls++;
        ring.predict(x, batch, level, out);
        if (wrapper.calls >= bad) out[1] = Number.NaN;
        return out;
      },
    };
    return wrapper;
  };

  it.each(samplers.filter(([, , model]) => model.dimension === 2))('%s', async (_name, make) => {
    const xT = xTOf(ring, 3, 1);
    const full = make().sample(ring, schedule, xT, { seed: 2 });
    const bad = Math.max(2, Math.floor(full.nfe / 2));
    for (const result of [
      make().sample(failingAt(bad), schedule, xT, { seed: 2 }),
      await make().sampleAsync(failingAt(bad), schedule, xT, { seed: 2 }),
    ]) {
      expect(result.status).toBe('numerical-error');
      expect(result.converged).toBe(false);
      expect(result.message).toMatch(/non-finite|not finite/);
      expect(Array.from(result.x).every(Number.isFinite)).toBe(true);
      const history = (result.state as unknown as { history?: Float64Array[] }).history ?? [];
      for (const entry of history) expect(Array.from(entry).every(Number.isFinite)).toBe(true);
    }
  });

  it('DPM-Solver++ keeps the samples and history of the step before the NaN (equal to a run stopped there)', () => {
    const xT = xTOf(ring, 3, 1);
    const failed = dpmSolver({ numInferenceSteps: 10 }).sample(failingAt(5), schedule, xT);
    expect(failed.status).toBe('numerical-error');
    expect(failed.iterations).toBe(5);
    expect(failed.state.history).toHaveLength(3);
    // the first four steps are the normal run's first four steps
    const sampler = dpmSolver({ numInferenceSteps: 10 });
    const context = { rng: createRng(0), warn: () => {} };
    const problem = { model: ring, schedule, batch: 3 };
    let state = sampler.init(xT, problem, context);
    let x: Float64Array = Float64Array.from(xT);
    for (let i = 0; i < 4; i++) {
      const step = sampler.step(x, state, problem, context);
      state = step.state;
      x = Float64Array.from(step.x);
    }
    expect(Array.from(failed.x)).toEqual(Array.from(x));
  });

  it('the scheduler form ends with numerical-error and returns the last finite iterate', () => {
    const scheduler = ddim({ numInferenceSteps: 4 }).scheduler(schedule, { dimension: 2 });
    const x = Float64Array.of(0.3, 0.4);
    const y = scheduler.step(Float64Array.of(0.1, 0.1), scheduler.timesteps[0], x);
    const z = scheduler.step(Float64Array.of(Number.NaN, 0), scheduler.timesteps[1], y);
    expect(scheduler.status).toBe('numerical-error');
    expect(Array.from(z)).toEqual(Array.from(y));
    expect(() => scheduler.step(Float64Array.of(0, 0), scheduler.timesteps[2], z)).toThrow(/has ended/);
  });
});

describe('sample results extend ResultBase', () => {
  it('status, converged, iterations (= steps), message, warnings and a columnar trace', () => {
    const result = dpmSolver({ numInferenceSteps: 7 }).sample(ring, schedule, xTOf(ring, 2, 0));
    expect(result.status).toBe('converged');
    expect(result.converged).toBe(true);
    expect(result.iterations).toBe(7);
    expect(result.message).toMatch(/last timestep/);
    expect(result.warnings).toEqual([]);
    expect(result.trace.iteration).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(result.trace.metrics.nfe).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(result.trace.metrics.order).toEqual([1, 2, 2, 2, 2, 2, 1]);
    expect(result.trace.elapsedMs).toHaveLength(7);
    expect(result.result.x).toBe(result.result.x);
    expect(Array.from(result.result.x)).toEqual(Array.from(result.x));
  });
});

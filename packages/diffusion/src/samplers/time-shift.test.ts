import { createRng } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { randomMixture } from '../experiments/test-beds';
import { biasedModel, countCalls, type DenoiserModel } from '../models/model';
import { discreteSchedule } from '../schedules/discrete';
import { levelFromAlphaBar } from '../schedules/schedule';
import { ddim } from './ddim';
import { pndm } from './pndm';
import { sampleVariance, shiftedTimestep, timeShift } from './time-shift';

const schedule = discreteSchedule({});
const bar = schedule.alphasCumprod as Float64Array;
const d = 64;
const model = randomMixture(d, 3, 5, { scale: 0.6 });
const xT = model.sampleMarginal(12, levelFromAlphaBar(900, bar[900]), createRng(8));
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('Time-Shift sampler', () => {
  it('with window 0 or a cutoff above every timestep it equals its base sampler', () => {
    for (const options of [{ windowSize: 0 }, { windowSize: 40, cutoff: 1000 }]) {
      const ts = timeShift({ base: 'ddim', numInferenceSteps: 10, ...options }).sample(model, schedule, xT);
      const base = ddim({ numInferenceSteps: 10, clipSample: false }).sample(model, schedule, xT);
      expect(ts.times).toEqual(base.times);
      // the transfer form and the DDIM form of the same step differ by rounding only
      expect(maxDiff(ts.x, base.x)).toBeLessThan(1e-12);
      const shifted = timeShift({ base: 'f-pndm', numInferenceSteps: 10, ...options }).sample(
        model,
        schedule,
        xT,
      );
      const reference = pndm({ method: 'f-pndm', numInferenceSteps: 10, setAlphaToOne: true }).sample(
        model,
        schedule,
        xT,
      );
      expect(shifted.nfe).toBe(reference.nfe);
      expect(maxDiff(shifted.x, reference.x)).toBeLessThan(1e-12);
    }
  });

  it('the window search returns tau in [t - w/2, t + w/2] within [0, N-1], moving up when the sample is noisier', () => {
    const rng = createRng(3);
    for (let trial = 0; trial < 200; trial++) {
      const center = rng.integer(1000);
      const w = rng.integer(80);
      const variance = rng.uniform(0, 1.2);
      const tau = shiftedTimestep(bar, variance, center, w);
      expect(tau).toBeGreaterThanOrEqual(Math.max(0, center - Math.floor(w / 2)));
      expect(tau).toBeLessThanOrEqual(Math.min(999, center + Math.floor(w / 2)));
      // 1 - alpha_bar increases with t: a variance above the nominal level never shifts down
      if (variance > 1 - bar[center]) expect(tau).toBeGreaterThanOrEqual(center);
      if (variance < 1 - bar[center]) expect(tau).toBeLessThanOrEqual(center);
    }
  });

  it('variance is per sample over its dimensions (Bessel-corrected), not over the batch', () => {
    const x = Float64Array.of(1, 2, 3, 4, 10, 10, 10, 10);
    expect(sampleVariance(x, 0, 4)).toBeCloseTo(5 / 3, 14);
    expect(sampleVariance(x, 4, 4)).toBe(0);
  });

  it('paper variant: the model sees the shifted time next; code variant: the model stays at the nominal time', () => {
    // an under-predicted epsilon leaves samples noisier than nominal, so shifts are taken
    const biased = biasedModel(model, { epsilonScale: -0.1 });
    const paperSpy = countCalls(biased);
    const paper = timeShift({ base: 'ddim', numInferenceSteps: 10, windowSize: 40, cutoff: 300 }).sample(
      paperSpy,
      schedule,
      xT,
    );
    const nominal = paper.times.slice(0, -1);
    const seen = paperSpy.levels.map((l) => l.time);
    // samples shifted to different times are evaluated as separate groups, so there can be more calls than steps
    expect(paper.nfe).toBe(10);
    expect(seen.length).toBeGreaterThanOrEqual(10);
    expect(seen[0]).toBe(900);
    expect(seen.some((t) => !nominal.includes(t))).toBe(true);
    for (const t of seen) {
      // every model time is within the window (w // 2 = 20) of a nominal time, and shifts happen only above the cutoff
      const closest = nominal.reduce((a, b) => (Math.abs(b - t) < Math.abs(a - t) ? b : a));
      expect(Math.abs(t - closest)).toBeLessThanOrEqual(20);
      if (closest < 300) expect(t).toBe(closest);
    }
    const codeSpy = countCalls(biased);
    const code = timeShift({
      base: 'ddim',
      numInferenceSteps: 10,
      windowSize: 40,
      cutoff: 300,
      variant: 'code',
    }).sample(codeSpy, schedule, xT);
    expect(codeSpy.levels.map((l) => l.time)).toEqual(nominal);
    expect(code.result.state.shifts.some((s) => s > 0)).toBe(true);
    expect(maxDiff(code.x, paper.x)).toBeGreaterThan(0);
  });

  it('is reproducible: same seed, same bits (eta > 0)', () => {
    const run = () =>
      timeShift({ base: 'ddim', eta: 0.5, numInferenceSteps: 8 }).sample(model, schedule, xT, { seed: 4 }).x;
    expect(Array.from(run())).toEqual(Array.from(run()));
  });

  it('rejects eta with a non-DDIM base and the unimplemented code variant for DPM-Solver, naming the fix', () => {
    expect(() => timeShift({ base: 'f-pndm', eta: 1 })).toThrow(/eta/);
    expect(() => timeShift({ base: 'dpm-solver-2m', variant: 'code' })).toThrow(/variant: 'paper'/);
  });

  it('per-sample model times are evaluated in groups (a model sees each sample at its own time)', () => {
    const seenBatches: number[] = [];
    const spy: DenoiserModel = {
      dimension: d,
      prediction: 'epsilon',
      predict(x, batch, level, out) {
        seenBatches.push(batch);
        return biasedModel(model, { epsilonScale: -0.1 }).predict(x, batch, level, out);
      },
    };
    const result = timeShift({ base: 'ddim', numInferenceSteps: 10, windowSize: 40, cutoff: 300 }).sample(
      spy,
      schedule,
      xT,
    );
    expect(result.nfe).toBe(10);
    expect(seenBatches.reduce((a, b) => a + b, 0)).toBe(10 * 12);
  });
});

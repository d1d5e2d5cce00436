import { createRng } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { ringMixture } from '../experiments/test-beds';
import { referenceSolution, strongError } from '../metrics';
import { countCalls } from '../models/model';
import { discreteSchedule } from '../schedules/discrete';
import { dpmSolver } from './dpm-solver';

const model = ringMixture();
const schedule = discreteSchedule({});
const start = schedule.levelAtTime(schedule.T);
const end = schedule.levelAtTime(schedule.tEnd);
const xT = model.sampleMarginal(60, start, createRng(4));
const reference = referenceSolution(model, xT, start, end);

describe("dpm_solver_pytorch.py's other methods", () => {
  it('adaptive DPM-Solver-12 and -23 reach t_end, spend `order` NFE per attempt, and tighter tolerances give smaller errors', () => {
    for (const order of [2, 3] as const) {
      const errors: number[] = [];
      for (const tolerance of [0.05, 1e-3, 1e-5]) {
        const counted = countCalls(model);
        const sampler = dpmSolver({
          grid: 'continuous',
          method: 'adaptive',
          order,
          atol: tolerance,
          rtol: tolerance,
        });
        const result = sampler.sample(counted, schedule, xT);
        expect(result.status).toBe('converged');
        expect(result.nfe).toBe(counted.calls);
        expect(result.nfe).toBe(order * result.result.iterations);
        const final = result.result.state.adaptive;
        expect(Math.abs((final?.time ?? 0) - schedule.tEnd)).toBeLessThanOrEqual(1e-5);
        // never evaluates below t_end (no overshoot): every model call is at lambda <= lambda(t_end)
        for (const level of counted.levels) expect(level.lambda).toBeLessThanOrEqual(end.lambda + 1e-9);
        errors.push(strongError(result.x, reference, 2));
      }
      expect(errors[1]).toBeLessThan(errors[0]);
      expect(errors[2]).toBeLessThan(errors[1] / 5);
    }
  });

  it('singlestep_fixed takes steps // order steps of order `order`', () => {
    for (const order of [1, 2, 3] as const) {
      const result = dpmSolver({
        grid: 'continuous',
        method: 'singlestep_fixed',
        order,
        numInferenceSteps: 10,
      }).sample(model, schedule, xT);
      expect(result.nfe).toBe(Math.floor(10 / order) * order);
      expect(result.times).toHaveLength(Math.floor(10 / order) + 1);
    }
  });

  it('denoiseToZero replaces the last iterate by the data prediction at t_end (+1 NFE)', () => {
    const plain = dpmSolver({ grid: 'continuous', numInferenceSteps: 8 }).sample(model, schedule, xT);
    const denoised = dpmSolver({ grid: 'continuous', numInferenceSteps: 8, denoiseToZero: true }).sample(
      model,
      schedule,
      xT,
    );
    expect(denoised.nfe).toBe(plain.nfe + 1);
    const expected = model.denoise(plain.x, 60, end, new Float64Array(plain.x.length));
    for (let i = 0; i < expected.length; i++) expect(denoised.x[i]).toBeCloseTo(expected[i], 12);
  });

  it('the continuous-grid methods other than multistep are rejected on the discrete grid, naming the fix', () => {
    expect(() => dpmSolver({ method: 'adaptive' }).grid(schedule)).toThrow(/grid: 'continuous'/);
    expect(() => dpmSolver({ grid: 'continuous', method: 'adaptive', order: 1 })).toThrow(/order/);
  });

  it('Lu lambdas / exponential sigmas are uniform in log sigma from sigma_max to sigma_min, timesteps by _sigma_to_t', () => {
    const bar = schedule.alphasCumprod as Float64Array;
    const sigmaMax = Math.sqrt((1 - bar[999]) / bar[999]);
    const sigmaMin = Math.sqrt((1 - bar[0]) / bar[0]);
    for (const option of [{ useLuLambdas: true }, { useExponentialSigmas: true }]) {
      const points = dpmSolver({ numInferenceSteps: 10, ...option }).grid(schedule);
      expect(points).toHaveLength(11);
      const logSigma = points.slice(0, -1).map((p) => -p.lambda);
      expect(logSigma[0]).toBeCloseTo(Math.log(sigmaMax), 12);
      expect(logSigma[9]).toBeCloseTo(Math.log(sigmaMin), 12);
      for (let i = 1; i < 10; i++)
        expect(logSigma[i] - logSigma[i - 1]).toBeCloseTo((Math.log(sigmaMin) - Math.log(sigmaMax)) / 9, 12);
      const times = points.map((p) => p.time);
      expect(times[0]).toBe(999);
      expect(times[9]).toBe(0);
      for (let i = 1; i < 10; i++) expect(times[i]).toBeLessThan(times[i - 1]);
      expect(points[10].sigma).toBe(0);
    }
    expect(() => dpmSolver({ useKarrasSigmas: true, useLuLambdas: true }).grid(schedule)).toThrow(
      /at most one/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { vpCosineSchedule, vpLinearSchedule } from './continuous';
import { discreteSchedule } from './discrete';
import { lambdaFromAlphaBar } from './schedule';
import {
  ddimSequence,
  dpmSolverMultistepTimesteps,
  inferenceTimesteps,
  lcmTimesteps,
  pndmTimesteps,
} from './spacing';

// Values stated in the notes (§0.1-0.3, §2, §8), checked independently of the numpy fixtures.
describe('schedules: the values the notes state', () => {
  it('alpha_bar at t = 999: linear 4.04e-5, scaled_linear 4.66e-3, cosine 2.43e-9; linear lambda endpoints', () => {
    const linear = discreteSchedule({ betaSchedule: 'linear' }).alphasCumprod as Float64Array;
    const scaled = discreteSchedule({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012 })
      .alphasCumprod as Float64Array;
    const cosine = discreteSchedule({ betaSchedule: 'squaredcos_cap_v2' }).alphasCumprod as Float64Array;
    expect(linear[999]).toBeCloseTo(4.04e-5, 7);
    expect(scaled[999]).toBeCloseTo(4.66e-3, 5);
    expect(cosine[999] / 2.43e-9).toBeCloseTo(1, 2);
    expect(linear[0]).toBeCloseTo(0.9999, 12);
    expect(lambdaFromAlphaBar(linear[0])).toBeCloseTo(4.605, 3);
    expect(lambdaFromAlphaBar(linear[999])).toBeCloseTo(-5.059, 3);
    // Karras sigma extremes of scaled_linear: sigma_K = sqrt((1 - abar)/abar)
    expect(Math.sqrt((1 - scaled[999]) / scaled[999])).toBeCloseTo(14.61, 2);
    expect(Math.sqrt((1 - scaled[0]) / scaled[0])).toBeCloseTo(0.0292, 4);
  });

  it('lambda <-> t round trips: continuous linear, continuous cosine, and the discrete schedule continuous view', () => {
    for (const schedule of [
      vpLinearSchedule(),
      vpCosineSchedule(),
      discreteSchedule({}),
      discreteSchedule({ betaSchedule: 'squaredcos_cap_v2' }),
    ]) {
      for (const t of [schedule.tEnd, 0.01, 0.1, 0.37, 0.5, 0.83, schedule.T]) {
        expect(schedule.inverseLambda(schedule.marginalLambda(t))).toBeCloseTo(t, 10);
      }
    }
  });

  it('zero-terminal-SNR rescale keeps alpha_bar_0 and sets alpha_bar_T = 2^-24', () => {
    const plain = discreteSchedule({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012 })
      .alphasCumprod as Float64Array;
    const zsnr = discreteSchedule({
      betaSchedule: 'scaled_linear',
      betaStart: 0.00085,
      betaEnd: 0.012,
      rescaleBetasZeroSnr: true,
    }).alphasCumprod as Float64Array;
    expect(zsnr[0]).toBeCloseTo(plain[0], 14);
    expect(zsnr[999]).toBe(2 ** -24);
  });

  it('spacing tables for N_train = 1000 (notes §0.3)', () => {
    expect(inferenceTimesteps(1000, 10, 'leading')).toEqual([900, 800, 700, 600, 500, 400, 300, 200, 100, 0]);
    expect(inferenceTimesteps(1000, 4, 'leading')).toEqual([750, 500, 250, 0]);
    expect(inferenceTimesteps(1000, 10, 'trailing')).toEqual([
      999, 899, 799, 699, 599, 499, 399, 299, 199, 99,
    ]);
    expect(inferenceTimesteps(1000, 4, 'trailing')).toEqual([999, 749, 499, 249]);
    expect(inferenceTimesteps(1000, 10, 'linspace')).toEqual([
      999, 888, 777, 666, 555, 444, 333, 222, 111, 0,
    ]);
    expect(inferenceTimesteps(1000, 4, 'linspace')).toEqual([999, 666, 333, 0]);
    expect(dpmSolverMultistepTimesteps(1000, 10, 'linspace')).toEqual([
      999, 899, 799, 699, 599, 500, 400, 300, 200, 100,
    ]);
    expect(dpmSolverMultistepTimesteps(1000, 4, 'leading')).toEqual([800, 600, 400, 200]);
    expect(ddimSequence(1000, 10, 'quad')).toEqual([0, 9, 39, 88, 158, 246, 355, 483, 632, 800]);
  });

  it('PNDM lists: PRK timesteps for N = 10 and the skip_prk list duplicating its second entry', () => {
    const prk = pndmTimesteps(1000, 10, { skipPrkSteps: false });
    expect(prk.prk).toEqual([900, 850, 850, 800, 800, 750, 750, 700, 700, 650, 650, 600]);
    expect(prk.plms).toEqual([600, 500, 400, 300, 200, 100, 0]);
    expect(pndmTimesteps(1000, 10, { skipPrkSteps: true }).plms).toEqual([
      900, 800, 800, 700, 600, 500, 400, 300, 200, 100, 0,
    ]);
  });

  it('LCM timesteps for n = 1, 2, 4, 8 (floor(linspace) over the 50-step skipping grid)', () => {
    expect(lcmTimesteps(1000, 1)).toEqual([999]);
    expect(lcmTimesteps(1000, 2)).toEqual([999, 499]);
    expect(lcmTimesteps(1000, 4)).toEqual([999, 759, 499, 259]);
    expect(lcmTimesteps(1000, 8)).toEqual([999, 879, 759, 639, 499, 379, 259, 139]);
  });
});

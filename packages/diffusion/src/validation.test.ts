import { InvalidArgumentError } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { gaussianMixture, gaussianModel } from './models/gaussian-mixture';
import { asPrediction } from './models/model';
import { ddim, ddpm } from './samplers/ddim';
import { dpmSolver } from './samplers/dpm-solver';
import { lcm } from './samplers/lcm';
import { pndm } from './samplers/pndm';
import { discreteSchedule } from './schedules/discrete';

const schedule = discreteSchedule({});
const model = gaussianModel({ mean: [0, 0, 0], covariance: 0.25 });

/** Runs `action` and returns the named error it throws (fails the test if it does not throw one). */
function caught(action: () => unknown): InvalidArgumentError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('bad input gets a named error with the value and the fix', () => {
  it('batch dimension mismatch: x_T length not a multiple of the model dimension', () => {
    const error = caught(() => ddim().sample(model, schedule, new Float64Array(7)));
    expect(error.name).toBe('InvalidArgumentError');
    expect(error.message).toMatch(/batch dimension mismatch/);
    expect(error.message).toMatch(/length 7/);
    expect(error.message).toMatch(/model dimension 3/);
  });

  it('NaN in x_T names the offending index', () => {
    const xT = new Float64Array(6);
    xT[4] = Number.NaN;
    expect(caught(() => dpmSolver().sample(model, schedule, xT)).message).toMatch(/xT\[4\]|NaN/);
  });

  it('more inference steps than training timesteps', () => {
    for (const make of [
      () => ddim({ numInferenceSteps: 1001 }),
      () => pndm({ numInferenceSteps: 1001 }),
      () => dpmSolver({ numInferenceSteps: 1001 }),
    ]) {
      const error = caught(() => make().sample(model, schedule, new Float64Array(3)));
      expect(error.message).toMatch(/1001/);
      expect(error.message).toMatch(/1000 training timesteps/);
    }
    expect(
      caught(() => lcm({ numInferenceSteps: 51 }).sample(model, schedule, new Float64Array(3))).message,
    ).toMatch(/originalInferenceSteps/);
  });

  it('unknown prediction type', () => {
    const error = caught(() => asPrediction(model, 'v_prediction' as never));
    expect(error.message).toMatch(/'epsilon', 'sample' or 'v'/);
    expect(error.message).toMatch(/v_prediction/);
    expect(() =>
      gaussianMixture({ weights: [1], means: [[0]], covariances: [1], prediction: 'x0' as never }),
    ).toThrow(InvalidArgumentError);
  });

  it('non-monotone or out-of-range custom timesteps', () => {
    const notDescending = caught(() =>
      ddim({ timesteps: [900, 500, 700, 0] }).sample(model, schedule, new Float64Array(3)),
    );
    expect(notDescending.message).toMatch(/strictly descending/);
    expect(notDescending.message).toMatch(/700/);
    expect(
      caught(() => ddpm({ timesteps: [1000, 10] }).sample(model, schedule, new Float64Array(3))).message,
    ).toMatch(/\[0, 999\]/);
    expect(caught(() => dpmSolver({ timesteps: [500, 500] }).grid(schedule)).message).toMatch(
      /strictly descending/,
    );
  });

  it('unknown option keys are rejected by the strict schemas (typos do not pass silently)', () => {
    expect(() => ddim({ etta: 1 } as never)).toThrow(/etta|unrecognized/i);
    expect(() => dpmSolver({ solverOrder: 2 } as never)).toThrow(/solverOrder|unrecognized/i);
  });

  it('mixture weights not summing to 1, negative weights, non-PD covariances, ragged means', () => {
    expect(
      caught(() => gaussianMixture({ weights: [0.5, 0.6], means: [[0], [1]], covariances: [1, 1] })).message,
    ).toMatch(/sum to 1/);
    expect(
      caught(() => gaussianMixture({ weights: [1.5, -0.5], means: [[0], [1]], covariances: [1, 1] })).message,
    ).toMatch(/positive/);
    expect(
      caught(() =>
        gaussianMixture({
          weights: [1],
          means: [[0, 0]],
          covariances: [
            [
              [1, 2],
              [2, 1],
            ],
          ],
        }),
      ).message,
    ).toMatch(/positive definite/);
    expect(
      caught(() => gaussianMixture({ weights: [0.5, 0.5], means: [[0, 0], [1]], covariances: [1, 1] }))
        .message,
    ).toMatch(/length d = 2/);
  });

  it('custom betas are used verbatim (diffusers.js fell back to linspace) and validated', () => {
    const betas = Array.from({ length: 1000 }, (_, i) => 0.001 + 0.01 * (i / 999) ** 2);
    const custom = discreteSchedule({ trainedBetas: betas });
    let product = 1;
    betas.forEach((beta, i) => {
      product *= 1 - beta;
      expect(custom.alphasCumprod?.[i]).toBe(product);
    });
    expect(custom.betas?.[17]).toBe(betas[17]);
    expect(caught(() => discreteSchedule({ trainedBetas: [0.1, 1.2, 0.3] })).message).toMatch(/\(0, 1\)/);
  });
});

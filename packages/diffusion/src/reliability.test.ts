/**
 * Issue 13's causes as they occur in @argmin/diffusion, one test each: options validated through core's
 * parseOptions (InvalidOptionsError with "did you mean"), integer options, schedules and mixtures built from
 * bad numbers, allocation guards, and options that have no effect in the chosen configuration. (Non-finite
 * models ending in a failure status with finite samples and state: samplers/drivers.test.ts.)
 */
import {
  createRng,
  InvalidArgumentError,
  InvalidOptionsError,
  parseOptions,
  ResourceLimitError,
  setResourceLimits,
} from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { gaussianMixture, gaussianModel } from './models/gaussian-mixture';
import { dpmSolverPlugin } from './plugins';
import { ddim, ddpm } from './samplers/ddim';
import { dpmSolver, dpmSolverOptions } from './samplers/dpm-solver';
import { lcm } from './samplers/lcm';
import { pndm } from './samplers/pndm';
import { timeShift } from './samplers/time-shift';
import { discreteSchedule } from './schedules/discrete';

function thrown(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('cause 2: every factory validates through parseOptions (named error, did-you-mean)', () => {
  const factories: [string, (options: never) => unknown][] = [
    ['ddim', ddim],
    ['ddpm', ddpm],
    ['pndm', pndm],
    ['dpmSolver', dpmSolver],
    ['lcm', lcm],
    ['timeShift', timeShift],
  ];
  it.each(factories)(
    '%s: diffusers spelling num_inference_steps suggests numInferenceSteps',
    (_name, make) => {
      const error = thrown(() => make({ num_inference_steps: 10 } as never));
      expect(InvalidOptionsError.isInstance(error)).toBe(true);
      expect(error.message).toMatch(/num_inference_steps/);
      expect(error.message).toMatch(/did you mean `numInferenceSteps`/);
    },
  );

  it('near misses and other diffusers names get a suggestion too', () => {
    expect(thrown(() => dpmSolver({ solver_order: 2 } as never)).message).toMatch(/solver_order/);
    expect(thrown(() => ddim({ etta: 0.5 } as never)).message).toMatch(/did you mean `eta`/);
  });
});

describe('cause 1: integer options that size loops or buffers are validated', () => {
  it.each([
    ['ddim numInferenceSteps 2.5', () => ddim({ numInferenceSteps: 2.5 })],
    ['ddpm numInferenceSteps 0', () => ddpm({ numInferenceSteps: 0 })],
    ['pndm numInferenceSteps NaN', () => pndm({ numInferenceSteps: Number.NaN })],
    ['dpmSolver order 4', () => dpmSolver({ order: 4 as never })],
    [
      'dpmSolver maxAttempts 0.5',
      () => dpmSolver({ grid: 'continuous', method: 'adaptive', maxAttempts: 0.5 }),
    ],
    ['lcm originalInferenceSteps -1', () => lcm({ originalInferenceSteps: -1 })],
    ['timeShift windowSize -2', () => timeShift({ windowSize: -2 })],
    ['timeShift cutoff 1.5', () => timeShift({ cutoff: 1.5 })],
    ['ddim timesteps [900.5]', () => ddim({ timesteps: [900.5] })],
  ])('%s is an InvalidOptionsError', (_name, action) => {
    expect(InvalidOptionsError.isInstance(thrown(action))).toBe(true);
  });
});

describe('cause 6: schedules and mixtures built from bad numbers are named errors', () => {
  it.each([
    ['betaStart NaN', { betaStart: Number.NaN }, /betaStart/],
    ['betaStart > 1', { betaStart: 1.5 }, /betaStart.*\(0, 1\)/],
    ['betaEnd 0', { betaEnd: 0 }, /betaEnd/],
    ['clippedLambda NaN', { clippedLambda: Number.NaN }, /clippedLambda/],
    ['numTrainTimesteps 1.5', { numTrainTimesteps: 1.5 }, /numTrainTimesteps/],
  ])('%s', (_name, options, pattern) => {
    const error = thrown(() => discreteSchedule(options));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(pattern);
  });

  it('a zero-dimensional mixture is refused', () => {
    const error = thrown(() => gaussianMixture({ weights: [1], means: [[]], covariances: [1] }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/at least one dimension/);
    expect(() => gaussianModel({ mean: [], covariance: 1 })).toThrow(/at least one dimension/);
  });
});

describe('cause 7: allocations sized by user input are checked against the budget first', () => {
  it('a schedule of 10^10 timesteps, 10^10 samples and a huge mixture are ResourceLimitErrors', () => {
    expect(ResourceLimitError.isInstance(thrown(() => discreteSchedule({ numTrainTimesteps: 1e10 })))).toBe(
      true,
    );
    const model = gaussianModel({ mean: [0, 0], covariance: 1 });
    const level = discreteSchedule({}).levelAtTime(0.5);
    expect(ResourceLimitError.isInstance(thrown(() => model.sampleMarginal(1e10, level, createRng(0))))).toBe(
      true,
    );
    expect(ResourceLimitError.isInstance(thrown(() => model.sample(1e10, createRng(0))))).toBe(true);
  });

  it('the sampler buffers respect a lowered budget (setResourceLimits)', () => {
    const model = gaussianModel({ mean: [0, 0], covariance: 1 });
    const previous = setResourceLimits({ maxBytes: 1024 });
    try {
      const error = thrown(() => ddim().sample(model, discreteSchedule({}), new Float64Array(200)));
      expect(ResourceLimitError.isInstance(error)).toBe(true);
    } finally {
      setResourceLimits(previous);
    }
  });
});

describe('cause 11: an option with no effect in the chosen configuration is a named error', () => {
  it.each([
    ['skipType on the discrete grid', () => dpmSolver({ skipType: 'logSNR' }), /skipType.*grid 'discrete'/],
    ['tStart on the discrete grid', () => dpmSolver({ tStart: 0.9 }), /tStart/],
    ['tEnd on the discrete grid', () => dpmSolver({ tEnd: 1e-3 }), /tEnd/],
    [
      'useLuLambdas on the continuous grid',
      () => dpmSolver({ grid: 'continuous', useLuLambdas: true }),
      /useLuLambdas.*grid 'continuous'/,
    ],
    [
      'useKarrasSigmas on the continuous grid',
      () => dpmSolver({ grid: 'continuous', useKarrasSigmas: true }),
      /useKarrasSigmas/,
    ],
    ['atol with multistep', () => dpmSolver({ grid: 'continuous', atol: 0.01 }), /atol.*adaptive/],
    [
      'numInferenceSteps with adaptive',
      () => dpmSolver({ grid: 'continuous', method: 'adaptive', numInferenceSteps: 12 }),
      /numInferenceSteps/,
    ],
    [
      'sampleMaxValue without thresholding',
      () => dpmSolver({ sampleMaxValue: 2 }),
      /sampleMaxValue.*without thresholding/,
    ],
    [
      'stepsOffset with trailing spacing',
      () => ddim({ timestepSpacing: 'trailing', stepsOffset: 1 }),
      /stepsOffset/,
    ],
    [
      'numInferenceSteps with custom timesteps',
      () => ddpm({ timesteps: [800, 400, 0], numInferenceSteps: 3 }),
      /custom timesteps/,
    ],
    [
      'clipSampleRange without clipSample',
      () => ddim({ clipSample: false, clipSampleRange: 2 }),
      /clipSampleRange/,
    ],
    [
      'useClippedModelOutput with nothing clipped',
      () => ddim({ clipSample: false, useClippedModelOutput: true }),
      /useClippedModelOutput/,
    ],
    [
      'setAlphaToOne with the PNDM reference indexing',
      () => pndm({ alphaIndexing: 'reference', setAlphaToOne: true }),
      /setAlphaToOne/,
    ],
  ])('%s', (_name, action, pattern) => {
    const error = thrown(action);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(pattern);
    expect(error.message).toMatch(/has no effect/);
  });

  it('the same options at their defaults pass, so the registry (which fills every default in) works', () => {
    expect(() =>
      dpmSolverPlugin.create(parseOptions('diffusion/dpm-solver-pp', dpmSolverOptions, {})),
    ).not.toThrow();
    expect(() =>
      dpmSolverPlugin.create(
        parseOptions('diffusion/dpm-solver-pp', dpmSolverOptions, { grid: 'continuous' }),
      ),
    ).not.toThrow();
    expect(() => dpmSolver({ grid: 'continuous', skipType: 'logSNR', tEnd: 1e-3 })).not.toThrow();
    expect(() => dpmSolver({ useLuLambdas: true, skipType: 'time_uniform' })).not.toThrow();
  });
});

// The README's example (examples.test.ts runs it and checks that the README block is this file).
import { createRng } from '@argmin/core';
import { discreteSchedule, dpmSolver, frechetDistance, gaussianMixture } from '../src/index';

const model = gaussianMixture({
  weights: [0.5, 0.5],
  means: [
    [-1, 0],
    [1, 0],
  ],
  covariances: [
    0.01,
    [
      [0.02, 0.01],
      [0.01, 0.02],
    ],
  ], // isotropic τ², diagonal or full
}); // predicts 'epsilon' (also 'sample' | 'v')
const schedule = discreteSchedule({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012 });

const sampler = dpmSolver({ numInferenceSteps: 20 }); // DPMSolverMultistepScheduler defaults
const [first] = sampler.grid(schedule);
const xT = model.sampleMarginal(1000, first, createRng(0)); // row-major [1000, 2]
export const result = sampler.sample(model, schedule, xT);
export const distance = frechetDistance(result.x, 2, model.moments()); // "analytic FID"
console.log(`${result.status} after ${result.nfe} model calls; Fréchet distance to the data ${distance}`);

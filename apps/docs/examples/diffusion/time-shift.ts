// Time-Shift sampler (DDIM with shifted time steps, 20 steps) on an exact two-component Gaussian mixture denoiser.
import { createRng } from '@argmin/core';
import { discreteSchedule, gaussianMixture, timeShift } from '@argmin/diffusion';

const model = gaussianMixture({
  weights: [0.5, 0.5],
  means: [
    [1, 1],
    [-1, -1],
  ],
  covariances: [0.05, 0.05],
});
const schedule = discreteSchedule({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012 });
const sampler = timeShift({ numInferenceSteps: 20, windowSize: 5, cutoff: 300 });
const xT = model.sampleMarginal(64, sampler.grid(schedule)[0], createRng(0));
export const result = sampler.sample(model, schedule, xT);
console.log(result.status, result.nfe);

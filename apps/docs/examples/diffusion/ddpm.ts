// DDPM (ancestral, 50 steps) on an exact two-component Gaussian mixture denoiser.
import { createRng } from '@argmin/core';
import { ddpm, discreteSchedule, gaussianMixture } from '@argmin/diffusion';

const model = gaussianMixture({
  weights: [0.5, 0.5],
  means: [
    [1, 1],
    [-1, -1],
  ],
  covariances: [0.05, 0.05],
});
const schedule = discreteSchedule({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012 });
const sampler = ddpm({ numInferenceSteps: 50 });
const xT = model.sampleMarginal(64, sampler.grid(schedule)[0], createRng(0));
export const result = sampler.sample(model, schedule, xT, { rng: createRng(1) });
console.log(result.status, result.nfe); // 50 model evaluations

// Plugging in your own network: an asynchronous model (as onnxruntime-web, tfjs or WebGPU return Promises)
// through sampleAsync, and the same sampler driven by your own loop through its diffusers-style scheduler.
// The "network" here is the exact mixture behind a Promise, so all three runs can be compared.
// Run: cd packages/diffusion && pnpm vitest run examples (examples.test.ts imports it and checks the numbers).
import { createRng } from '@argmin/core';
import { type AsyncDenoiserModel, discreteSchedule, dpmSolver, gaussianMixture } from '../src/index';

const d = 4;
const mixture = gaussianMixture({
  weights: [0.3, 0.7],
  means: [new Array(d).fill(-0.6), new Array(d).fill(0.4)],
  covariances: [0.02, 0.05],
});
const schedule = discreteSchedule({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012 });

/** A stand-in for a network session: predict resolves later with a new array, as session.run(...) does. */
const network: AsyncDenoiserModel = {
  dimension: d,
  prediction: 'epsilon',
  async predict(x, batch, level) {
    const output = new Float64Array(x.length);
    await Promise.resolve(); // an inference call would be awaited here
    return mixture.predict(x, batch, level, output);
  },
};

const sampler = dpmSolver({ numInferenceSteps: 12 });
const [start] = sampler.grid(schedule);
const xT = mixture.sampleMarginal(256, start, createRng(7));

// 1. the synchronous exact model
export const sync = sampler.sample(mixture, schedule, xT);
// 2. the asynchronous network: same evaluations in the same order, so the same bits
export const asynchronous = await sampler.sampleAsync(network, schedule, xT);
// 3. your own loop, diffusers style: for t in timesteps: x = step(model(x, t), t, x)
const scheduler = sampler.scheduler(schedule, { dimension: d, prediction: 'epsilon' });
let x: Float64Array = Float64Array.from(xT);
for (const [k, t] of scheduler.timesteps.entries()) {
  const output = await network.predict(x, 256, scheduler.levels[k], new Float64Array(x.length));
  x = scheduler.step(output, t, x);
}
export const ownLoop = x;
export let largestDifference = 0;
for (let i = 0; i < x.length; i++) {
  largestDifference = Math.max(
    largestDifference,
    Math.abs(x[i] - sync.x[i]),
    Math.abs(asynchronous.x[i] - sync.x[i]),
  );
}
console.log(
  `${sync.nfe} NFE, status ${asynchronous.status}; scheduler.timesteps = [${scheduler.timesteps.join(', ')}]; largest difference between the three runs: ${largestDifference}`,
);

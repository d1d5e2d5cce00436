// BO-REP (normalized momentum, lower-level initialization refinement, periodic updates) on a bilevel
// problem whose upper level has unbounded smoothness, with noisy oracles.
import { boRep, noisyBilevel, unboundedSmoothnessToy } from '@argmin/bilevel';
import { createRng, maxIterations, solve } from '@argmin/core';

const toy = unboundedSmoothnessToy({ dimension: 10, mu: 1, rng: createRng(0) });
const noisy = noisyBilevel(toy, { gradientNoise: 0.1, hessianNoise: 0.01 });
const method = boRep({ stepSize: 0.05, interval: 2, lowerSteps: 3, lowerStepSize: 0.3, stochastic: true });
export const result = solve(method, noisy, new Float64Array(10).fill(1), {
  stopWhen: maxIterations(200),
  seed: 1,
});
console.log(result.status, Array.from(result.x.slice(0, 3)));

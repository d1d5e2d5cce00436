// BSVRB: blockwise stochastic variance-reduced bilevel optimization on multi-task data cleaning
// (one lower-level problem per task; 5 of 20 blocks sampled per iteration).
import { bsvrb, multiTaskCleaning } from '@argmin/bilevel';
import { createRng, type Vec } from '@argmin/core';

const problem = multiTaskCleaning({ tasks: 20, trainSamples: 50, validationSamples: 50, rng: createRng(0) });
const optimizer = bsvrb({
  variant: 'v1',
  blocksPerIteration: 5,
  batchSize: 16,
  stepSize: 0.5,
  lowerStepSize: 0.5,
});
const context = { rng: createRng(1), warn: () => {} };
let x: Vec = new Float64Array(problem.dimX);
let state = optimizer.init(x, problem, context);
let status = 'running';
for (let k = 0; k < 100; k++) {
  const step = optimizer.step(x, state, problem, context);
  if (step.status === 'numerical-error') {
    status = step.status;
    break;
  }
  x = step.x;
  state = step.state;
}
export const result = { status, x };
console.log(status, Array.from(x.slice(0, 3)));

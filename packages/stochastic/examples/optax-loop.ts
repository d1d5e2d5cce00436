// An optax-style training loop you drive yourself: explicit minibatches, tx.update without a context,
// applyUpdates. Then AdaHessian through solve, with the Hessian on each step's gradient batch.
import { createRng, maxIterations, solve } from '@argmin/core';
import { adahessian, applyUpdates, scaleByAdam, scaledLogisticRegression } from '@argmin/stochastic';

const problem = scaledLogisticRegression({
  samples: 1000,
  dimension: 20,
  scaleLow: 0.1,
  scaleHigh: 10,
  l2: 1e-3,
  batchSize: 32,
  rng: createRng(0),
});
const learningRate = 0.05;
const tx = scaleByAdam();
const rng = createRng(1);
let params: Float64Array = new Float64Array(problem.dimension);
let state = tx.init(params);
const grads = new Float64Array(problem.dimension);
for (let step = 0; step < 600; step++) {
  const batch = problem.drawBatch(rng); // the same examples could also give problem.batchHvp(batch, ...)
  problem.batchGrad(batch, params, grads);
  const { updates, state: next } = tx.update(grads, state, params);
  state = next;
  params = applyUpdates(
    params,
    updates.map((u) => -learningRate * u),
  ) as Float64Array;
}
const adamLoss = problem.value(params);

// AdaHessian: one batch per step for the gradient and the Hessian-vector product (the default).
const result = solve(adahessian({ learningRate: 0.1 }), problem, new Float64Array(problem.dimension), {
  stopWhen: maxIterations(600),
  seed: 1,
});
const adahessianLoss = problem.value(result.x);
console.log(
  `loss after 600 minibatch steps: Adam ${adamLoss.toFixed(4)}, AdaHessian ${adahessianLoss.toFixed(4)}`,
);

export { adahessianLoss, adamLoss, problem };

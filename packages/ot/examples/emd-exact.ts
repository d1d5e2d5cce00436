// Exact OT (earth mover's distance) and the entropic cost approaching it as ε shrinks.
import { createRng } from '@argmin/core';
import { emd, sinkhorn, squaredEuclideanCost } from '@argmin/ot';

const rng = createRng(1);
const X = { rows: 12, cols: 2, data: rng.fillNormal(new Float64Array(24)) };
const Y = { rows: 12, cols: 2, data: rng.fillNormal(new Float64Array(24), 1) };
const cost = squaredEuclideanCost(X, Y);

const exact = emd([], [], cost); // [] = uniform weights, as in POT
const entropic = [1, 0.1, 0.02].map(
  (regularization) =>
    sinkhorn([], [], cost, { regularization, method: 'stabilized', maxIterations: 20000, tolerance: 1e-9 })
      .cost,
);
console.log(
  `emd ${exact.cost.toFixed(6)}; sinkhorn at ε = 1, 0.1, 0.02: ${entropic.map((c) => c.toFixed(6)).join(', ')}`,
);

export { entropic, exact };

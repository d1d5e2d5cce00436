// Exact OT (earth mover's distance) and the entropic cost approaching it as ε shrinks.
import { createRng } from '@argmin/core';
import { emd, sinkhorn, squaredEuclideanCost } from '@argmin/ot';

const rng = createRng(1);
const X = { rows: 30, cols: 2, data: rng.fillNormal(new Float64Array(60)) };
const Y = { rows: 30, cols: 2, data: rng.fillNormal(new Float64Array(60), 1) };
const w = new Float64Array(30).fill(1 / 30);
const cost = squaredEuclideanCost(X, Y);

const exact = emd(w, w, cost);
const entropic = [1, 0.1, 0.01].map(
  (regularization) => sinkhorn(w, w, cost, { regularization, method: 'log', maxIterations: 20000 }).cost,
);
console.log(
  `emd ${exact.cost.toFixed(6)}; sinkhorn at ε = 1, 0.1, 0.01: ${entropic.map((c) => c.toFixed(6)).join(', ')}`,
);

export { entropic, exact };

import { createRng } from '@argmin/core';
import { emd, sinkhorn, sns, squaredEuclideanCost, uniform } from '@argmin/ot';

// Two point clouds of 60 points in the plane, the second shifted by (1, 0).
const rng = createRng(0);
const X = { rows: 60, cols: 2, data: rng.fillNormal(new Float64Array(120)) };
const Y = {
  rows: 60,
  cols: 2,
  data: rng.fillNormal(new Float64Array(120)).map((v, k) => (k % 2 ? v : v + 1)),
};
const cost = squaredEuclideanCost(X, Y, { normalize: true }); // ot.dist(X, Y) / max
const a = uniform(60); // or [] for uniform weights, or any number[]

const entropic = sinkhorn(a, a, cost, { regularization: 0.01, method: 'log' });
const exact = emd(a, a, cost);
const newton = sns(a, a, cost, { regularization: 0.01, density: 5 / 60 });

console.log(entropic.status, entropic.iterations, entropic.cost.toFixed(5)); // converged, sweeps, ⟨P, C⟩
console.log(exact.status, exact.cost.toFixed(5)); // converged, the earth mover's distance
console.log(newton.status, newton.sinkhornIterations, newton.newtonIterations, newton.cost.toFixed(5));

export { entropic, exact, newton };

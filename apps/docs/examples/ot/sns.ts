// Sinkhorn-Newton-Sparse: Sinkhorn warm-up, then sparsified Newton steps on the dual.
import { createRng } from '@argmin/core';
import { sns, squaredEuclideanCost } from '@argmin/ot';

const rng = createRng(1);
const X = { rows: 40, cols: 2, data: rng.fillNormal(new Float64Array(80)) };
const Y = { rows: 40, cols: 2, data: rng.fillNormal(new Float64Array(80), 1) };
const a = new Float64Array(40).fill(1 / 40);
const b = new Float64Array(40).fill(1 / 40);
export const result = sns(a, b, squaredEuclideanCost(X, Y), { regularization: 0.5 });
console.log(result.status, result.iterations, result.cost, result.marginalError);

// Entropic OT between two point clouds, as ot.sinkhorn / ot.sinkhorn2 would compute it.
import { createRng } from '@argmin/core';
import { sinkhorn, squaredEuclideanCost } from '@argmin/ot';

const rng = createRng(0);
const X = { rows: 50, cols: 2, data: rng.fillNormal(new Float64Array(100)) };
const Y = { rows: 40, cols: 2, data: rng.fillNormal(new Float64Array(80), 2) };
const a = new Float64Array(50).fill(1 / 50);
const b = new Float64Array(40).fill(1 / 40);

const result = sinkhorn(a, b, squaredEuclideanCost(X, Y), { regularization: 0.5, method: 'log' });
console.log(result.status, result.iterations, result.cost.toFixed(6), result.marginalError.toExponential(2));

export { result };

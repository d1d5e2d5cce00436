// Entropic OT between two small point clouds (POT's ot.sinkhorn): `regularization` is required.
import { createRng } from '@argmin/core';
import { sinkhorn, squaredEuclideanCost } from '@argmin/ot';

const rng = createRng(0);
const X = { rows: 30, cols: 2, data: rng.fillNormal(new Float64Array(60)) };
const Y = { rows: 20, cols: 2, data: rng.fillNormal(new Float64Array(40), 1) };
const a = new Float64Array(30).fill(1 / 30);
const b = new Float64Array(20).fill(1 / 20);
export const result = sinkhorn(a, b, squaredEuclideanCost(X, Y), { regularization: 0.5 });
console.log(result.status, result.iterations, result.cost, result.marginalError);

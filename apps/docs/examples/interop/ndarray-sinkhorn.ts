// Passing scijs ndarray views to argmin: point clouds stored as [n, d] ndarrays, weights as 1-D views,
// converted once by @argmin/core/ndarray (shared buffers when contiguous, one copy otherwise).
import { asDenseMatrix, asVec } from '@argmin/core/ndarray';
import { sinkhorn, squaredEuclideanCost } from '@argmin/ot';
import ndarray from 'ndarray';

const X = ndarray(Float64Array.of(0, 0, 1, 0, 0, 1, 1, 1), [4, 2]); // 4 points in the plane
const Y = ndarray(Float64Array.of(0.5, 0.5, 2, 2, 0, 0, 2, 0, 0, 2, 1, 1), [6, 2]).hi(3, 2); // first 3 of 6
const a = ndarray(new Float64Array(4).fill(1 / 4), [4]);
const b = ndarray(Float64Array.of(1 / 3, 0, 1 / 3, 0, 1 / 3, 0), [3], [2]); // strided: every other entry

const cost = squaredEuclideanCost(asDenseMatrix(X), asDenseMatrix(Y));
export const result = sinkhorn(asVec(a), asVec(b), cost, { regularization: 0.1 });
console.log(result.status, result.cost, result.plan.rows, result.plan.cols); // a 4 x 3 plan

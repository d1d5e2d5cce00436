export type { CostOptions } from './cost';
export { euclideanCost, gridCost, squaredEuclideanCost } from './cost';
export type { OtResult } from './result';
export { linearCost, marginalError } from './result';
export type { SinkhornMethod, SinkhornOptions } from './sinkhorn/sinkhorn';
export { sinkhorn, sinkhorn2, sinkhornMethods, sinkhornOptions } from './sinkhorn/sinkhorn';

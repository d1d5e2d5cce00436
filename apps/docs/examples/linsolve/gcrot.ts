// GCROT(m, k) with scipy's gcrotmk semantics.
import { gcrot, poisson2d } from '@argmin/linsolve';

const { matrix, rhs } = poisson2d(24);
export const result = gcrot(matrix, rhs, { m: 20, k: 10, rtol: 1e-8 });
console.log(result.status, result.iterations);

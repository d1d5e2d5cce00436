// Conjugate gradients (scipy.sparse.linalg.cg semantics) on the 2-D Poisson matrix, 32 x 32 grid.
import { cg, poisson2d } from '@argmin/linsolve';

const { matrix, rhs } = poisson2d(32);
export const result = cg(matrix, rhs, { rtol: 1e-8 });
console.log(result.status, result.iterations);

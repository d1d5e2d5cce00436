// MINRES on a symmetric system (the 2-D Poisson matrix; MINRES also takes indefinite ones).
import { minres, poisson2d } from '@argmin/linsolve';

const { matrix, rhs } = poisson2d(24);
export const result = minres(matrix, rhs, { rtol: 1e-8 });
console.log(result.status, result.iterations);

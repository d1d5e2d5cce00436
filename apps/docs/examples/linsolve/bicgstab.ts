// BiCGStab on the 2-D Poisson system.
import { bicgstab, poisson2d } from '@argmin/linsolve';

const { matrix, rhs } = poisson2d(24);
export const result = bicgstab(matrix, rhs, { rtol: 1e-8 });
console.log(result.status, result.iterations);

// Restarted GMRES(30) on a convection-diffusion-like nonsymmetric system built from the Poisson matrix.
import { gmres, poisson2d } from '@argmin/linsolve';

const { matrix, rhs } = poisson2d(24);
export const result = gmres(matrix, rhs, { rtol: 1e-8, restart: 30 });
console.log(result.status, result.iterations);

// GCRO-DR: GMRES with a recycled subspace of harmonic Ritz vectors.
import { gcroDr, poisson2d } from '@argmin/linsolve';

const { matrix, rhs } = poisson2d(24);
export const result = gcroDr(matrix, rhs, { restart: 30, recycle: 10, rtol: 1e-8 });
console.log(result.status, result.iterations);

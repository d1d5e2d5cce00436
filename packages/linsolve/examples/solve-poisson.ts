import { createRng } from '@argmin/core';
import { cg, darcySequence, gmres, ic0Preconditioner, poisson2d, solveSequence } from '../src/index';

// 2-D Poisson equation on a 64 x 64 grid: 4096 unknowns as a CSR matrix and a matrix-free stencil
const { matrix, operator, rhs } = poisson2d(64);
const plain = cg(operator, rhs, { rtol: 1e-8 });
const pcg = cg(matrix, rhs, { rtol: 1e-8, preconditioner: ic0Preconditioner(matrix) });
const restarted = gmres(matrix, rhs, { rtol: 1e-8, restart: 30 });
console.log(plain.status, plain.iterations, pcg.iterations);
console.log(restarted.iterations, restarted.cycles); // inner Arnoldi steps, restart cycles

// SKR: sort a sequence of Darcy systems, then solve it with GCRO-DR, recycling a Krylov subspace
const systems = darcySequence(createRng(0), 6, { gridSize: 24 });
const scratch = solveSequence(systems, { solver: 'gmres' });
const skr = solveSequence(systems, { sort: 'greedy' });
console.log(skr.status, scratch.totals.matvecs, skr.totals.matvecs);

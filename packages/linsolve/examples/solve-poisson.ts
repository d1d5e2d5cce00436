// Solve the 2-D Poisson equation with CG, PCG (IC(0)) and GMRES, then a Darcy sequence with SKR recycling.
import { createRng } from '@argmin/core';
import { cg, darcySequence, gmres, ic0Preconditioner, poisson2d, solveSequence } from '../src/index';

const { matrix, operator, rhs } = poisson2d(64);
export const plain = cg(operator, rhs, { rtol: 1e-8 });
export const preconditioned = cg(matrix, rhs, { rtol: 1e-8, preconditioner: ic0Preconditioner(matrix) });
export const restarted = gmres(matrix, rhs, { rtol: 1e-8, restart: 30 });
console.log(
  `CG: ${plain.iterations} iterations, PCG/IC(0): ${preconditioned.iterations}, GMRES(30): ${restarted.iterations} (${restarted.cycles} cycles)`,
);

const systems = darcySequence(createRng(0), 6, { gridSize: 24 });
export const scratch = solveSequence(systems, { solver: 'gmres' });
export const recycled = solveSequence(systems, { sort: 'greedy' });
console.log(`Darcy x6: GMRES(40) ${scratch.totals.matvecs} matvecs, SKR ${recycled.totals.matvecs} matvecs`);

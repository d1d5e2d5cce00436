// SKR: solve a sequence of Darcy-flow systems, sorted (greedy) and recycling a Krylov subspace.
import { createRng } from '@argmin/core';
import { darcySequence, solveSequence } from '@argmin/linsolve';

const systems = darcySequence(createRng(0), 4, { gridSize: 16 });
export const result = solveSequence(systems, { sort: 'greedy' });
console.log(result.totals.matvecs);

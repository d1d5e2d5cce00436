import { createRng } from '@argmin/core';
import { bench, describe } from 'vitest';
import { darcySequence, poisson2d } from '../problems/pde';
import { gcroDr } from '../recycling/gcro-dr';
import { bicgstab } from './bicgstab';
import { cg } from './cg';
import { gmres } from './gmres';

// Run with `pnpm bench`. Odd sizes first warm the JIT up; every case checks its result inside the timed loop.
for (const size of [63, 128, 256, 512]) {
  const { matrix, operator, rhs } = poisson2d(size);
  describe(`2-D Poisson ${size}x${size} (n = ${size * size}), 20 iterations`, () => {
    bench('cg, CSR', () => {
      const result = cg(matrix, rhs, { rtol: 0, maxIterations: 20 });
      if (!Number.isFinite(result.residualNorm)) throw new Error('non-finite residual');
    });
    bench('cg, stencil', () => {
      const result = cg(operator, rhs, { rtol: 0, maxIterations: 20 });
      if (!Number.isFinite(result.residualNorm)) throw new Error('non-finite residual');
    });
    bench('bicgstab, stencil (10 iterations = 20 matvecs)', () => {
      const result = bicgstab(operator, rhs, { rtol: 0, maxIterations: 10 });
      if (!Number.isFinite(result.residualNorm)) throw new Error('non-finite residual');
    });
    bench('gmres(20), CSR, one cycle', () => {
      const result = gmres(matrix, rhs, { rtol: 0, restart: 20, maxIterations: 1 });
      if (!Number.isFinite(result.residualNorm)) throw new Error('non-finite residual');
    });
  });
}

describe('Darcy 32x32, GCRO-DR(40, 20) to rtol 1e-8', () => {
  const [first, second] = darcySequence(createRng(0), 2, { gridSize: 32 });
  const warm = gcroDr(first.matrix, first.rhs, { rtol: 1e-8 });
  bench('fresh solve', () => {
    if (!gcroDr(second.matrix, second.rhs, { rtol: 1e-8 }).converged) throw new Error('did not converge');
  });
  bench('recycled solve (space from the previous system)', () => {
    if (!gcroDr(second.matrix, second.rhs, { rtol: 1e-8, recycleSpace: warm.recycleSpace }).converged)
      throw new Error('did not converge');
  });
});

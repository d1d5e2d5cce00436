import { createRng, csrOperator } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { gmres } from '../krylov/gmres';
import { darcySequence, darcySystem } from '../problems/pde';
import { maxAbsDifference, norm, residualNorm } from '../test-helpers';
import { gcroDr, recycleSpaceDefects } from './gcro-dr';

describe('GCRO-DR(m, k)', () => {
  const systems = darcySequence(createRng(4), 3, { gridSize: 20 });
  it('with an empty recycle space its first cycle is GMRES(m): same x after one cycle', () => {
    const [s] = systems;
    const ours = gcroDr(s.matrix, s.rhs, { restart: 30, recycle: 10, rtol: 1e-14, maxIterations: 1 });
    const reference = gmres(s.matrix, s.rhs, { restart: 30, rtol: 1e-14, maxIterations: 1 });
    expect(ours.iterations).toBe(reference.iterations);
    expect(maxAbsDifference(ours.x, reference.x) / norm(reference.x)).toBeLessThan(1e-10);
  });
  it('with k = 0 it is GMRES(m) to convergence (x within tolerance, same number of cycles ±1)', () => {
    const [s] = systems;
    const ours = gcroDr(s.matrix, s.rhs, { restart: 20, recycle: 0, rtol: 1e-8 });
    const reference = gmres(s.matrix, s.rhs, { restart: 20, rtol: 1e-8 });
    expect(ours.converged).toBe(true);
    expect(Math.abs(ours.cycles - reference.cycles)).toBeLessThanOrEqual(1);
  });
  it('converges with the true residual below the tolerance and keeps C^T C = I, A U = C to 1e-10', () => {
    let space: ReturnType<typeof gcroDr>['recycleSpace'] | undefined;
    for (const s of systems) {
      const result = gcroDr(s.matrix, s.rhs, { restart: 30, recycle: 10, rtol: 1e-10, recycleSpace: space });
      expect(result.converged).toBe(true);
      expect(residualNorm(s.matrix, result.x, s.rhs)).toBeLessThanOrEqual(1e-10 * norm(s.rhs));
      space = result.recycleSpace;
      expect(space.U.length).toBe(10);
      const defects = recycleSpaceDefects(csrOperator(s.matrix), space);
      expect(defects.orthonormality).toBeLessThan(1e-10);
      expect(defects.consistency).toBeLessThan(1e-10);
    }
  });
  it('re-solving the same system with its own recycled space needs far fewer matvecs', () => {
    const s = darcySystem(createRng(8), { gridSize: 32 });
    const first = gcroDr(s.matrix, s.rhs, { rtol: 1e-8 });
    const again = gcroDr(s.matrix, s.rhs, { rtol: 1e-8, recycleSpace: first.recycleSpace });
    expect(again.converged).toBe(true);
    expect(again.matvecs).toBeLessThan(0.7 * first.matvecs);
  });
  it('recycling across a Darcy sequence uses fewer matvecs than GMRES(40) from scratch', () => {
    // 24x24 (576 unknowns) keeps this under a second; the experiment runs 40x40 and 64x64
    const sequence = darcySequence(createRng(12), 6, { gridSize: 24 });
    let recycled = 0;
    let baseline = 0;
    let space: ReturnType<typeof gcroDr>['recycleSpace'] | undefined;
    for (const s of sequence) {
      const result = gcroDr(s.matrix, s.rhs, { rtol: 1e-8, recycleSpace: space });
      expect(result.converged).toBe(true);
      space = result.recycleSpace;
      recycled += result.matvecs;
      baseline += gmres(s.matrix, s.rhs, { rtol: 1e-8, restart: 40 }).matvecs;
    }
    expect(recycled).toBeLessThan(baseline);
  });
  it('rejects a recycle space of the wrong length', () => {
    const [s] = systems;
    expect(() => gcroDr(s.matrix, s.rhs, { recycleSpace: { U: [new Float64Array(3)], C: [] } })).toThrow(
      /length/,
    );
  });
});

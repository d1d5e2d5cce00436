import { createRng } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { darcySequence } from '../problems/pde';
import { norm } from '../test-helpers';
import { fftGraySort } from './fft-gray-sort';
import { greedySort, pathLength, solveSequence } from './solve-sequence';

describe('SKR sequence solving', () => {
  const systems = darcySequence(createRng(21), 12, { gridSize: 16 });
  it('greedy sort is a permutation whose parameter path is shorter than the given (random) order', () => {
    const parameters = systems.map((s) => s.parameters);
    const order = greedySort(parameters);
    expect([...order].sort((a, b) => a - b)).toEqual(systems.map((_, i) => i));
    expect(order[0]).toBe(0);
    expect(pathLength(parameters, order)).toBeLessThan(
      pathLength(
        parameters,
        systems.map((_, i) => i),
      ),
    );
  });
  it('recycled solves converge and use fewer matvecs than GMRES from scratch; totals add up', () => {
    const baseline = solveSequence(systems, { solver: 'gmres' });
    const recycled = solveSequence(systems, { sort: 'greedy' });
    expect(recycled.totals.converged).toBe(systems.length);
    expect(recycled.totals.matvecs).toBe(recycled.results.reduce((s, r) => s + r.matvecs, 0));
    expect(recycled.totals.matvecs).toBeLessThan(baseline.totals.matvecs);
    expect(recycled.order).toEqual(greedySort(systems.map((s) => s.parameters)));
  });
  it('the FFT/PCA/Gray-code sorter is a deterministic permutation; neighbours in its order are closer than random pairs on average', () => {
    const many = darcySequence(createRng(30), 40, { gridSize: 16 });
    const parameters = many.map((s) => s.parameters);
    const order = fftGraySort(parameters, [16, 16]);
    expect([...order].sort((a, b) => a - b)).toEqual(many.map((_, i) => i));
    expect(fftGraySort(parameters, [16, 16])).toEqual(order);
    expect(pathLength(parameters, order)).toBeLessThan(
      pathLength(
        parameters,
        many.map((_, i) => i),
      ),
    );
    const result = solveSequence(many.slice(0, 6), { sort: 'fft-gray' });
    expect(result.totals.converged).toBe(6);
  });
  it("solver 'gcrot' (GCROT(m, k), U carried with discard_C) converges and recycling cuts matvecs vs fresh GCROT and GMRES", () => {
    // 24x24 Darcy (on 16x16 the fresh GCROT(40, 20) solve is already as cheap as the recycled one;
    // 24x24 measured 870 recycled vs 967 fresh vs 1289 GMRES(40) matvecs)
    const larger = darcySequence(createRng(21), 8, { gridSize: 24 });
    const options = { solver: 'gcrot', restart: 40, recycleDimension: 20, sort: 'greedy' } as const;
    const recycled = solveSequence(larger, options);
    const fresh = solveSequence(larger, { ...options, recycle: false });
    const baseline = solveSequence(larger, { solver: 'gmres' });
    expect(recycled.totals.converged).toBe(larger.length);
    expect(fresh.totals.converged).toBe(larger.length);
    for (const r of recycled.results)
      expect(r.residualNorm).toBeLessThanOrEqual(1e-8 * norm(larger[r.index].rhs));
    expect(recycled.totals.matvecs).toBeLessThan(fresh.totals.matvecs);
    expect(fresh.totals.matvecs).toBeLessThan(baseline.totals.matvecs);
    expect(recycled.recycleSpace?.U.length).toBeGreaterThan(0);
  });
  it('an empty sequence is an error', () => {
    expect(() => solveSequence([])).toThrow(/`systems` is empty/);
  });
});

// Issue 12: every linsolve result extends core's ResultBase with the columnar trace
// { iteration, elapsedMs, metrics: { residualNorm } }, so pipelines, the CLI and the docs plot any of them.
import { createRng, type ResultBase } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { bicgstab } from './krylov/bicgstab';
import { cg } from './krylov/cg';
import { gmres } from './krylov/gmres';
import { minres } from './krylov/minres';
import { darcySequence, poisson2d } from './problems/pde';
import { gcroDr } from './recycling/gcro-dr';
import { gcrot } from './recycling/gcrot';
import { solveSequence } from './sequence/solve-sequence';
import { sor } from './stationary/stationary';

function expectResultBase(name: string, result: ResultBase): void {
  expect(typeof result.status, name).toBe('string');
  expect(result.converged, name).toBe(result.status === 'converged');
  expect(Number.isInteger(result.iterations), name).toBe(true);
  expect(typeof result.message, name).toBe('string');
  expect(Array.isArray(result.warnings), name).toBe(true);
  const { iteration, elapsedMs, metrics } = result.trace;
  expect(iteration.length, name).toBeGreaterThan(0);
  expect(elapsedMs.length, name).toBe(iteration.length);
  for (const column of Object.values(metrics)) expect(column.length, name).toBe(iteration.length);
  // iterations never go backwards and time is measured from the start of the run
  for (let k = 1; k < iteration.length; k++) {
    expect(iteration[k], name).toBeGreaterThanOrEqual(iteration[k - 1]);
    expect(elapsedMs[k], name).toBeGreaterThanOrEqual(elapsedMs[k - 1]);
  }
}

describe('results extend ResultBase', () => {
  const { matrix, rhs } = poisson2d(8);
  const single = [
    ['cg', cg(matrix, rhs, { rtol: 1e-8 })],
    ['minres', minres(matrix, rhs, { rtol: 1e-8 })],
    ['bicgstab', bicgstab(matrix, rhs, { rtol: 1e-8 })],
    ['gmres', gmres(matrix, rhs, { rtol: 1e-8, restart: 5 })],
    ['gcroDr', gcroDr(matrix, rhs, { rtol: 1e-8, restart: 8, recycle: 3 })],
    ['gcrot', gcrot(matrix, rhs, { rtol: 1e-8, m: 5, k: 3 })],
  ] as const;
  for (const [name, result] of single) {
    it(`${name}: trace.metrics.residualNorm starts at ||b|| and ends at the reported iterations`, () => {
      expectResultBase(name, result);
      const { iteration, metrics } = result.trace;
      expect(result.converged).toBe(true);
      expect(iteration[0]).toBe(0);
      expect(metrics.residualNorm[0]).toBeCloseTo(Math.hypot(...rhs), 12);
      // iteration counts inner steps for every solver (GMRES-type: Arnoldi steps at each cycle end)
      expect(iteration[iteration.length - 1]).toBe(result.iterations);
      expect(result.cycles).toBeLessThanOrEqual(result.iterations);
    });
  }
  it('GMRES(5) counts inner steps in iterations and restart cycles in cycles (scipy info counts cycles)', () => {
    const result = gmres(matrix, rhs, { rtol: 1e-8, restart: 5 });
    expect(result.cycles).toBeGreaterThan(1);
    expect(result.iterations).toBeGreaterThan(result.cycles);
    expect(result.iterations).toBeLessThanOrEqual(5 * result.cycles);
    // one trace row per cycle plus iteration 0
    expect(result.trace.iteration.length).toBe(result.cycles + 1);
  });
  it('sor: iteration 0 and the last sweep', () => {
    const result = sor(matrix, rhs, { omega: 1.5 });
    expectResultBase('sor', result);
    expect(result.trace.iteration).toEqual([0, result.iterations]);
    expect(result.trace.metrics.residualNorm[1]).toBe(result.residualNorm);
  });
  it('solveSequence: one trace row per system, cumulative inner steps, status from the systems', () => {
    const systems = darcySequence(createRng(3), 3, { gridSize: 10 });
    const result = solveSequence(systems, { sort: 'greedy', rtol: 1e-8 });
    expectResultBase('solveSequence', result);
    expect(result.converged).toBe(true);
    expect(result.trace.iteration).toHaveLength(3);
    expect(result.trace.iteration[2]).toBe(result.iterations);
    expect(result.iterations).toBe(result.totals.iterations);
    expect(result.trace.metrics.system).toEqual(result.order);
    const capped = solveSequence(systems, { solver: 'gmres', maxIterations: 1, restart: 2 });
    expect(capped.status).toBe('max-iterations');
    expect(capped.converged).toBe(false);
    expect(capped.message).toMatch(/0 of 3 systems converged/);
  });
  it('solveSequence warns once about options the chosen solver ignores', () => {
    const systems = darcySequence(createRng(3), 2, { gridSize: 8 });
    const result = solveSequence(systems, { solver: 'gmres', truncate: 'smallest', recycleDimension: 5 });
    expect(result.warnings.filter((w) => w.type === 'unsupported')).toHaveLength(1);
    expect(result.warnings[0].message).toMatch(/ignores `truncate`.*`recycleDimension`/);
    expect(solveSequence(systems, { solver: 'gcrot', truncate: 'smallest' }).warnings).toHaveLength(0);
  });
});

import { createRegistry, createRng, csrOperator, denseMatrix, maxIterations, solve } from '@argmin/core';
import { describeMethodConformance } from '@argmin/core/testing';
import { describe, expect, it } from 'vitest';
import { linsolveExperiments } from './experiments/index';
import { cgls } from './least-squares/cgls';
import { lsqr } from './least-squares/lsqr';
import { cgPlugin, gmresPlugin, linsolvePlugins } from './plugins';
import { darcySequence, poisson2d } from './problems/pde';
import { randomizedKaczmarz } from './sketching/sketching';
import { maxAbsDifference } from './test-helpers';

const spd = () => {
  const { matrix, rhs } = poisson2d(3);
  return { operator: csrOperator(matrix), rhs };
};

describeMethodConformance(cgPlugin, [
  {
    name: '3x3-grid Poisson',
    options: { rtol: 1e-12 },
    problem: spd,
    x0: new Float64Array(9),
    tolerance: 1e-10,
    metric: 'residualNorm',
    metricTolerance: 1e-12,
    maxIterations: 50,
  },
]);
describeMethodConformance(gmresPlugin, [
  {
    name: '3x3-grid Poisson',
    options: { rtol: 1e-12 },
    problem: spd,
    x0: new Float64Array(9),
    tolerance: 1e-10,
    metric: 'residualNorm',
    metricTolerance: 1e-12,
    maxIterations: 50,
  },
]);

describe('linsolve plugins', () => {
  const registry = createRegistry([...linsolvePlugins]);
  it('registers every method with strict options and lists experiments', () => {
    expect(registry.find({ area: 'linsolve' }).length).toBe(linsolvePlugins.length);
    expect(() => registry.create('linsolve/cg', { tolerance: 1 } as never)).toThrow(/tolerance/);
    expect(linsolveExperiments.map((e) => e.id)).toEqual([
      'linsolve/skr-speedup',
      'linsolve/learning-to-relax',
    ]);
  });
  it('linsolve/cg under solve() matches the direct solver', () => {
    const { matrix, rhs } = poisson2d(8);
    const result = solve(
      registry.create('linsolve/cg', { rtol: 1e-10 }),
      { operator: csrOperator(matrix), rhs },
      new Float64Array(64),
      { stopWhen: maxIterations(200) },
    );
    expect(result.status).toBe('converged');
  });
  it('linsolve/gcro-dr and linsolve/skr solve and carry spaces', () => {
    const systems = darcySequence(createRng(2), 3, { gridSize: 12 });
    const solver = registry.create('linsolve/gcro-dr', { rtol: 1e-8, restart: 20, recycle: 5 });
    const first = solver.solve(systems[0].matrix, systems[0].rhs);
    const second = solver.solve(systems[1].matrix, systems[1].rhs, first.recycleSpace);
    expect(first.converged && second.converged).toBe(true);
    expect(second.recycleSpace.U.length).toBe(5);
    const sequence = registry.create('linsolve/skr', {}).solve(systems);
    expect(sequence.totals.converged).toBe(3);
    expect(maxAbsDifference(sequence.results.find((r) => r.index === 0)?.x ?? [], first.x)).toBeLessThan(
      1e-6,
    );
  });
  it('linsolve/gcrot solves, carries its space to the next operator, and rejects unknown options', () => {
    const systems = darcySequence(createRng(3), 2, { gridSize: 12 });
    const solver = registry.create('linsolve/gcrot', { rtol: 1e-8, m: 10, k: 5, discardC: true });
    const first = solver.solve(systems[0].matrix, systems[0].rhs);
    const second = solver.solve(systems[1].matrix, systems[1].rhs, first.recycleSpace);
    expect(first.converged && second.converged).toBe(true);
    expect(second.recycleSpace.U.length).toBeLessThanOrEqual(5);
    expect(() => registry.create('linsolve/gcrot', { restart: 10 } as never)).toThrow(/restart/);
  });
  it('linsolve/sor-bandit creates a learner over the reference grid', () => {
    const learner = registry.create('linsolve/sor-bandit', {});
    expect(learner.arms.length).toBe(20);
    const arm = learner.select(createRng(1));
    expect(arm).toBeGreaterThanOrEqual(0);
    const cheb = registry.create('linsolve/sor-bandit', { learner: 'chebcb', contextRange: [0, 1] });
    const picked = cheb.select(createRng(2), 0.3);
    cheb.update(picked, 40, 0.3);
    expect(picked).toBeGreaterThanOrEqual(0);
    expect(picked).toBeLessThan(20);
    expect(() => registry.create('linsolve/sor-bandit', { learner: 'chebcb', degree: 0 })).toThrow(/degree/);
  });
  it('linsolve/lsqr, linsolve/cgls and the sketching plugins solve exactly like the functions', () => {
    const rng = createRng(4);
    const A = denseMatrix(
      30,
      6,
      Float64Array.from({ length: 180 }, () => rng.normal()),
    );
    const x = Float64Array.from({ length: 6 }, () => rng.normal());
    const b = new Float64Array(30);
    for (let i = 0; i < 30; i++) for (let j = 0; j < 6; j++) b[i] += A.data[i * 6 + j] * x[j];
    expect([...registry.create('linsolve/lsqr', { atol: 1e-10, btol: 1e-10 }).solve(A, b).x]).toEqual([
      ...lsqr(A, b, { atol: 1e-10, btol: 1e-10 }).x,
    ]);
    expect([...registry.create('linsolve/cgls', { rtol: 1e-10 }).solve(A, b).x]).toEqual([
      ...cgls(A, b, { rtol: 1e-10 }).x,
    ]);
    const kaczmarz = registry
      .create('linsolve/randomized-kaczmarz', { rtol: 1e-9 })
      .solve(A, b, createRng(1));
    expect([...kaczmarz.x]).toEqual([...randomizedKaczmarz(A, b, createRng(1), { rtol: 1e-9 }).x]);
    const block = registry.create('linsolve/sketch-and-project', { blockSize: 3, sketch: 'count' });
    expect(block.solve(A, b, createRng(2)).converged).toBe(true);
    expect(() => registry.create('linsolve/lsqr', { iter_lim: 5 } as never)).toThrow(/iter_lim/);
  });
});

describe('linsolve/sor-bandit: options the chosen learner does not use', () => {
  it('are a named error when given a non-default value, and fine at their defaults', async () => {
    const { createRegistry, InvalidArgumentError } = await import('@argmin/core');
    const { sorBanditPlugin } = await import('./plugins');
    const registry = createRegistry([sorBanditPlugin]);
    expect(() => registry.create('linsolve/sor-bandit', { learner: 'tsallis-inf', degree: 3 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => registry.create('linsolve/sor-bandit', { learner: 'chebcb', bins: 9 })).toThrow(
      /`bins` has no effect/,
    );
    expect(() =>
      registry.create('linsolve/sor-bandit', { learner: 'tsallis-inf-cb', bins: 9 }),
    ).not.toThrow();
    expect(() => registry.create('linsolve/sor-bandit', { learner: 'chebcb', degree: 4 })).not.toThrow();
  });
});

import {
  ArgminError,
  anyOf,
  csrFromDense,
  denseMatrix,
  denseOperator,
  InvalidArgumentError,
  maxIterations,
  solve,
} from '@argmin/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jacobiPreconditioner } from '../preconditioners/preconditioners';
import { poisson2d } from '../problems/pde';
import { csrFromJson, maxAbsDifference, norm, residualNorm } from '../test-helpers';
import reference from './__fixtures__/krylov-reference.json';
import { bicgstab } from './bicgstab';
import { cg, cgOptimizer } from './cg';
import { gmres, gmresOptimizer } from './gmres';
import { minres } from './minres';

type Case = (typeof reference.cases)[number] & { restart?: number; cycles?: number };

describe('golden values from scipy.sparse.linalg', () => {
  for (const c of reference.cases as Case[]) {
    it(`matches scipy: ${c.name}`, () => {
      const A = csrFromJson(c.matrix);
      const b = Float64Array.from(c.b);
      const x = Float64Array.from(c.x);
      const result =
        c.solver === 'cg'
          ? cg(A, b, { rtol: c.rtol })
          : c.solver === 'cg-jacobi'
            ? cg(A, b, { rtol: c.rtol, preconditioner: jacobiPreconditioner(A) })
            : c.solver === 'gmres'
              ? gmres(A, b, { rtol: c.rtol, restart: c.restart })
              : c.solver === 'bicgstab'
                ? bicgstab(A, b, { rtol: c.rtol })
                : minres(A, b, { rtol: c.rtol });
      expect(result.status).toBe('converged');
      // CG, PCG, GMRES, BiCGStab: the same iteration count exactly (same operation order).
      // MINRES: scipy stops by ||r||/(||A|| ||x||); the count is the first iteration whose true residual
      // passes the shared rule, computed from scipy's iterates; equal or within 1 (the recurrence vs true residual).
      if (c.solver === 'minres') expect(Math.abs(result.iterations - c.iterations)).toBeLessThanOrEqual(1);
      else expect(result.iterations).toBe(c.iterations);
      if (c.solver === 'gmres') expect(result.cycles).toBe(c.cycles);
      const scale = norm(x);
      // solutions agree to the accuracy the tolerance allows
      expect(maxAbsDifference(result.x, x) / scale).toBeLessThan(c.solver === 'minres' ? 1e-6 : 1e-9);
      expect(residualNorm(A, result.x, b)).toBeLessThanOrEqual(c.rtol * norm(b));
    });
  }
});

describe('stopping semantics', () => {
  const { matrix, rhs } = poisson2d(16);
  it('converged means ||b - A x|| <= max(rtol ||b||, atol) for the returned x', () => {
    for (const rtol of [1e-3, 1e-6, 1e-9]) {
      for (const solver of [cg, gmres, bicgstab, minres]) {
        const result = solver(matrix, rhs, { rtol });
        expect(result.converged).toBe(true);
        expect(residualNorm(matrix, result.x, rhs)).toBeLessThanOrEqual(rtol * norm(rhs));
        expect(result.residualNorm).toBeCloseTo(residualNorm(matrix, result.x, rhs), 12);
      }
    }
  });
  it('atol dominates when larger than rtol ||b||', () => {
    const loose = cg(matrix, rhs, { rtol: 0, atol: 1e-4 });
    const tight = cg(matrix, rhs, { rtol: 0, atol: 1e-10 });
    expect(loose.residualNorm).toBeLessThanOrEqual(1e-4);
    expect(loose.iterations).toBeLessThan(tight.iterations);
  });
  it('a nonzero x0 changes r0 but not the tolerance (scaled by ||b||)', () => {
    const x0 = new Float64Array(rhs.length).fill(0.01);
    const result = cg(matrix, rhs, { rtol: 1e-8, x0 });
    expect(result.tolerance).toBeCloseTo(1e-8 * norm(rhs), 20);
    expect(x0[0]).toBe(0.01);
  });
  it('returns zeros when b is zero', () => {
    const zero = new Float64Array(rhs.length);
    const result = cg(matrix, zero);
    expect(result.converged).toBe(true);
    expect(result.iterations).toBe(0);
    expect(norm(result.x)).toBe(0);
  });
  it('stops at maxIterations with status max-iterations and the residual of the returned x', () => {
    const result = cg(matrix, rhs, { rtol: 1e-12, maxIterations: 3 });
    expect(result.status).toBe('max-iterations');
    expect(result.iterations).toBe(3);
    expect(result.residualNorm).toBeCloseTo(residualNorm(matrix, result.x, rhs), 14);
  });
  it('GMRES maxIterations counts restart cycles (scipy semantics)', () => {
    const result = gmres(matrix, rhs, { rtol: 1e-12, restart: 5, maxIterations: 2 });
    expect(result.cycles).toBe(2);
    expect(result.iterations).toBe(10);
  });
});

describe('properties', () => {
  it('CG solves random SPD systems A = MᵀM + nI', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 144 + 12, maxLength: 144 + 12 }),
        (n, entries) => {
          const data = new Float64Array(n * n);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) {
              let s = i === j ? n : 0;
              for (let k = 0; k < n; k++) s += entries[k * n + i] * entries[k * n + j];
              data[i * n + j] = s;
            }
          const A = csrFromDense(denseMatrix(n, n, data));
          const b = Float64Array.from(entries.slice(144, 144 + n));
          const result = cg(A, b, { rtol: 1e-10 });
          if (norm(b) === 0) return result.converged;
          expect(result.converged).toBe(true);
          expect(residualNorm(A, result.x, b)).toBeLessThanOrEqual(1e-10 * norm(b) + 1e-300);
          return true;
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });
  it('GMRES and BiCGStab solve random diagonally dominant non-symmetric systems', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 10 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 110, maxLength: 110 }),
        (n, entries) => {
          const data = new Float64Array(n * n);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) data[i * n + j] = entries[i * n + j] + (i === j ? n + 1 : 0);
          const A = csrFromDense(denseMatrix(n, n, data));
          const b = Float64Array.from(entries.slice(100, 100 + n));
          if (norm(b) === 0) return true;
          const viaGmres = gmres(A, b, { rtol: 1e-9 });
          expect(`${viaGmres.status}: ${viaGmres.message}`).toMatch(/^converged/);
          expect(residualNorm(A, viaGmres.x, b)).toBeLessThanOrEqual(1e-9 * norm(b));
          // BiCGStab may break down exactly (r̃ᵀr = 0 for sparse structured b, as scipy's would):
          // then the status says so and x is finite; otherwise it converged.
          const viaBicgstab = bicgstab(A, b, { rtol: 1e-9 });
          if (viaBicgstab.status === 'converged') {
            expect(residualNorm(A, viaBicgstab.x, b)).toBeLessThanOrEqual(1e-9 * norm(b));
          } else {
            expect(viaBicgstab.message).toMatch(/breakdown/);
            expect(viaBicgstab.x.every(Number.isFinite)).toBe(true);
          }
          return true;
        },
      ),
      { seed: 7, numRuns: 100 },
    );
  });
});

describe('bad input gets a named error', () => {
  const { matrix, rhs } = poisson2d(4);
  it('non-square operator', () => {
    const A = denseOperator(denseMatrix(3, 2, new Float64Array(6)));
    expect(() => cg(A, new Float64Array(3))).toThrow(/must be square; got 3 x 2/);
    try {
      gmres(A, new Float64Array(3));
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
    }
  });
  it('rhs size mismatch', () => {
    expect(() => cg(matrix, new Float64Array(5))).toThrow(
      /right-hand side length 5 does not match the operator size 16 x 16/,
    );
  });
  it('NaN in b or x0', () => {
    const b = rhs.slice();
    b[3] = Number.NaN;
    expect(() => bicgstab(matrix, b)).toThrow(/`b` must be finite; got NaN at index 3/);
    const x0 = new Float64Array(16);
    x0[1] = Number.POSITIVE_INFINITY;
    expect(() => minres(matrix, rhs, { x0 })).toThrow(ArgminError);
  });
  it('negative tolerance', () => {
    expect(() => cg(matrix, rhs, { rtol: -1 })).toThrow(/linsolve\/cg: invalid options: `rtol`/);
    expect(() => gmres(matrix, rhs, { atol: -1e-3 })).toThrow(/`atol`/);
  });
  it('CG on an indefinite matrix ends with a status naming indefiniteness', () => {
    const A = csrFromDense(denseMatrix(2, 2, Float64Array.of(1, 0, 0, -1)));
    const result = cg(A, Float64Array.of(1, 1));
    expect(['diverged', 'numerical-error']).toContain(result.status);
    expect(result.message).toMatch(/not positive definite \(indefinite/);
    expect(Number.isFinite(result.x[0])).toBe(true);
  });
  it('MINRES solves the symmetric indefinite system CG refuses', () => {
    const A = csrFromDense(denseMatrix(2, 2, Float64Array.of(1, 0, 0, -1)));
    const result = minres(A, Float64Array.of(1, 1), { rtol: 1e-12 });
    expect(result.converged).toBe(true);
    expect(maxAbsDifference(result.x, [1, -1])).toBeLessThan(1e-12);
  });
});

describe('Optimizer form', () => {
  const { matrix, rhs } = poisson2d(10);
  it('cgOptimizer under solve() reaches the same x as cg()', () => {
    const operator = denseOperator(denseMatrix(100, 100, new Float64Array(100 * 100)));
    expect(operator.rows).toBe(100);
    const direct = cg(matrix, rhs, { rtol: 1e-10 });
    const { csrOperator } = require('@argmin/core') as typeof import('@argmin/core');
    const result = solve(
      cgOptimizer({ rtol: 1e-10 }),
      { operator: csrOperator(matrix), rhs },
      new Float64Array(100),
      {
        stopWhen: anyOf(maxIterations(1000)),
      },
    );
    expect(result.status).toBe('converged');
    expect(maxAbsDifference(result.x, direct.x)).toBeLessThan(1e-12);
  });
  it('gmresOptimizer steps are restart cycles', () => {
    const { csrOperator } = require('@argmin/core') as typeof import('@argmin/core');
    const result = solve(
      gmresOptimizer({ rtol: 1e-10, restart: 10 }),
      { operator: csrOperator(matrix), rhs },
      new Float64Array(100),
      {
        stopWhen: maxIterations(100),
      },
    );
    const direct = gmres(matrix, rhs, { rtol: 1e-10, restart: 10 });
    expect(result.status).toBe('converged');
    expect(result.iterations).toBe(direct.cycles);
  });
});

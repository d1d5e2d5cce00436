import { createRng } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { poisson2d, shiftedLaplacianSequence } from '../problems/pde';
import { norm, residualNorm } from '../test-helpers';
import { gaussSeidel, jacobi, sor, ssor, youngOmega } from './stationary';

describe('stationary methods', () => {
  const [system] = shiftedLaplacianSequence(createRng(1), 1);
  it('SOR with omega = 1 reproduces Gauss-Seidel exactly', () => {
    const a = sor(system.matrix, system.rhs, { omega: 1 });
    const b = gaussSeidel(system.matrix, system.rhs);
    expect(a.iterations).toBe(b.iterations);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
  });
  it('every method reaches ||r||/||r0|| < tolerance; iteration counts are monotone in the tolerance', () => {
    for (const method of [jacobi, gaussSeidel, sor, ssor]) {
      const loose = method(system.matrix, system.rhs, {
        tolerance: 1e-4,
        omega: method === jacobi ? 1 : 1.5,
      } as never);
      const tight = method(system.matrix, system.rhs, {
        tolerance: 1e-8,
        omega: method === jacobi ? 1 : 1.5,
      } as never);
      expect(tight.converged).toBe(true);
      expect(residualNorm(system.matrix, tight.x, system.rhs)).toBeLessThan(1e-8 * norm(system.rhs));
      expect(loose.iterations).toBeLessThanOrEqual(tight.iterations);
    }
  });
  it("Young's omega* is near the grid's best SOR omega on the 2-D Poisson matrix", () => {
    const { matrix, rhs } = poisson2d(10);
    const star = youngOmega(matrix);
    // theory: beta = cos(pi h), h = 1/11 -> omega* = 2 / (1 + sin(pi/11))
    expect(star).toBeCloseTo(2 / (1 + Math.sin(Math.PI / 11)), 6);
    const atStar = sor(matrix, rhs, { omega: star }).iterations;
    for (const omega of [1, 1.2, 1.4, 1.6, 1.8, 1.95])
      expect(atStar).toBeLessThanOrEqual(sor(matrix, rhs, { omega }).iterations);
  });
  it('rejects omega outside (0, 2) with a named error', () => {
    expect(() => sor(system.matrix, system.rhs, { omega: 2.1 })).toThrow(
      /`omega` must lie in \(0, 2\); got 2.1/,
    );
  });
});

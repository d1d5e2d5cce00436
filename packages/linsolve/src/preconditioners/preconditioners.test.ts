import { cholesky, createRng, csrFromDense, denseMatrix, type Operator } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { bicgstab } from '../krylov/bicgstab';
import { cg } from '../krylov/cg';
import { gmres } from '../krylov/gmres';
import { darcySystem, poisson2d } from '../problems/pde';
import {
  ic0Preconditioner,
  ilu0Preconditioner,
  jacobiPreconditioner,
  ssorPreconditioner,
} from './preconditioners';

function tridiagonal(n: number, lower: number, diagonal: number, upper: number) {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    data[i * n + i] = diagonal;
    if (i > 0) data[i * n + i - 1] = lower;
    if (i < n - 1) data[i * n + i + 1] = upper;
  }
  return csrFromDense(denseMatrix(n, n, data));
}

function denseOf(M: Operator): Float64Array {
  const n = M.rows;
  const out = new Float64Array(n * n);
  const e = new Float64Array(n);
  const column = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    M.apply(e, column);
    for (let i = 0; i < n; i++) out[i * n + j] = column[i];
  }
  return out;
}

describe('preconditioners', () => {
  it('ILU(0) of a tridiagonal matrix is its exact LU: GMRES converges in one step', () => {
    const A = tridiagonal(30, -1, 3, -1.5);
    const b = new Float64Array(30).fill(1);
    const result = gmres(A, b, { rtol: 1e-12, preconditioner: ilu0Preconditioner(A) });
    expect(result.converged).toBe(true);
    expect(result.iterations).toBe(1);
  });
  it('IC(0) of a tridiagonal SPD matrix is its exact Cholesky: PCG converges in one step', () => {
    const A = tridiagonal(30, -1, 2.5, -1);
    const b = new Float64Array(30).fill(1);
    const result = cg(A, b, { rtol: 1e-12, preconditioner: ic0Preconditioner(A) });
    expect(result.converged).toBe(true);
    expect(result.iterations).toBe(1);
  });
  it('every preconditioner cuts CG/BiCGStab iterations on 2-D Poisson / Darcy', () => {
    const { matrix, rhs } = poisson2d(24);
    const plain = cg(matrix, rhs, { rtol: 1e-8 }).iterations;
    for (const M of [
      ssorPreconditioner(matrix, 1.5),
      ic0Preconditioner(matrix),
      ilu0Preconditioner(matrix),
    ]) {
      const result = cg(matrix, rhs, { rtol: 1e-8, preconditioner: M });
      expect(result.converged).toBe(true);
      expect(result.iterations).toBeLessThan(plain);
    }
    const darcy = darcySystem(createRng(1), { gridSize: 24 });
    const unpreconditioned = bicgstab(darcy.matrix, darcy.rhs, { rtol: 1e-8 }).iterations;
    for (const M of [jacobiPreconditioner(darcy.matrix), ilu0Preconditioner(darcy.matrix)]) {
      const result = bicgstab(darcy.matrix, darcy.rhs, { rtol: 1e-8, preconditioner: M });
      expect(result.converged).toBe(true);
      expect(result.iterations).toBeLessThan(unpreconditioned);
    }
  });
  it('SSOR M⁻¹ is symmetric positive definite for omega in (0, 2)', () => {
    const { matrix } = poisson2d(5);
    for (const omega of [0.3, 1, 1.7, 1.95]) {
      const inverse = denseOf(ssorPreconditioner(matrix, omega));
      const n = matrix.rows;
      let asymmetry = 0;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          asymmetry = Math.max(asymmetry, Math.abs(inverse[i * n + j] - inverse[j * n + i]));
      expect(asymmetry).toBeLessThan(1e-12);
      const symmetric = inverse.map((_, k) => 0.5 * (inverse[k] + inverse[(k % n) * n + Math.floor(k / n)]));
      expect(() => cholesky(denseMatrix(n, n, symmetric))).not.toThrow();
    }
  });
  it('rejects omega outside (0, 2) and zero diagonals with named errors', () => {
    const { matrix } = poisson2d(3);
    expect(() => ssorPreconditioner(matrix, 2)).toThrow(/omega` must lie in \(0, 2\); got 2/);
    const singular = csrFromDense(denseMatrix(2, 2, Float64Array.of(0, 1, 1, 0)));
    expect(() => ilu0Preconditioner(singular)).toThrow(/row 0 has a zero or missing diagonal/);
    expect(() => jacobiPreconditioner(singular)).toThrow(/diagonal entry 0 is 0/);
    const indefinite = tridiagonal(4, -1, 0.5, -1);
    expect(() => ic0Preconditioner(indefinite)).toThrow(/non-positive pivot/);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/rng';
import { expectAllClose } from '../testing/expect-all-close';
import reference from './__fixtures__/lu-reference.json';
import { type DenseMatrix, transpose } from './dense-matrix';
import { expectArgminError } from './expect-argmin-error';
import { cholesky, lu } from './factorizations';
import { gemv, gemvTransposed } from './gemv';

/** expectAllClose as a vitest assertion. */
const close = (...args: Parameters<typeof expectAllClose>) =>
  expect(() => expectAllClose(...args)).not.toThrow();
const infNorm = (x: ArrayLike<number>) => Array.from(x).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('lu: P A = L U with partial pivoting, solve and solveTranspose (scipy.linalg.lu_factor / lu_solve golden values)', () => {
  for (const c of reference.cases) {
    const A: DenseMatrix = { rows: c.A.rows, cols: c.A.cols, data: Float64Array.from(c.A.data) };
    const n = A.rows;
    it(`${n} x ${n} (seed ${c.seed}): same pivots and factors as LAPACK dgetrf`, () => {
      const f = lu(A);
      expect(f.ok).toBe(true);
      if (!f.ok) return;
      expect(Array.from(f.pivots)).toEqual(c.pivots);
      close(f.factors.data, c.lu, { relative: 1e-12, absolute: 1e-13, label: 'LU factors' });
    });
    it(`${n} x ${n} (seed ${c.seed}): A x = b and Aᵀ x = b match lu_solve(trans=0/1) to 1e-12`, () => {
      const f = lu(A);
      if (!f.ok) throw new Error('singular');
      const scale = Math.max(1, infNorm(c.solution), infNorm(c.transposeSolution));
      close(f.solve(c.b), c.solution, { relative: 0, absolute: 1e-12 * scale, label: 'solve' });
      close(f.solveTranspose(c.b), c.transposeSolution, {
        relative: 0,
        absolute: 1e-12 * scale,
        label: 'solveTranspose',
      });
    });
    it(`${n} x ${n} (seed ${c.seed}): Cholesky solve and solveTranspose match cho_solve to 1e-12`, () => {
      const spd: DenseMatrix = { rows: n, cols: n, data: Float64Array.from(c.spd.data) };
      const f = cholesky(spd);
      if (!f.ok) throw new Error('not positive definite');
      const scale = Math.max(1, infNorm(c.spdSolution));
      close(f.solve(c.b), c.spdSolution, { relative: 0, absolute: 1e-12 * scale, label: 'solve' });
      close(f.solveTranspose(c.b), c.spdSolution, {
        relative: 0,
        absolute: 1e-12 * scale,
        label: 'solveTranspose',
      });
    });
  }
});

describe('lu: properties against dense references (fast-check, seed 42)', () => {
  const system = fc.integer({ min: 1, max: 10 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      seed: fc.integer({ min: 0, max: 2 ** 30 }),
    }),
  );
  const random = (n: number, seed: number) => {
    const rng = createRng(seed);
    const A: DenseMatrix = { rows: n, cols: n, data: rng.fillNormal(new Float64Array(n * n)) };
    for (let i = 0; i < n; i++) A.data[i * n + i] += 0.5 * n; // keeps the random matrices well conditioned
    return { A, b: rng.fillNormal(new Float64Array(n)) };
  };
  it('residuals: ‖A x − b‖∞ and ‖Aᵀ y − b‖∞ are round-off small', () => {
    fc.assert(
      fc.property(system, ({ n, seed }) => {
        const { A, b } = random(n, seed);
        const f = lu(A);
        expect(f.ok).toBe(true);
        if (!f.ok) return;
        const x = f.solve(b);
        const y = f.solveTranspose(b);
        const ax = gemv(A, x, new Float64Array(n));
        const aty = gemvTransposed(A, y, new Float64Array(n));
        const bound = 1e-12 * n * infNorm(A.data) * Math.max(1, infNorm(x), infNorm(y));
        for (let i = 0; i < n; i++) {
          expect(Math.abs(ax[i] - b[i])).toBeLessThanOrEqual(bound);
          expect(Math.abs(aty[i] - b[i])).toBeLessThanOrEqual(bound);
        }
      }),
      { seed: 42, numRuns: 60 },
    );
  });
  it('solveTranspose on lu(A) equals solve on lu(Aᵀ) of the explicit dense transpose', () => {
    fc.assert(
      fc.property(system, ({ n, seed }) => {
        const { A, b } = random(n, seed);
        const f = lu(A);
        const g = lu(transpose(A));
        if (!f.ok || !g.ok) throw new Error('singular');
        const viaTranspose = f.solveTranspose(b);
        close(viaTranspose, g.solve(b), {
          relative: 0,
          absolute: 1e-11 * Math.max(1, infNorm(viaTranspose)),
        });
      }),
      { seed: 42, numRuns: 60 },
    );
  });
});

describe('lu: edge cases', () => {
  it('an exactly singular matrix is ok: false, not a throw (LAPACK info > 0)', () => {
    expect(lu({ rows: 2, cols: 2, data: Float64Array.of(1, 2, 2, 4) }).ok).toBe(false);
    expect(lu({ rows: 2, cols: 2, data: new Float64Array(4) }).ok).toBe(false);
  });
  it('a 0 x 0 matrix factors and solves the empty system', () => {
    const f = lu({ rows: 0, cols: 0, data: new Float64Array(0) });
    expect(f.ok).toBe(true);
    if (f.ok) expect(f.solveTranspose([]).length).toBe(0);
  });
  it('the example: A = [[0, 2], [1, 1]] needs a row swap; Aᵀ x = (1, 3) gives x = (1, 1)', () => {
    const f = lu({ rows: 2, cols: 2, data: Float64Array.of(0, 2, 1, 1) });
    if (!f.ok) throw new Error('singular');
    expect(Array.from(f.pivots)).toEqual([1, 1]);
    expect(Array.from(f.solveTranspose(Float64Array.of(1, 3)))).toEqual([1, 1]);
    expect(Array.from(f.solve([2, 2]))).toEqual([1, 1]);
  });
  it('solves in place when out is b, and never mutates b otherwise; A is not mutated', () => {
    const A: DenseMatrix = { rows: 2, cols: 2, data: Float64Array.of(4, 1, 2, 3) };
    const f = lu(A);
    if (!f.ok) throw new Error('singular');
    const b = Float64Array.of(1, 2);
    const x = f.solveTranspose(b);
    expect(Array.from(b)).toEqual([1, 2]);
    expect(f.solveTranspose(b, b)).toBe(b);
    expect(Array.from(b)).toEqual(Array.from(x));
    expect(Array.from(A.data)).toEqual([4, 1, 2, 3]);
  });
  it('refuses a right-hand side of the wrong length or with NaN, and a non-square matrix', () => {
    const f = lu({ rows: 2, cols: 2, data: Float64Array.of(4, 1, 2, 3) });
    if (!f.ok) throw new Error('singular');
    expectArgminError(
      () => f.solveTranspose(Float64Array.of(1, 2, 3)),
      'lu.solveTranspose: b must have length 2 (the order of A); got 3.',
    );
    expectArgminError(() => f.solve([1, Number.NaN]), /lu.solve: `b` must be finite; got NaN at index 1/);
    expectArgminError(() => lu({ rows: 2, cols: 3, data: new Float64Array(6) }), /A must be square/);
  });
});

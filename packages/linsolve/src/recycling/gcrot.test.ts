import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import reference from '../krylov/__fixtures__/gcrot-reference.json';
import { jacobiPreconditioner } from '../preconditioners/preconditioners';
import { poisson2d } from '../problems/pde';
import { csrFromJson, maxAbsDifference, norm, residualNorm } from '../test-helpers';
import { asOperator } from '../validate';
import { recycleSpaceDefects } from './gcro-dr';
import { type GcrotRecycleSpace, gcrot } from './gcrot';

const asOp = (A: Parameters<typeof asOperator>[2]) => asOperator('test', 'A', A);

type Case = (typeof reference.cases)[number] & { jacobi?: boolean };

describe('gcrot: golden values from scipy.sparse.linalg.gcrotmk', () => {
  for (const c of reference.cases as Case[]) {
    it(`matches scipy: ${c.name}`, () => {
      const A = csrFromJson(c.matrix);
      const b = Float64Array.from(c.b);
      const result = gcrot(A, b, {
        rtol: c.rtol,
        m: c.m,
        k: c.k,
        truncate: c.truncate as 'oldest' | 'smallest',
        preconditioner: c.jacobi ? jacobiPreconditioner(A) : undefined,
      });
      expect(result.status).toBe('converged');
      // outer iterations and products with A: equal to scipy's
      expect(result.cycles).toBe(c.outer);
      expect(result.matvecs).toBe(c.matvecs);
      expect(maxAbsDifference(result.x, c.x) / norm(c.x)).toBeLessThan(1e-8);
      expect(residualNorm(A, result.x, b)).toBeLessThanOrEqual(c.rtol * norm(b));
    });
  }
  for (const s of reference.sequences) {
    it(`matches scipy: ${s.name}`, () => {
      let space: GcrotRecycleSpace | undefined;
      for (const step of s.steps) {
        const A = csrFromJson(step.matrix);
        const b = Float64Array.from(step.b);
        const result = gcrot(A, b, {
          rtol: s.rtol,
          m: s.m,
          k: s.k,
          truncate: s.truncate as 'oldest' | 'smallest',
          recycleSpace: space,
          discardC: true,
        });
        space = result.recycleSpace;
        expect(result.status).toBe('converged');
        expect(result.cycles).toBe(step.outer);
        expect(result.matvecs).toBe(step.matvecs);
        expect(maxAbsDifference(result.x, step.x) / norm(step.x)).toBeLessThan(1e-8);
      }
    });
  }
});

describe('gcrot: properties', () => {
  const system = (nx: number, peclet: number) => {
    const { matrix } = poisson2d(nx);
    // add upwind convection in x: non-symmetric, still an M-matrix
    const dense = new Map<string, number>();
    const n = nx * nx;
    const rows: number[][] = Array.from({ length: n }, () => []);
    for (let i = 0; i < n; i++)
      for (let p = matrix.rowPointers[i]; p < matrix.rowPointers[i + 1]; p++) {
        dense.set(`${i},${matrix.columnIndices[p]}`, matrix.values[p]);
        rows[i].push(matrix.columnIndices[p]);
      }
    for (let i = 0; i < n; i++) {
      dense.set(`${i},${i}`, (dense.get(`${i},${i}`) ?? 0) + peclet);
      if (i % nx > 0) dense.set(`${i},${i - 1}`, (dense.get(`${i},${i - 1}`) ?? 0) - peclet);
    }
    const rowPointers = new Int32Array(n + 1);
    const columnIndices: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < n; i++) {
      const cols = rows[i].slice().sort((a, b) => a - b);
      for (const j of cols) {
        columnIndices.push(j);
        values.push(dense.get(`${i},${j}`) ?? 0);
      }
      rowPointers[i + 1] = columnIndices.length;
    }
    return {
      rows: n,
      cols: n,
      rowPointers,
      columnIndices: Int32Array.from(columnIndices),
      values: Float64Array.from(values),
    };
  };

  it('with an empty recycle space converges and the true residual is below the tolerance', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 9 }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 0, max: 8 }),
        fc.constantFrom<'oldest' | 'smallest'>('oldest', 'smallest'),
        fc.integer({ min: 0, max: 1000 }),
        (nx, peclet, m, k, truncate, seed) => {
          const A = system(nx, peclet);
          const b = Float64Array.from({ length: nx * nx }, (_, i) => Math.sin(seed + 1.3 * i));
          const result = gcrot(A, b, { rtol: 1e-9, m, k, truncate });
          expect(result.status).toBe('converged');
          expect(residualNorm(A, result.x, b)).toBeLessThanOrEqual(1e-9 * norm(b));
          expect(result.residualNorm).toBeLessThanOrEqual(result.tolerance);
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });

  it('the recycle space after a solve has CᵀC = I and A U = C (1e-10)', () => {
    for (const truncate of ['oldest', 'smallest'] as const) {
      const A = system(10, 2);
      const b = Float64Array.from({ length: 100 }, (_, i) => Math.cos(0.7 * i));
      const result = gcrot(A, b, { rtol: 1e-10, m: 8, k: 5, truncate });
      expect(result.recycleSpace.C.length).toBeGreaterThan(0);
      expect(result.recycleSpace.C.length).toBeLessThanOrEqual(5);
      const defects = recycleSpaceDefects(asOp(A), result.recycleSpace);
      expect(defects.orthonormality).toBeLessThan(1e-10);
      expect(defects.consistency).toBeLessThan(1e-10);
      // carried to a different operator with discardC: C is recomputed for the new A
      const B = system(10, 2.5);
      const next = gcrot(B, b, {
        rtol: 1e-10,
        m: 8,
        k: 5,
        truncate,
        recycleSpace: result.recycleSpace,
        discardC: true,
      });
      const d2 = recycleSpaceDefects(asOp(B), next.recycleSpace);
      expect(d2.orthonormality).toBeLessThan(1e-10);
      expect(d2.consistency).toBeLessThan(1e-10);
    }
  });

  it('re-solving the same system with its own recycle space needs fewer products with A', () => {
    const A = system(12, 1);
    const b = Float64Array.from({ length: 144 }, (_, i) => Math.sin(0.37 * i));
    const first = gcrot(A, b, { rtol: 1e-10, m: 10, k: 10 });
    const b2 = Float64Array.from({ length: 144 }, (_, i) => Math.sin(0.37 * i) + 0.01 * Math.cos(i));
    const again = gcrot(A, b2, { rtol: 1e-10, m: 10, k: 10, recycleSpace: first.recycleSpace });
    expect(again.converged).toBe(true);
    expect(again.matvecs).toBeLessThan(first.matvecs);
  });

  it('maxIterations counts outer iterations and reports the true residual; x0 = solution converges at once', () => {
    const A = system(12, 1);
    const b = Float64Array.from({ length: 144 }, (_, i) => Math.sin(0.37 * i));
    const capped = gcrot(A, b, { rtol: 1e-12, m: 3, k: 2, maxIterations: 2 });
    expect(capped.status).toBe('max-iterations');
    expect(capped.cycles).toBe(2);
    expect(capped.residualNorm).toBeCloseTo(residualNorm(A, capped.x, b), 12);
    const solved = gcrot(A, b, { rtol: 1e-10 });
    const again = gcrot(A, b, { rtol: 1e-8, x0: solved.x });
    expect(again.converged).toBe(true);
    expect(again.matvecs).toBe(1);
    expect(again.cycles).toBe(0);
  });
  it('b = 0 returns x = 0; invalid options throw', () => {
    const A = system(4, 1);
    expect(gcrot(A, new Float64Array(16)).x.every((v) => v === 0)).toBe(true);
    expect(() => gcrot(A, new Float64Array(16).fill(1), { m: 0 })).toThrow();
    expect(() =>
      gcrot(A, new Float64Array(16).fill(1), { truncate: 'newest' as unknown as 'oldest' }),
    ).toThrow();
  });
});

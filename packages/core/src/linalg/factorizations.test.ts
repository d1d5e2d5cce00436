import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/rng';
import { expectAllClose } from '../testing/expect-all-close';
import reference from './__fixtures__/factorization-reference.json';
import type { DenseMatrix } from './dense-matrix';
import { expectArgminError } from './expect-argmin-error';
import { cholesky, qr, solveDense, svd, symmetricEigen } from './factorizations';
import { gemm } from './gemm';
import { gemv } from './gemv';

const rng = createRng(12);
const random = (rows: number, cols: number): DenseMatrix => ({
  rows,
  cols,
  data: rng.fillNormal(new Float64Array(rows * cols)),
});
const product = (A: DenseMatrix, B: DenseMatrix, transposeB = false): DenseMatrix => {
  const C = {
    rows: A.rows,
    cols: transposeB ? B.rows : B.cols,
    data: new Float64Array(A.rows * (transposeB ? B.rows : B.cols)),
  };
  return gemm(A, B, C, { transposeB });
};
const close = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  expect(() => expectAllClose(a, b, { absolute: 1e-10, relative: 1e-10 })).not.toThrow();
const spd = (n: number): DenseMatrix => {
  const M = random(n, n);
  const A = product(M, M, true);
  for (let i = 0; i < n; i++) A.data[i * n + i] += n;
  return A;
};

describe('dense factorizations (ml-matrix, small matrices)', () => {
  it('cholesky: A = L Lᵀ for an SPD matrix', () => {
    const A = spd(6);
    const result = cholesky(A);
    expect(result.ok).toBe(true);
    if (result.ok) close(product(result.lower, result.lower, true).data, A.data);
  });
  it('cholesky reports an indefinite matrix as ok: false instead of throwing', () => {
    expect(cholesky({ rows: 2, cols: 2, data: Float64Array.of(1, 2, 2, 1) }).ok).toBe(false);
  });
  it('qr: A = Q R with QᵀQ = I', () => {
    const A = random(7, 4);
    const { q, r } = qr(A);
    close(product(q, r).data, A.data);
    const qtq = gemm(q, q, { rows: 4, cols: 4, data: new Float64Array(16) }, { transposeA: true });
    close(qtq.data, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  });
  it('svd: A = U diag(s) Vᵀ with descending singular values', () => {
    const A = random(5, 3);
    const { u, singularValues: s, v } = svd(A);
    const us = { rows: u.rows, cols: u.cols, data: u.data.map((value, index) => value * s[index % u.cols]) };
    close(product(us, v, true).data, A.data);
    expect(s[0]).toBeGreaterThanOrEqual(s[1]);
    expect(s[1]).toBeGreaterThanOrEqual(s[2]);
  });
  it('symmetricEigen: A V = V Λ with ascending eigenvalues', () => {
    const A = spd(5);
    const { values, vectors } = symmetricEigen(A);
    const av = product(A, vectors);
    close(
      av.data,
      vectors.data.map((value, index) => value * values[index % 5]),
    );
    for (let i = 1; i < 5; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
  });
  it('solveDense solves A x = b and reports a singular matrix as ok: false', () => {
    const A = spd(4);
    const b = Float64Array.of(1, 2, 3, 4);
    const result = solveDense(A, b);
    expect(result.ok).toBe(true);
    if (result.ok) close(gemv(A, result.x, new Float64Array(4)), b);
    expect(
      solveDense({ rows: 2, cols: 2, data: Float64Array.of(1, 2, 2, 4) }, Float64Array.of(1, 1)).ok,
    ).toBe(false);
  });
  it('rejects non-square input, naming the shape', () => {
    expectArgminError(() => cholesky(random(2, 3)), 'cholesky: A must be square; it is 2 x 3; got [2,3].');
    expectArgminError(() => qr(random(2, 3)), /rows >= cols/);
  });
  it('rejects NaN entries, a data length that does not match the shape, and asymmetric input', () => {
    const nan = { rows: 2, cols: 2, data: Float64Array.of(1, Number.NaN, 0, 1) };
    for (const factor of [cholesky, qr, svd, symmetricEigen] as ((A: DenseMatrix) => unknown)[])
      expectArgminError(
        () => factor(nan),
        /: `A\.data` must be finite; got NaN at index 1\. Remove or impute non-finite entries\.$/,
      );
    expectArgminError(
      () => svd(nan),
      'svd: `A.data` must be finite; got NaN at index 1. Remove or impute non-finite entries.',
    );
    expectArgminError(
      () => qr({ rows: 3, cols: 2, data: new Float64Array(5) }),
      'qr: A.data must hold rows * cols = 6 entries (row-major); it holds 5; got 5.',
    );
    const asymmetric = { rows: 2, cols: 2, data: Float64Array.of(2, 1, 0, 2) };
    expectArgminError(
      () => cholesky(asymmetric),
      /cholesky: A must be symmetric; A\[0\]\[1\] = 1 but A\[1\]\[0\] = 0/,
    );
    expectArgminError(
      () => symmetricEigen(asymmetric),
      'symmetricEigen: A must be symmetric; A[0][1] = 1 but A[1][0] = 0 (symmetrize with (A + Aᵀ) / 2 if this is round-off); got [1,0].',
    );
    expectArgminError(
      () => solveDense(spd(2), Float64Array.of(1, Number.POSITIVE_INFINITY)),
      'solveDense: `b` must be finite; got Infinity at index 1. Remove or impute non-finite entries.',
    );
    expectArgminError(
      () => solveDense(spd(2), Float64Array.of(1)),
      'solveDense: b must have length 2; got 1.',
    );
  });
  it('is exact under power-of-two scaling, from tiny and subnormal to near-overflow entries', () => {
    const A = spd(4);
    const reference = svd(A).singularValues;
    const eigenvalues = symmetricEigen(A).values;
    for (const exponent of [-1000, -600, 600, 1000]) {
      const B = { rows: 4, cols: 4, data: A.data.map((value) => value * 2 ** exponent) };
      expect(Array.from(svd(B).singularValues)).toEqual(Array.from(reference, (s) => s * 2 ** exponent));
      expect(Array.from(symmetricEigen(B).values)).toEqual(Array.from(eigenvalues, (s) => s * 2 ** exponent));
    }
    const huge = { rows: 2, cols: 2, data: Float64Array.of(1e308, 0, 0, 1e307) };
    expect(Array.from(svd(huge).singularValues)).toEqual([1e308, 1e307]);
    const tiny = { rows: 2, cols: 2, data: Float64Array.of(4e-320, 0, 0, 4e-320) };
    const lower = cholesky(tiny);
    expect(lower.ok && Array.from(lower.lower.data)).toEqual([Math.sqrt(4e-320), 0, 0, Math.sqrt(4e-320)]);
    const solved = solveDense(huge, Float64Array.of(1e308, 1e307));
    expect(solved.ok && Array.from(solved.x)).toEqual([1, 1]);
  });
  it('accepts round-off asymmetry (A Aᵀ computed in floating point)', () => {
    const A = spd(4);
    A.data[1] += 1e-14;
    expect(cholesky(A).ok).toBe(true);
    expect(symmetricEigen(A).values.length).toBe(4);
  });
});

describe('factorization identities on random shapes (fast-check, seed 42)', () => {
  const settings = { seed: 42, numRuns: 40 };
  const entry = fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true });
  const matrix = (rows: number, cols: number) =>
    fc
      .array(entry, { minLength: rows * cols, maxLength: rows * cols })
      .map((values): DenseMatrix => ({ rows, cols, data: Float64Array.from(values) }));
  const scaled = (a: ArrayLike<number>, b: ArrayLike<number>, scale: number) =>
    expect(() => expectAllClose(a, b, { absolute: 1e-9 * scale, relative: 1e-9 })).not.toThrow();
  const largest = (A: DenseMatrix) => Math.max(1, ...Array.from(A.data, Math.abs));
  const gram = (M: DenseMatrix): DenseMatrix => {
    const G = product(M, M, true);
    for (let i = 0; i < M.rows; i++) G.data[i * M.rows + i] += 1;
    return G;
  };
  const sizes = fc.integer({ min: 1, max: 8 });

  it('cholesky: L is lower triangular with a positive diagonal and L Lᵀ = A (A = M Mᵀ + I)', () => {
    fc.assert(
      fc.property(
        sizes.chain((n) => matrix(n, n)),
        (M) => {
          const A = gram(M);
          const result = cholesky(A);
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          const { lower: L } = result;
          for (let i = 0; i < L.rows; i++) {
            expect(L.data[i * L.cols + i]).toBeGreaterThan(0);
            for (let j = i + 1; j < L.cols; j++) expect(L.data[i * L.cols + j]).toBe(0);
          }
          scaled(product(L, L, true).data, A.data, largest(A));
        },
      ),
      settings,
    );
  });
  it('qr: A = Q R, QᵀQ = I, R upper triangular (rows >= cols)', () => {
    fc.assert(
      fc.property(
        fc.tuple(sizes, sizes).chain(([a, b]) => matrix(Math.max(a, b), Math.min(a, b))),
        (A) => {
          const { q, r } = qr(A);
          scaled(product(q, r).data, A.data, largest(A));
          const n = A.cols;
          const qtq = gemm(q, q, { rows: n, cols: n, data: new Float64Array(n * n) }, { transposeA: true });
          scaled(
            qtq.data,
            Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? 1 : 0)),
            1,
          );
          for (let i = 0; i < r.rows; i++) for (let j = 0; j < i; j++) expect(r.data[i * r.cols + j]).toBe(0);
        },
      ),
      settings,
    );
  });
  it('svd: A = U diag(s) Vᵀ, s descending and non-negative, for tall and wide A', () => {
    fc.assert(
      fc.property(
        fc.tuple(sizes, sizes).chain(([m, n]) => matrix(m, n)),
        (A) => {
          const { u, singularValues: s, v } = svd(A);
          const k = s.length;
          expect(u.cols).toBe(k);
          expect(v.cols).toBe(k);
          const us = { rows: u.rows, cols: k, data: u.data.map((value, index) => value * s[index % k]) };
          scaled(product(us, v, true).data, A.data, largest(A));
          for (let i = 0; i < k; i++) {
            expect(s[i]).toBeGreaterThanOrEqual(0);
            if (i > 0) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
          }
        },
      ),
      settings,
    );
  });
  it('symmetricEigen: A V = V Λ, VᵀV = I, eigenvalues ascending (A = M + Mᵀ, indefinite)', () => {
    fc.assert(
      fc.property(
        sizes.chain((n) => matrix(n, n)),
        (M) => {
          const n = M.rows;
          const A = { rows: n, cols: n, data: new Float64Array(n * n) };
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) A.data[i * n + j] = M.data[i * n + j] + M.data[j * n + i];
          const { values, vectors: V } = symmetricEigen(A);
          scaled(
            product(A, V).data,
            V.data.map((value, index) => value * values[index % n]),
            largest(A),
          );
          const vtv = gemm(V, V, { rows: n, cols: n, data: new Float64Array(n * n) }, { transposeA: true });
          scaled(
            vtv.data,
            Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? 1 : 0)),
            1,
          );
          for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
        },
      ),
      settings,
    );
  });
  it('solveDense: the residual A x - b is at round-off level for well-conditioned A = M Mᵀ + I', () => {
    fc.assert(
      fc.property(
        sizes.chain((n) => fc.tuple(matrix(n, n), matrix(n, 1))),
        ([M, rhs]) => {
          const A = gram(M);
          const result = solveDense(A, rhs.data);
          expect(result.ok).toBe(true);
          if (result.ok) scaled(gemv(A, result.x, new Float64Array(A.rows)), rhs.data, largest(A));
        },
      ),
      settings,
    );
  });
});

describe('factorizations against numpy.linalg (LAPACK) goldens from generate-factorization-reference.py', () => {
  const matrix = (M: { rows: number; cols: number; data: number[] }): DenseMatrix => ({
    rows: M.rows,
    cols: M.cols,
    data: Float64Array.from(M.data),
  });
  const golden = (actual: ArrayLike<number>, expected: ArrayLike<number>) =>
    expect(() => expectAllClose(actual, expected, { absolute: 1e-12, relative: 1e-11 })).not.toThrow();
  for (const c of reference.cases) {
    describe(`seed ${c.seed}, A is ${c.A.rows} x ${c.A.cols}`, () => {
      it('svd singular values equal numpy.linalg.svd', () => {
        golden(svd(matrix(c.A)).singularValues, c.singularValues);
      });
      it('cholesky factor equals numpy.linalg.cholesky', () => {
        const result = cholesky(matrix(c.spd));
        expect(result.ok).toBe(true);
        if (result.ok) golden(result.lower.data, c.choleskyLower);
      });
      it('solveDense equals numpy.linalg.solve', () => {
        const result = solveDense(matrix(c.spd), Float64Array.from(c.b));
        expect(result.ok).toBe(true);
        if (result.ok) golden(result.x, c.spdSolution);
      });
      it('symmetricEigen eigenvalues equal numpy.linalg.eigvalsh (ascending)', () => {
        golden(symmetricEigen(matrix(c.symmetric)).values, c.eigenvalues);
      });
      if (c.absR)
        it('qr: |R| equals numpy.linalg.qr (signs of Householder QR are not unique)', () => {
          golden(qr(matrix(c.A)).r.data.map(Math.abs), c.absR as number[]);
        });
    });
  }
});

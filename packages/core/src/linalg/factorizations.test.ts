import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/rng';
import { expectAllClose } from '../testing/expect-all-close';
import type { DenseMatrix } from './dense-matrix';
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
    expect(() => cholesky(random(2, 3))).toThrowError('cholesky: A must be square; it is 2 x 3; got [2,3].');
    expect(() => qr(random(2, 3))).toThrowError(/rows >= cols/);
  });
});

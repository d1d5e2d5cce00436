import fc from 'fast-check';
import { Matrix } from 'ml-matrix';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { batchView, fromNdArray, toNdArray } from '../ndarray/index';
import { expectAllClose } from '../testing/expect-all-close';
import { csrFromDense, csrFromTriplets, csrToDense } from './csr-matrix';
import { type DenseMatrix, denseMatrix, fromRows, transpose } from './dense-matrix';
import { expectArgminError } from './expect-argmin-error';
import { gemm } from './gemm';
import { gemv, gemvTransposed } from './gemv';
import { fromMlMatrix, toMlMatrix } from './interop';
import { axpy, copy, dot, nrm2, scal } from './level1';
import { spmv, spmvTransposed } from './spmv';

const settings = { seed: 42, numRuns: 100 };
const finite = fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true });
const vector = (n: number) =>
  fc.array(finite, { minLength: n, maxLength: n }).map((v) => Float64Array.from(v));
const sizes = fc.integer({ min: 0, max: 13 });
const matrix = (rows: number, cols: number) =>
  vector(rows * cols).map((data): DenseMatrix => ({ rows, cols, data }));

const at = (A: DenseMatrix, i: number, j: number) => A.data[i * A.cols + j];
function naiveProduct(A: DenseMatrix, B: DenseMatrix, ta: boolean, tb: boolean): Float64Array {
  const m = ta ? A.cols : A.rows;
  const k = ta ? A.rows : A.cols;
  const n = tb ? B.rows : B.cols;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? at(A, p, i) : at(A, i, p)) * (tb ? at(B, j, p) : at(B, p, j));
      out[i * n + j] = s;
    }
  return out;
}
const close = (actual: ArrayLike<number>, expected: ArrayLike<number>) =>
  expect(() => expectAllClose(actual, expected, { relative: 1e-12, absolute: 1e-9 })).not.toThrow();

describe('level-1 kernels against naive loops (fast-check, seed 42)', () => {
  it('dot equals the naive sum for every length, including 0 and lengths not divisible by 4', () => {
    fc.assert(
      fc.property(
        sizes.chain((n) => fc.tuple(vector(n), vector(n))),
        ([x, y]) => {
          let s = 0;
          for (let i = 0; i < x.length; i++) s += x[i] * y[i];
          expect(dot(x, y)).toBeCloseTo(s, 8);
        },
      ),
      settings,
    );
  });
  it('axpy, scal and copy write out without touching their inputs', () => {
    fc.assert(
      fc.property(
        sizes.chain((n) => fc.tuple(finite, vector(n), vector(n))),
        ([alpha, x, y]) => {
          const xs = x.slice();
          const ys = y.slice();
          const out = new Float64Array(x.length);
          close(
            axpy(alpha, x, y, out),
            Array.from(x, (v, i) => alpha * v + y[i]),
          );
          close(
            scal(alpha, x, out),
            Array.from(x, (v) => alpha * v),
          );
          expect(Array.from(copy(x, out))).toEqual(Array.from(x));
          expect(Array.from(x)).toEqual(Array.from(xs));
          expect(Array.from(y)).toEqual(Array.from(ys));
        },
      ),
      settings,
    );
  });
  it('nrm2 equals sqrt(dot(x, x)) in the normal range', () => {
    fc.assert(
      fc.property(sizes.chain(vector), (x) => {
        expect(nrm2(x)).toBeCloseTo(Math.sqrt(dot(x, x)), 8);
      }),
      settings,
    );
  });
  it('nrm2 does not overflow for entries near 1e300', () => {
    expect(nrm2(Float64Array.of(3e300, 4e300))).toBeCloseTo(5e300, -290);
    expect(Number.isFinite(nrm2(Float64Array.of(1e308, 1e308)))).toBe(true);
  });
  it('nrm2 does not underflow to zero for entries near 1e-300', () => {
    expect(nrm2(Float64Array.of(3e-300, 4e-300)) / 5e-300).toBeCloseTo(1, 12);
  });
  it('nrm2 of an empty vector is 0, of a vector with NaN is NaN, with Infinity is Infinity', () => {
    expect(nrm2(new Float64Array(0))).toBe(0);
    expect(nrm2(Float64Array.of(1, Number.NaN))).toBeNaN();
    expect(nrm2(Float64Array.of(1, Number.POSITIVE_INFINITY))).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('gemv and gemm against naive loops', () => {
  it('gemv and gemvTransposed with alpha and beta', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(sizes, sizes)
          .chain(([m, n]) =>
            fc.tuple(matrix(m, n), vector(n), vector(m), vector(m), vector(n), finite, finite),
          ),
        ([A, x, y, c, d, alpha, beta]) => {
          const out = c.slice();
          gemv(A, x, out, alpha, beta);
          close(
            out,
            Array.from(
              c,
              (ci, i) => alpha * Array.from(x).reduce((s, xj, j) => s + at(A, i, j) * xj, 0) + beta * ci,
            ),
          );
          const outT = d.slice();
          gemvTransposed(A, y, outT, alpha, beta);
          close(
            outT,
            Array.from(
              d,
              (dj, j) => alpha * Array.from(y).reduce((s, yi, i) => s + at(A, i, j) * yi, 0) + beta * dj,
            ),
          );
        },
      ),
      settings,
    );
  });
  it('gemv with beta = 0 ignores NaN in out', () => {
    const out = Float64Array.of(Number.NaN, Number.NaN);
    gemv(
      fromRows([
        [1, 2],
        [3, 4],
      ]),
      Float64Array.of(1, 1),
      out,
    );
    expect(Array.from(out)).toEqual([3, 7]);
  });
  it('gemvTransposed with beta = 0 ignores NaN in out, also past a block of four rows', () => {
    const A = denseMatrix(5, 2, Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    const out = Float64Array.of(Number.NaN, Number.NaN);
    gemvTransposed(A, Float64Array.of(1, 1, 1, 1, 1), out);
    expect(Array.from(out)).toEqual([25, 30]);
  });
  it('gemv is exact on integers across four-row blocks and odd column counts (9 x 7)', () => {
    const A = denseMatrix(
      9,
      7,
      Float64Array.from({ length: 63 }, (_, k) => (k % 5) - 2),
    );
    const x = Float64Array.from({ length: 7 }, (_, j) => j - 3);
    const out = new Float64Array(9);
    gemv(A, x, out, 2, 0);
    const expected = Array.from({ length: 9 }, (_, i) => 2 * x.reduce((s, xj, j) => s + at(A, i, j) * xj, 0));
    expect(Array.from(out)).toEqual(expected);
  });
  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`gemm op(A)=${ta ? 'Aᵀ' : 'A'}, op(B)=${tb ? 'Bᵀ' : 'B'} equals the naive triple loop, with alpha and beta`, () => {
      fc.assert(
        fc.property(
          fc
            .tuple(
              fc.integer({ min: 0, max: 37 }),
              fc.integer({ min: 0, max: 37 }),
              fc.integer({ min: 0, max: 37 }),
            )
            .chain(([m, k, n]) =>
              fc.tuple(
                matrix(ta ? k : m, ta ? m : k),
                matrix(tb ? n : k, tb ? k : n),
                matrix(m, n),
                finite,
                fc.constantFrom(0, 1, -0.5),
              ),
            ),
          ([A, B, C, alpha, beta]) => {
            const expected = naiveProduct(A, B, ta, tb).map((v, i) => alpha * v + beta * C.data[i]);
            const out = { ...C, data: C.data.slice() };
            gemm(A, B, out, { alpha, beta, transposeA: ta, transposeB: tb });
            close(out.data, expected);
          },
        ),
        { seed: 7, numRuns: 40 },
      );
    });
  }
  it('gemm is exact on a large product of small integers (blocking edges at 131 x 257 x 67)', () => {
    const m = 131;
    const k = 257;
    const n = 67;
    const A = denseMatrix(
      m,
      k,
      Float64Array.from({ length: m * k }, (_, i) => (i % 7) - 3),
    );
    const B = denseMatrix(
      k,
      n,
      Float64Array.from({ length: k * n }, (_, i) => (i % 5) - 2),
    );
    const C = denseMatrix(m, n);
    gemm(A, B, C);
    expect(Array.from(C.data)).toEqual(Array.from(naiveProduct(A, B, false, false)));
  });
});

describe('sparse kernels', () => {
  it('spmv and spmvTransposed equal gemv on the dense copy', () => {
    fc.assert(
      fc.property(
        fc.tuple(sizes, sizes).chain(([m, n]) =>
          fc.tuple(
            matrix(m, n).map((A) => ({ ...A, data: A.data.map((v, i) => (i % 3 === 0 ? 0 : v)) })),
            vector(n),
            vector(m),
          ),
        ),
        ([A, x, y]) => {
          const S = csrFromDense(A);
          close(spmv(S, x, new Float64Array(A.rows)), gemv(A, x, new Float64Array(A.rows)));
          close(
            spmvTransposed(S, y, new Float64Array(A.cols)),
            gemvTransposed(A, y, new Float64Array(A.cols)),
          );
          expect(Array.from(csrToDense(S).data, (v) => v + 0)).toEqual(Array.from(A.data, (v) => v + 0)); // -0 is stored as 0
        },
      ),
      settings,
    );
  });
  it('csrFromTriplets sums duplicate entries and sorts columns within rows', () => {
    const S = csrFromTriplets(2, 3, [1, 0, 1, 0], [2, 1, 2, 0], [1, 2, 3, 4]);
    expect(Array.from(S.rowPointers)).toEqual([0, 2, 3]);
    expect(Array.from(S.columnIndices)).toEqual([0, 1, 2]);
    expect(Array.from(S.values)).toEqual([4, 2, 4]);
  });
  it('csrFromTriplets rejects an entry outside the matrix, naming it', () => {
    expectArgminError(
      () => csrFromTriplets(2, 2, [0, 2], [0, 0], [1, 1]),
      'csrFromTriplets: entry 1 at (2, 0) is outside a 2 x 2 matrix.',
    );
  });
  it('csrFromTriplets rejects arrays of different lengths', () => {
    expectArgminError(
      () => csrFromTriplets(2, 2, [0], [0, 1], [1]),
      /must have the same length; got 1, 2, 1/,
    );
  });
});

describe('dense matrices and interop', () => {
  it('transpose is an involution', () => {
    fc.assert(
      fc.property(
        fc.tuple(sizes, sizes).chain(([m, n]) => matrix(m, n)),
        (A) => {
          expect(Array.from(transpose(transpose(A)).data)).toEqual(Array.from(A.data));
        },
      ),
      settings,
    );
  });
  it('denseMatrix rejects data of the wrong size', () => {
    expectArgminError(
      () => denseMatrix(2, 3, new Float64Array(5)),
      'denseMatrix: data must have rows*cols = 6 entries; got 5.',
    );
  });
  it('fromRows rejects ragged rows, naming the row', () => {
    expectArgminError(
      () => fromRows([[1, 2], [3]]),
      'fromRows: `rows` is ragged: row 1 has 1 entries but row 0 has 2. Every row needs the same length.',
    );
  });
  it('ml-matrix round trip preserves every entry', () => {
    const A = fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const M = toMlMatrix(A);
    expect(M).toBeInstanceOf(Matrix);
    expect(M.get(1, 2)).toBe(6);
    expect(fromMlMatrix(M)).toEqual(A);
  });
  it('ndarray views share the buffer both ways', () => {
    const A = fromRows([
      [1, 2],
      [3, 4],
    ]);
    const view = toNdArray(A);
    view.set(1, 0, 30);
    expect(A.data[2]).toBe(30);
    const back = fromNdArray(view);
    expect(back.data).toBe(A.data);
  });
  it('fromNdArray copies a transposed (non-contiguous) view correctly', () => {
    const view = ndarray(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3]).transpose(1, 0);
    expect(fromNdArray(view)).toEqual({ rows: 3, cols: 2, data: Float64Array.of(1, 4, 2, 5, 3, 6) });
  });
  it('fromNdArray rejects a 3-D array and batchView rejects a wrong size', () => {
    expectArgminError(
      () => fromNdArray(ndarray(new Float64Array(8), [2, 2, 2])),
      /expected a 2-D ndarray; got shape \[2, 2, 2\]/,
    );
    expectArgminError(
      () => batchView(new Float64Array(5), 2, 3),
      /n\*d = 6 entries for shape \[2, 3\]; got 5/,
    );
  });
});

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, ResourceLimitError } from '../errors/argmin-error';
import { csrOperator, denseOperator, diagonalOperator, operatorToDense } from '../operators/operators';
import { batchOf } from '../oracles/batch';
import { leastSquares, randomLeastSquares } from '../problems/least-squares';
import { logisticRegression, randomLogisticRegression } from '../problems/logistic-regression';
import { quadratic, randomQuadratic } from '../problems/quadratic';
import { rosenbrock } from '../problems/rosenbrock';
import { setResourceLimits } from '../resources/budget';
import { createRng } from '../rng/rng';
import { zeros } from '../spec/vec';
import { csrFromDense, csrFromTriplets, csrMatrix, csrToDense } from './csr-matrix';
import {
  cloneMatrix,
  type DenseMatrix,
  denseMatrix,
  eye,
  fromRows,
  row,
  toDenseMatrix,
  toRows,
  toVec,
  transpose,
} from './dense-matrix';
import { expectArgminError } from './expect-argmin-error';
import { cholesky, lu, qr, solveDense, svd, symmetricEigen } from './factorizations';
import { gemm } from './gemm';
import { gemv, gemvTransposed } from './gemv';
import { spmv, spmvTransposed } from './spmv';

/** A 2 x 3 "matrix" whose data holds only 5 entries: reading entry (1, 2) would be out of bounds. */
const short = (): DenseMatrix => ({ rows: 2, cols: 3, data: Float64Array.of(1, 2, 3, 4, 5) });

describe('issue 13: a dense matrix whose data is shorter than rows × cols is a named error everywhere', () => {
  const entries: [string, () => unknown, RegExp][] = [
    [
      'gemv',
      () => gemv(short(), new Float64Array(3), new Float64Array(2)),
      /gemv: `A.data` holds fewer than rows · cols = 2 · 3 = 6 entries/,
    ],
    [
      'gemvTransposed',
      () => gemvTransposed(short(), new Float64Array(2), new Float64Array(3)),
      /gemvTransposed: `A.data` holds fewer/,
    ],
    ['gemm (A)', () => gemm(short(), denseMatrix(3, 1), denseMatrix(2, 1)), /gemm: `A.data` holds fewer/],
    [
      'gemm (C)',
      () => gemm(denseMatrix(2, 3), denseMatrix(3, 1), { rows: 2, cols: 1, data: new Float64Array(1) }),
      /gemm: `C.data` holds fewer/,
    ],
    ['transpose', () => transpose(short()), /transpose: `A.data` holds fewer/],
    ['toRows', () => toRows(short()), /toRows: `A.data` holds fewer/],
    ['row', () => row(short(), 1), /row: `A.data` holds fewer/],
    ['cloneMatrix', () => cloneMatrix(short()), /cloneMatrix: `A.data` holds fewer/],
    ['csrFromDense', () => csrFromDense(short()), /csrFromDense: `A.data` holds fewer/],
    [
      'denseOperator',
      () => denseOperator(short()),
      /denseOperator: `A.data` must hold rows · cols = 2 · 3 = 6 entries \(row-major\); it holds 5/,
    ],
    [
      'toDenseMatrix',
      () => toDenseMatrix(short()),
      /toDenseMatrix: `A.data` must hold rows · cols = 2 · 3 = 6 numbers/,
    ],
    [
      'leastSquares',
      () => leastSquares(short(), [1, 2]),
      /leastSquares: `A.data` must hold rows · cols = 2 · 3 = 6/,
    ],
    [
      'logisticRegression',
      () => logisticRegression(short(), [0, 1]),
      /logisticRegression: `X.data` must hold/,
    ],
    [
      'quadratic',
      () => quadratic({ rows: 2, cols: 2, data: Float64Array.of(1, 0, 0) }, [1, 1]),
      /quadratic: `A.data` must hold rows · cols = 2 · 2 = 4/,
    ],
    [
      'lu',
      () => lu({ rows: 2, cols: 2, data: Float64Array.of(1, 0, 0) }),
      /lu: A.data must hold rows \* cols = 4 entries/,
    ],
    [
      'cholesky',
      () => cholesky({ rows: 2, cols: 2, data: Float64Array.of(1, 0, 0) }),
      /cholesky: A.data must hold/,
    ],
    ['qr', () => qr(short()), /qr: A.data must hold/],
    ['svd', () => svd(short()), /svd: A.data must hold/],
    [
      'symmetricEigen',
      () => symmetricEigen({ rows: 2, cols: 2, data: Float64Array.of(1) }),
      /symmetricEigen: A.data must hold/,
    ],
    [
      'solveDense',
      () => solveDense({ rows: 2, cols: 2, data: Float64Array.of(1) }, Float64Array.of(1, 1)),
      /solveDense: A.data must hold/,
    ],
  ];
  for (const [name, run, message] of entries) it(name, () => expectArgminError(run, message));

  it('every kernel also refuses short vectors (x, out) instead of reading or writing past them', () => {
    const A = denseMatrix(2, 3);
    expectArgminError(
      () => gemv(A, new Float64Array(2), new Float64Array(2)),
      /gemv: `x` must have at least 3 entries \(the columns of A\)/,
    );
    expectArgminError(
      () => gemv(A, new Float64Array(3), new Float64Array(1)),
      /gemv: `out` must have at least 2 entries/,
    );
    expectArgminError(
      () => gemvTransposed(A, new Float64Array(1), new Float64Array(3)),
      /gemvTransposed: `x` must have at least 2 entries/,
    );
    expectArgminError(
      () => gemm(A, denseMatrix(2, 2), denseMatrix(2, 2)),
      /gemm: op\(A\) is 2 x 3 but op\(B\) is 2 x 2; the inner dimensions must agree/,
    );
    expectArgminError(
      () => gemm(A, denseMatrix(3, 2), denseMatrix(3, 2)),
      /gemm: C must be 2 x 2 \(op\(A\) op\(B\)\); it is 3 x 2/,
    );
    expectArgminError(() => transpose(A, denseMatrix(2, 3)), /transpose: out must be 3 x 2/);
  });

  it('fast-check (seed 13): any data length other than rows × cols is refused by every constructor, never a TypeError or NaN', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: -3, max: 3 }).filter((d) => d !== 0),
        (rows, cols, delta) => {
          const length = Math.max(0, rows * cols + delta);
          if (length === rows * cols) return;
          const A = { rows, cols, data: new Float64Array(length).fill(1) };
          for (const run of [
            () => denseMatrix(rows, cols, A.data),
            () => denseOperator(A),
            () => toDenseMatrix(A),
            () => leastSquares(A, new Float64Array(rows)),
            () => quadratic(A, new Float64Array(rows)),
          ]) {
            let error: unknown;
            try {
              run();
            } catch (caught) {
              error = caught;
            }
            expect(InvalidArgumentError.isInstance(error), String(error)).toBe(true);
          }
          if (length < rows * cols)
            expect(() => gemv(A, new Float64Array(cols), new Float64Array(rows))).toThrow(/gemv/);
        },
      ),
      { seed: 13, numRuns: 80 },
    );
  });
});

describe('issue 13: size-driven allocations are checked against the budget before allocating', () => {
  afterEach(() => {
    setResourceLimits({});
  });
  const refused: [string, () => unknown, RegExp][] = [
    [
      'denseMatrix(1e5, 1e5)',
      () => denseMatrix(1e5, 1e5),
      /denseMatrix: a 100000 x 100000 matrix needs 74\.51 GiB, over the budget of 2\.00 GiB/,
    ],
    ['eye(1e5)', () => eye(1e5), /denseMatrix: a 100000 x 100000 matrix needs/],
    ['zeros(1e10)', () => zeros(1e10), /zeros: a vector of length 10000000000 needs/],
    [
      'randomLeastSquares(1e5, 1e5)',
      () => randomLeastSquares(1e5, 1e5, 0.1, createRng(1)),
      /randomLeastSquares: a 100000 x 100000 matrix/,
    ],
    [
      'randomLogisticRegression(1e6, 1e3)',
      () => randomLogisticRegression(1e6, 1e3, { rng: createRng(1) }),
      /randomLogisticRegression: a 1000000 x 1000 matrix/,
    ],
    [
      'randomQuadratic(1e5)',
      () => randomQuadratic(1e5, 10, createRng(1)),
      /randomQuadratic: two 100000 x 100000 matrices/,
    ],
    [
      'toDenseMatrix of a 1e5 x 1e5 ndarray-like',
      () => toDenseMatrix({ shape: [1e5, 1e5], get: () => 0 }),
      /toDenseMatrix: a 100000 x 100000 matrix/,
    ],
    [
      'csrToDense of a 1e5 x 1e5 sparse identity',
      () => csrToDense(csrMatrix(1e5, 1e5, new Int32Array(1e5 + 1), [], [])),
      /csrToDense: a dense 100000 x 100000 matrix/,
    ],
    [
      'operatorToDense of a 1e5 x 1e5 operator',
      () => operatorToDense(csrOperator(csrMatrix(1e5, 1e5, new Int32Array(1e5 + 1), [], []))),
      /operatorToDense: a dense 100000 x 100000 matrix/,
    ],
    [
      'drawBatch of 1e10 indices',
      () => randomLeastSquares(5, 2, 0.1, createRng(1)).drawBatch(createRng(2), 1e10),
      /drawBatch: a batch of 10000000000 indices/,
    ],
  ];
  for (const [name, run, message] of refused)
    it(`${name} is a ResourceLimitError naming the bytes and setResourceLimits`, () => {
      expectArgminError(run, message, ResourceLimitError);
      expectArgminError(run, /setResourceLimits\(\{ maxBytes: \d+ \}\)/, ResourceLimitError);
    });
  it('the budget is configurable: a 200 x 200 matrix is refused under a 100 kB budget and allowed again after restoring it', () => {
    setResourceLimits({ maxBytes: 100_000 });
    expectArgminError(
      () => denseMatrix(200, 200),
      /needs 320000 bytes, over the budget of 100000 bytes/,
      ResourceLimitError,
    );
    setResourceLimits({});
    expect(denseMatrix(200, 200).data.length).toBe(40_000);
  });
});

describe('issue 13: CSR validation (row pointers monotone and complete, column indices in range)', () => {
  const bad: [string, () => unknown, RegExp][] = [
    [
      'decreasing row pointers',
      () => csrMatrix(2, 2, [0, 2, 1], [0, 1], [1, 2]),
      /rowPointers\[1\] = 2 > rowPointers\[2\] = 1/,
    ],
    [
      'row pointers not starting at 0',
      () => csrMatrix(2, 2, [1, 1, 2], [0, 1], [1, 2]),
      /`A.rowPointers\[0\]` must be 0/,
    ],
    [
      'row pointers of the wrong length',
      () => csrMatrix(3, 2, [0, 1, 2], [0, 1], [1, 2]),
      /must have rows \+ 1 = 4 entries/,
    ],
    [
      'last row pointer not nnz',
      () => csrMatrix(2, 2, [0, 1, 1], [0, 1], [1, 2]),
      /`A.rowPointers\[rows\]` must equal nnz = values.length = 2; it is 1/,
    ],
    [
      'a column index out of range',
      () => csrMatrix(2, 2, [0, 1, 2], [0, 2], [1, 2]),
      /`A.columnIndices\[1\]` = 2 is outside \[0, 2\) \(a 2 x 2 matrix\)/,
    ],
    [
      'a negative column index',
      () => csrMatrix(2, 2, [0, 1, 2], [0, -1], [1, 2]),
      /csrMatrix: `columnIndices\[1\]` must be an integer >= 0/,
    ],
    [
      'columnIndices and values of different lengths',
      () => csrMatrix(1, 2, [0, 1], [0, 1], [1]),
      /must have the same length \(nnz\); they have 2 and 1/,
    ],
    [
      'a hand-built CSR with an out-of-range column given to csrOperator',
      () =>
        csrOperator({
          rows: 1,
          cols: 1,
          rowPointers: Int32Array.of(0, 1),
          columnIndices: Int32Array.of(5),
          values: Float64Array.of(1),
        }),
      /csrOperator: `A.columnIndices\[0\]` = 5 is outside \[0, 1\)/,
    ],
    [
      'a CSR with non-typed arrays given to csrOperator',
      () => csrOperator({ rows: 1, cols: 1, rowPointers: [0, 1], columnIndices: [0], values: [1] } as never),
      /needs rowPointers and columnIndices as Int32Array/,
    ],
    [
      'spmv on short row pointers',
      () =>
        spmv(
          {
            rows: 2,
            cols: 2,
            rowPointers: Int32Array.of(0, 1),
            columnIndices: Int32Array.of(0),
            values: Float64Array.of(1),
          },
          new Float64Array(2),
          new Float64Array(2),
        ),
      /spmv: `A.rowPointers` must have rows \+ 1 = 3 entries/,
    ],
    [
      'spmvTransposed with a short x',
      () =>
        spmvTransposed(csrMatrix(2, 2, [0, 1, 2], [0, 1], [1, 1]), new Float64Array(1), new Float64Array(2)),
      /spmvTransposed: `x` must have at least 2 entries/,
    ],
    [
      'csrFromTriplets with fractional rows',
      () => csrFromTriplets(2.5, 2, [], [], []),
      /csrFromTriplets: `rows` must be an integer >= 0; got 2.5/,
    ],
  ];
  for (const [name, run, message] of bad) it(name, () => expectArgminError(run, message));
  it('a valid CSR from plain arrays equals the one from triplets', () => {
    const A = csrMatrix(2, 3, [0, 2, 3], [0, 2, 1], [1, 2, 3]);
    expect(Array.from(csrToDense(A).data)).toEqual([1, 0, 2, 0, 3, 0]);
    expect(Array.from(csrToDense(csrFromTriplets(2, 3, [0, 0, 1], [0, 2, 1], [1, 2, 3])).data)).toEqual([
      1, 0, 2, 0, 3, 0,
    ]);
  });
});

describe('issue 13: core problems refuse a parameter vector of the wrong length', () => {
  const problems = [
    ['rosenbrock(3)', () => rosenbrock(3), 'x'],
    [
      'quadratic 3 x 3',
      () =>
        quadratic(
          fromRows([
            [2, 0, 0],
            [0, 2, 0],
            [0, 0, 2],
          ]),
          [1, 1, 1],
        ),
      'x',
    ],
    ['leastSquares 4 x 3', () => randomLeastSquares(4, 3, 0.1, createRng(3)), 'x'],
    ['logisticRegression 4 x 3', () => randomLogisticRegression(4, 3, { rng: createRng(3) }), 'w'],
  ] as const;
  for (const [name, make, x] of problems) {
    it(`${name}: value, grad and hvp name the method, the argument and both lengths`, () => {
      const oracle = make();
      const where = name.split(/[ (]/)[0];
      expectArgminError(
        () => oracle.value(new Float64Array(2)),
        `${where}.value: \`${x}\` must have length 3 (the problem's dimension); got length 2.`,
      );
      expectArgminError(
        () => oracle.grad(new Float64Array(4), new Float64Array(4)),
        new RegExp(`${where}.grad: \`${x}\` must have length 3`),
      );
      expectArgminError(
        () => oracle.grad(new Float64Array(3), new Float64Array(2)),
        new RegExp(`${where}.grad: \`out\` must have at least 3 entries; got 2`),
      );
      expectArgminError(
        () => oracle.hvp(new Float64Array(3), new Float64Array(1), new Float64Array(3)),
        new RegExp(`${where}.hvp: \`v\` must have length 3`),
      );
    });
  }
  it('batch methods refuse an index outside [0, m) and an empty batch; componentGrad refuses a bad index', () => {
    const oracle = randomLeastSquares(4, 3, 0.1, createRng(3));
    const x = new Float64Array(3);
    expectArgminError(
      () => oracle.batchGrad({ indices: Int32Array.of(0, 4) }, x, new Float64Array(3)),
      'leastSquares.batchGrad: batch index 4 (entry 1) is outside [0, 4).',
    );
    expectArgminError(
      () => oracle.batchValue({ indices: new Int32Array(0) }, x),
      /`batch.indices` must be a non-empty Int32Array/,
    );
    expectArgminError(
      () => oracle.componentGrad(-1, x, new Float64Array(3)),
      /leastSquares.componentGrad: the component index must be an integer in \[0, 4\); got -1/,
    );
    const logistic = randomLogisticRegression(4, 3, { rng: createRng(3) });
    expectArgminError(
      () => logistic.batchHvp(batchOf([1, 2]), x, new Float64Array(2), new Float64Array(3)),
      /logisticRegression.batchHvp: `v` must have length 3/,
    );
  });
});

describe('issue 14: number[], number[][] and array-likes at the boundary, converted once', () => {
  it('toVec shares a Float64Array and copies anything else once', () => {
    const f = Float64Array.of(1, 2);
    expect(toVec(f)).toBe(f);
    const copied = toVec([1, 2]);
    expect(copied).toBeInstanceOf(Float64Array);
    expect(Array.from(copied)).toEqual([1, 2]);
    expect(Array.from(toVec(Int32Array.of(3, 4)))).toEqual([3, 4]);
    expect(Array.from(toVec({ length: 2, 0: 5, 1: 6 }))).toEqual([5, 6]);
  });
  it('toDenseMatrix shares a DenseMatrix and converts nested rows, { rows, cols, data: number[] } and ndarray-likes', () => {
    const A = { rows: 2, cols: 2, data: Float64Array.of(1, 2, 3, 4) };
    expect(toDenseMatrix(A)).toBe(A);
    for (const input of [
      [
        [1, 2],
        [3, 4],
      ],
      [Float64Array.of(1, 2), Float64Array.of(3, 4)],
      { rows: 2, cols: 2, data: [1, 2, 3, 4] },
      { shape: [2, 2], get: (i: number, j: number) => 2 * i + j + 1 },
    ]) {
      const B = toDenseMatrix(input);
      expect([B.rows, B.cols]).toEqual([2, 2]);
      expect(Array.from(B.data)).toEqual([1, 2, 3, 4]);
    }
    expect(toDenseMatrix([])).toEqual({ rows: 0, cols: 0, data: new Float64Array(0) });
  });
  it('shape mistakes get messages that say what was found', () => {
    expectArgminError(
      () => toDenseMatrix([1, 2, 3] as never, 'sinkhorn', 'cost'),
      'sinkhorn: `cost` must be a matrix (an array of rows); got a flat array of 3 numbers. Wrap a single row as [[...]] or pass { rows, cols, data }.',
    );
    expectArgminError(
      () => toDenseMatrix([[1, 2], [3]], 'sinkhorn', 'cost'),
      'sinkhorn: `cost` is ragged: row 1 has 1 entries but row 0 has 2. Every row needs the same length.',
    );
    expectArgminError(
      () => toDenseMatrix([[[1]]] as never),
      /`A\[0\]\[0\]` must be a number; got an array of length 1 \(one nesting level too deep\?\) \(a 3-D array is not a matrix\)/,
    );
    expectArgminError(
      () => toDenseMatrix([[1, '2']] as never),
      /`A\[0\]\[1\]` must be a number; got the string "2"/,
    );
    expectArgminError(
      () => toDenseMatrix(undefined as never, 'sinkhorn', 'cost'),
      'sinkhorn: `cost` must be a matrix (number[][] or { rows, cols, data }); got undefined.',
    );
    expectArgminError(() => toDenseMatrix({ foo: 1 } as never), /got an object with keys foo/);
    expectArgminError(
      () => toDenseMatrix({ shape: [2, 2, 2], get: () => 0 }),
      /must be a 2-D ndarray; got shape \[2, 2, 2\]/,
    );
    expectArgminError(
      () => toVec('12' as never, 'uniform', 'a'),
      'uniform: `a` must be an array of numbers (number[] or Float64Array); got the string "12".',
    );
    expectArgminError(() => toVec([1, null] as never), /`values` must contain numbers; entry 1 is null/);
    expectArgminError(
      () => denseMatrix(1, 2, [1, 'x'] as never),
      /denseMatrix: `data` must contain numbers; entry 1 is the string "x"/,
    );
  });
  it('leastSquares from number[][] and number[] gives the same bits as from typed arrays', () => {
    const rows = [
      [1, 2],
      [3, -1],
      [0.5, 4],
    ];
    const b = [1, 0, 2];
    const fromArrays = leastSquares(rows, b);
    const fromTyped = leastSquares(fromRows(rows), Float64Array.from(b));
    const x = Float64Array.of(0.3, -0.2);
    expect(fromArrays.value(x)).toBe(fromTyped.value(x));
    expect(Array.from(fromArrays.grad(x, new Float64Array(2)))).toEqual(
      Array.from(fromTyped.grad(x, new Float64Array(2))),
    );
    const logistic = logisticRegression(rows, [0, 1, 1], { l2: 0.1 });
    expect(Number.isFinite(logistic.value(x))).toBe(true);
    expect(
      quadratic(
        [
          [2, 0],
          [0, 1],
        ],
        [1, 1],
      ).value(Float64Array.of(1, 1)),
    ).toBe(-0.5);
  });
  it('factorizations and operators take number[][] and number[] too, with the same results as typed input', () => {
    const rows = [
      [4, 1],
      [1, 3],
    ];
    const typed = fromRows(rows);
    const a = lu(rows);
    const b = lu(typed);
    if (!a.ok || !b.ok) throw new Error('singular');
    expect(Array.from(a.solveTranspose([1, 2]))).toEqual(Array.from(b.solveTranspose([1, 2])));
    const c = cholesky(rows);
    const d = cholesky(typed);
    if (!c.ok || !d.ok) throw new Error('not SPD');
    expect(Array.from(c.lower.data)).toEqual(Array.from(d.lower.data));
    const solved = solveDense(rows, [1, 2]);
    if (!solved.ok) throw new Error('singular');
    expect(Array.from(solved.x)).toEqual(Array.from(b.solve([1, 2])));
    expect(Array.from(qr(rows).r.data)).toEqual(Array.from(qr(typed).r.data));
    expect(Array.from(svd(rows).singularValues)).toEqual(Array.from(svd(typed).singularValues));
    expect(Array.from(symmetricEigen(rows).values)).toEqual(Array.from(symmetricEigen(typed).values));
    expect(Array.from(operatorToDense(denseOperator(rows)).data)).toEqual([4, 1, 1, 3]);
    expect(Array.from(diagonalOperator([2, 3]).apply(Float64Array.of(1, 1), new Float64Array(2)))).toEqual([
      2, 3,
    ]);
    expectArgminError(() => lu([[1, 2], [3]]), /lu: `A` is ragged: row 1 has 1 entries but row 0 has 2/);
    expectArgminError(
      () => denseOperator([1, 2] as never),
      /denseOperator: `A` must be a matrix \(an array of rows\); got a flat array of 2 numbers/,
    );
  });
});

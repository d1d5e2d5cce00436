import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/argmin-error';
import { csrFromDense } from '../linalg/csr-matrix';
import type { DenseMatrix } from '../linalg/dense-matrix';
import { transpose } from '../linalg/dense-matrix';
import { expectArgminError } from '../linalg/expect-argmin-error';
import { dot } from '../linalg/level1';
import type { Operator } from '../spec/operator';
import { expectAllClose } from '../testing/expect-all-close';
import {
  adjointOperator,
  composeOperators,
  csrOperator,
  denseOperator,
  diagonalOperator,
  identityOperator,
  operatorFromFunction,
  operatorToDense,
  operatorTransposeToDense,
  scaleOperator,
  sumOperators,
  transposeOf,
  transposeOperator,
} from './operators';

const finite = fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true });
const vector = (n: number) =>
  fc.array(finite, { minLength: n, maxLength: n }).map((v) => Float64Array.from(v));
const matrix = (rows: number, cols: number) =>
  vector(rows * cols).map((data): DenseMatrix => ({ rows, cols, data }));
const dims = fc.integer({ min: 1, max: 9 });

/** <A x, y> = <x, Aᵀ y> for random x, y. */
function expectAdjoint(op: Operator, x: Float64Array, y: Float64Array) {
  const ax = op.apply(x, new Float64Array(op.rows));
  const aty = op.applyTranspose!(y, new Float64Array(op.cols));
  const left = dot(ax, y);
  const right = dot(x, aty);
  expect(Math.abs(left - right)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(left)));
}

const cases: [string, fc.Arbitrary<{ op: Operator; x: Float64Array; y: Float64Array }>][] = [
  [
    'denseOperator',
    fc
      .tuple(dims, dims)
      .chain(([m, n]) =>
        fc.record({ op: matrix(m, n).map((A) => denseOperator(A)), x: vector(n), y: vector(m) }),
      ),
  ],
  [
    'csrOperator',
    fc
      .tuple(dims, dims)
      .chain(([m, n]) =>
        fc.record({ op: matrix(m, n).map((A) => csrOperator(csrFromDense(A))), x: vector(n), y: vector(m) }),
      ),
  ],
  [
    'diagonalOperator',
    dims.chain((n) => fc.record({ op: vector(n).map(diagonalOperator), x: vector(n), y: vector(n) })),
  ],
  [
    'identityOperator',
    dims.chain((n) => fc.record({ op: fc.constant(identityOperator(n)), x: vector(n), y: vector(n) })),
  ],
  [
    'composeOperators',
    fc.tuple(dims, dims, dims).chain(([m, k, n]) =>
      fc.record({
        op: fc
          .tuple(matrix(m, k), matrix(k, n))
          .map(([A, B]) => composeOperators(denseOperator(A), denseOperator(B))),
        x: vector(n),
        y: vector(m),
      }),
    ),
  ],
  [
    'sumOperators',
    fc.tuple(dims, dims).chain(([m, n]) =>
      fc.record({
        op: fc
          .tuple(matrix(m, n), matrix(m, n))
          .map(([A, B]) => sumOperators(denseOperator(A), csrOperator(csrFromDense(B)))),
        x: vector(n),
        y: vector(m),
      }),
    ),
  ],
  [
    'scaleOperator',
    fc.tuple(dims, dims, finite).chain(([m, n, a]) =>
      fc.record({
        op: matrix(m, n).map((A) => scaleOperator(a, denseOperator(A))),
        x: vector(n),
        y: vector(m),
      }),
    ),
  ],
  [
    'transposeOperator',
    fc.tuple(dims, dims).chain(([m, n]) =>
      fc.record({
        op: matrix(m, n).map((A) => transposeOperator(denseOperator(A))),
        x: vector(m),
        y: vector(n),
      }),
    ),
  ],
];

/** Matrix-free forward difference D (n-1 x n): (Dx)_i = x_{i+1} - x_i; (Dᵀy)_j = y_{j-1} - y_j. */
const forwardDifference = (n: number): Operator =>
  operatorFromFunction({
    rows: n - 1,
    cols: n,
    apply: (x, out) => {
      for (let i = 0; i < n - 1; i++) out[i] = x[i + 1] - x[i];
      return out;
    },
    applyTranspose: (y, out) => {
      for (let j = 0; j < n; j++) out[j] = (j > 0 ? y[j - 1] : 0) - (j < n - 1 ? y[j] : 0);
      return out;
    },
  });
cases.push(
  [
    'operatorFromFunction (matrix-free forward difference)',
    dims.chain((n) =>
      fc.record({ op: fc.constant(forwardDifference(n + 1)), x: vector(n + 1), y: vector(n) }),
    ),
  ],
  [
    'a nested expression: transpose(compose(sum(scale(a, D), D), diagonal))',
    fc.tuple(dims, finite).chain(([n, a]) =>
      fc.record({
        op: vector(n + 1).map((d) =>
          transposeOperator(
            composeOperators(
              sumOperators(scaleOperator(a, forwardDifference(n + 1)), forwardDifference(n + 1)),
              diagonalOperator(d),
            ),
          ),
        ),
        x: vector(n),
        y: vector(n + 1),
      }),
    ),
  ],
);

describe('operator transposes: <Ax, y> = <x, Aᵀy> (fast-check, seed 42)', () => {
  for (const [name, arbitrary] of cases) {
    it(name, () => {
      fc.assert(
        fc.property(arbitrary, ({ op, x, y }) => expectAdjoint(op, x, y)),
        { seed: 42, numRuns: 60 },
      );
    });
  }
});

describe('operator transposes equal the explicit dense transpose (fast-check, seed 7)', () => {
  for (const [name, arbitrary] of cases) {
    it(`${name}: the columns of applyTranspose are the rows of apply, and applyAdjoint is the same function`, () => {
      fc.assert(
        fc.property(arbitrary, ({ op }) => {
          const explicit = transpose(operatorToDense(op));
          const viaTranspose = operatorTransposeToDense(op);
          expect([viaTranspose.rows, viaTranspose.cols]).toEqual([op.cols, op.rows]);
          let scale = 1;
          for (const v of explicit.data) scale = Math.max(scale, Math.abs(v));
          expectAllClose(viaTranspose.data, explicit.data, {
            absolute: 1e-13 * scale,
            relative: 0,
            label: name,
          });
          expect(op.applyAdjoint).toBe(op.applyTranspose);
        }),
        { seed: 7, numRuns: 30 },
      );
    });
  }
  it('a dense operator transposes bit for bit (gemvTransposed on unit vectors reads the entries)', () => {
    const A: DenseMatrix = { rows: 3, cols: 2, data: Float64Array.of(1.5, -2, 0.1, 3e-300, 7, 1e300) };
    expect(Array.from(operatorTransposeToDense(denseOperator(A)).data)).toEqual([
      1.5, 0.1, 7, -2, 3e-300, 1e300,
    ]);
    expect(Array.from(operatorTransposeToDense(csrOperator(csrFromDense(A))).data)).toEqual([
      1.5, 0.1, 7, -2, 3e-300, 1e300,
    ]);
  });
  it('transposeOperator(transposeOperator(A)) applies A', () => {
    const A: DenseMatrix = { rows: 2, cols: 3, data: Float64Array.of(1, 2, 3, 4, 5, 6) };
    const back = transposeOperator(transposeOperator(denseOperator(A)));
    expect(Array.from(operatorToDense(back).data)).toEqual(Array.from(A.data));
    expect(Array.from(operatorTransposeToDense(back).data)).toEqual([1, 4, 2, 5, 3, 6]);
  });
  it('apply and applyTranspose do not mutate their input (composite operators reuse scratch, not inputs)', () => {
    const A: DenseMatrix = { rows: 2, cols: 2, data: Float64Array.of(1, 2, 3, 4) };
    const op = scaleOperator(
      2,
      composeOperators(sumOperators(denseOperator(A), identityOperator(2)), denseOperator(A)),
    );
    const y = Float64Array.of(0.5, -1);
    op.applyTranspose!(y, new Float64Array(2));
    op.apply(y, new Float64Array(2));
    expect(Array.from(y)).toEqual([0.5, -1]);
  });
});

describe('transposeOf: either name, for operators written elsewhere', () => {
  it('reads an operator that only has the deprecated applyAdjoint', () => {
    const legacy: Operator = {
      rows: 1,
      cols: 2,
      apply: (x, out) => ((out[0] = x[0] + 2 * x[1]), out),
      applyAdjoint: (y, out) => ((out[0] = y[0]), (out[1] = 2 * y[0]), out),
    };
    expect(Array.from(transposeOf(legacy)!(Float64Array.of(3), new Float64Array(2)))).toEqual([3, 6]);
    const composed = composeOperators(identityOperator(1), legacy);
    expect(Array.from(composed.applyTranspose!(Float64Array.of(3), new Float64Array(2)))).toEqual([3, 6]);
    expect(Array.from(operatorTransposeToDense(transposeOperator(legacy)).data)).toEqual([1, 2]);
  });
  it('a matrix-free operator without a transpose gives composites without one', () => {
    const noTranspose = operatorFromFunction({ rows: 2, cols: 2, apply: (x, out) => (out.set(x), out) });
    expect(transposeOf(noTranspose)).toBeUndefined();
    expect(composeOperators(identityOperator(2), noTranspose).applyTranspose).toBeUndefined();
    expect(sumOperators(identityOperator(2), noTranspose).applyTranspose).toBeUndefined();
    expect(scaleOperator(2, noTranspose).applyTranspose).toBeUndefined();
    expectArgminError(() => transposeOperator(noTranspose), /transposeOperator: `A` has no applyTranspose/);
  });
  it('operatorFromFunction refuses two different transpose functions and a non-function apply', () => {
    const f = (x: Float64Array, out: Float64Array) => (out.set(x), out);
    expectArgminError(
      () =>
        operatorFromFunction({
          rows: 1,
          cols: 1,
          apply: f,
          applyTranspose: f,
          applyAdjoint: (_y, out) => out,
        }),
      /give `applyTranspose` or its deprecated alias `applyAdjoint`, not two different functions/,
    );
    expectArgminError(
      () => operatorFromFunction({ rows: 1, cols: 1, apply: 5 as never }),
      'operatorFromFunction: `apply` must be a function (x, out) => out; got number.',
    );
  });
});

describe('operator constructors', () => {
  it('compose applies B first, then A', () => {
    const A = denseOperator({ rows: 1, cols: 2, data: Float64Array.of(1, 1) });
    const B = denseOperator({ rows: 2, cols: 1, data: Float64Array.of(2, 3) });
    expect(Array.from(composeOperators(A, B).apply(Float64Array.of(1), new Float64Array(1)))).toEqual([5]);
  });
  it('operatorToDense materializes a matrix-free operator', () => {
    const op = operatorFromFunction({
      rows: 2,
      cols: 2,
      apply: (x, out) => ((out[0] = 2 * x[0] + x[1]), (out[1] = x[1]), out),
    });
    expect(Array.from(operatorToDense(op).data)).toEqual([2, 1, 0, 1]);
  });
  it('denseOperator and csrOperator expose their diagonal', () => {
    const A = { rows: 2, cols: 2, data: Float64Array.of(4, 1, 1, 3) };
    expect(Array.from(denseOperator(A).diagonal!())).toEqual([4, 3]);
    expect(Array.from(csrOperator(csrFromDense(A)).diagonal!())).toEqual([4, 3]);
  });
  it('traits: a positive diagonal is SPD; a sum of SPD operators is SPD; scaling by a negative number is not', () => {
    const d = diagonalOperator(Float64Array.of(1, 2));
    expect(d.traits).toEqual({ symmetric: true, positiveDefinite: true });
    expect(sumOperators(d, identityOperator(2)).traits?.positiveDefinite).toBe(true);
    expect(scaleOperator(-1, d).traits?.positiveDefinite).toBe(false);
  });
  it('composeOperators rejects mismatched shapes, naming both sizes', () => {
    const A = identityOperator(3);
    const B = identityOperator(2);
    expectArgminError(
      () => composeOperators(A, B),
      'composeOperators: A has 3 columns but B has 2 rows; A ∘ B needs them equal.',
    );
  });
  it('sumOperators rejects operators of different shapes with InvalidArgumentError', () => {
    let error: unknown;
    try {
      sumOperators(identityOperator(2), identityOperator(3));
    } catch (caught) {
      error = caught;
    }
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('sumOperators: operator 1 is 3 x 3 but operator 0 is 2 x 2.');
  });
  it('adjointOperator (the deprecated name of transposeOperator) needs a transpose', () => {
    const op = operatorFromFunction({ rows: 1, cols: 1, apply: (x, out) => out.set(x) ?? out });
    expect(adjointOperator).toBe(transposeOperator);
    expectArgminError(() => adjointOperator(op), /has no applyTranspose/);
  });
});

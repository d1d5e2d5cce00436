import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/argmin-error';
import { csrFromDense } from '../linalg/csr-matrix';
import type { DenseMatrix } from '../linalg/dense-matrix';
import { expectArgminError } from '../linalg/expect-argmin-error';
import { dot } from '../linalg/level1';
import type { Operator } from '../spec/operator';
import {
  adjointOperator,
  composeOperators,
  csrOperator,
  denseOperator,
  diagonalOperator,
  identityOperator,
  operatorFromFunction,
  operatorToDense,
  scaleOperator,
  sumOperators,
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
  const aty = op.applyAdjoint!(y, new Float64Array(op.cols));
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
    'adjointOperator',
    fc.tuple(dims, dims).chain(([m, n]) =>
      fc.record({
        op: matrix(m, n).map((A) => adjointOperator(denseOperator(A))),
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
    applyAdjoint: (y, out) => {
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
    'a nested expression: adjoint(compose(sum(scale(a, D), D), diagonal))',
    fc.tuple(dims, finite).chain(([n, a]) =>
      fc.record({
        op: vector(n + 1).map((d) =>
          adjointOperator(
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

describe('operator adjoints: <Ax, y> = <x, Aᵀy> (fast-check, seed 42)', () => {
  for (const [name, arbitrary] of cases) {
    it(name, () => {
      fc.assert(
        fc.property(arbitrary, ({ op, x, y }) => expectAdjoint(op, x, y)),
        { seed: 42, numRuns: 60 },
      );
    });
  }
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
  it('adjointOperator needs applyAdjoint', () => {
    const op = operatorFromFunction({ rows: 1, cols: 1, apply: (x, out) => out.set(x) ?? out });
    expectArgminError(() => adjointOperator(op), /has no applyAdjoint/);
  });
});

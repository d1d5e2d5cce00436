import {
  type DenseMatrix,
  type MatrixLike,
  toDenseMatrix,
  toVec,
  type VecLike,
} from '../linalg/dense-matrix';
import { gemv } from '../linalg/gemv';
import { dot } from '../linalg/level1';
import { assertAllocation } from '../resources/budget';
import type { Rng } from '../rng/rng';
import type { Oracle } from '../spec/oracle';
import type { Vec } from '../spec/vec';
import {
  assertFinite,
  assertInteger,
  assertLength,
  assertPositive,
  invalidArgument,
} from '../validate/validate';
import { pointGuard } from './guard';

/** A quadratic f(x) = ½ xᵀAx − bᵀx with its matrix, right-hand side and minimizer (when known). */
export interface QuadraticProblem extends Oracle<'value' | 'grad' | 'hvp'> {
  readonly matrix: DenseMatrix;
  readonly rhs: Vec;
}

/**
 * f(x) = ½ xᵀAx − bᵀx for a symmetric A (row-major); grad = Ax − b, hvp = Av. `A` may be a
 * DenseMatrix (shared), number[][] or { rows, cols, data } (copied once), `b` a Float64Array
 * (shared) or number[] (copied once). Oracle methods refuse vectors of the wrong length.
 */
export function quadratic(matrix: MatrixLike, rhs: VecLike): QuadraticProblem {
  const A = toDenseMatrix(matrix, 'quadratic', 'A');
  const b = toVec(rhs, 'quadratic', 'b');
  assertFinite('quadratic', 'A', A.data);
  assertFinite('quadratic', 'b', b);
  if (A.rows !== A.cols) invalidArgument('quadratic', 'A', [A.rows, A.cols], 'A must be square');
  assertLength('quadratic', 'b', b, A.rows, 'the size of A');
  const n = A.rows;
  const guard = pointGuard('quadratic', n);
  const scratch = new Float64Array(n);
  const grad = (x: Vec, out: Vec): Vec => {
    guard.point('grad', 'x', x);
    guard.out('grad', out);
    gemv(A, x, out);
    for (let i = 0; i < n; i++) out[i] -= b[i];
    return out;
  };
  const value = (x: Vec): number => {
    guard.point('value', 'x', x);
    gemv(A, x, scratch);
    return 0.5 * dot(x, scratch) - dot(b, x);
  };
  return {
    dimension: n,
    matrix: A,
    rhs: b,
    value,
    grad,
    valueAndGrad(x, out) {
      guard.point('valueAndGrad', 'x', x);
      guard.out('valueAndGrad', out);
      gemv(A, x, out);
      const f = 0.5 * dot(x, out) - dot(b, x);
      for (let i = 0; i < n; i++) out[i] -= b[i];
      return f;
    },
    hvp(x, v, out) {
      guard.point('hvp', 'x', x);
      guard.point('hvp', 'v', v);
      guard.out('hvp', out);
      return gemv(A, v, out);
    },
  };
}

/**
 * A random SPD quadratic with eigenvalues log-spaced in [1, conditionNumber] and a random orthogonal
 * eigenbasis (product of Householder reflections drawn from `rng`); b drawn standard normal.
 */
export function randomQuadratic(dimension: number, conditionNumber: number, rng: Rng): QuadraticProblem {
  assertInteger('randomQuadratic', 'dimension', dimension, 1);
  assertPositive('randomQuadratic', 'conditionNumber', conditionNumber);
  if (conditionNumber < 1)
    invalidArgument('randomQuadratic', 'conditionNumber', conditionNumber, '`conditionNumber` must be >= 1');
  const n = dimension;
  assertAllocation('randomQuadratic', `two ${n} x ${n} matrices`, 2 * n * n);
  // Q = H_1 H_2 H_3 with random Householder vectors; A = Q diag(λ) Qᵀ.
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Q[i * n + i] = 1;
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  for (let r = 0; r < 3; r++) {
    rng.fillNormal(v);
    const norm = Math.sqrt(dot(v, v)) || 1;
    for (let i = 0; i < n; i++) v[i] /= norm;
    // Q ← Q (I − 2 v vᵀ)
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Q[i * n + j] * v[j];
      w[i] = s;
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Q[i * n + j] -= 2 * w[i] * v[j];
  }
  const data = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const lambda = n === 1 ? 1 : conditionNumber ** (k / (n - 1));
    for (let i = 0; i < n; i++) {
      const qik = Q[i * n + k] * lambda;
      for (let j = 0; j < n; j++) data[i * n + j] += qik * Q[j * n + k];
    }
  }
  // Symmetrize exactly.
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = 0.5 * (data[i * n + j] + data[j * n + i]);
      data[i * n + j] = s;
      data[j * n + i] = s;
    }
  }
  const b = rng.fillNormal(new Float64Array(n));
  return quadratic({ rows: n, cols: n, data }, b);
}

import type { DenseMatrix } from '../linalg/dense-matrix';
import { gemv } from '../linalg/gemv';
import { dot } from '../linalg/level1';
import type { Rng } from '../rng/rng';
import type { Oracle } from '../spec/oracle';
import type { Vec } from '../spec/vec';
import { assertInteger, assertLength, assertPositive, invalidArgument } from '../validate/validate';

/** A quadratic f(x) = ½ xᵀAx − bᵀx with its matrix, right-hand side and minimizer (when known). */
export interface QuadraticProblem extends Oracle<'value' | 'grad' | 'hvp'> {
  readonly matrix: DenseMatrix;
  readonly rhs: Vec;
}

/** f(x) = ½ xᵀAx − bᵀx for a symmetric A (row-major); grad = Ax − b, hvp = Av. */
export function quadratic(A: DenseMatrix, b: Vec): QuadraticProblem {
  if (A.rows !== A.cols) invalidArgument('quadratic', 'A', [A.rows, A.cols], 'A must be square');
  assertLength('quadratic', 'b', b, A.rows, 'the size of A');
  const n = A.rows;
  const scratch = new Float64Array(n);
  const grad = (x: Vec, out: Vec): Vec => {
    gemv(A, x, out);
    for (let i = 0; i < n; i++) out[i] -= b[i];
    return out;
  };
  const value = (x: Vec): number => {
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
      gemv(A, x, out);
      const f = 0.5 * dot(x, out) - dot(b, x);
      for (let i = 0; i < n; i++) out[i] -= b[i];
      return f;
    },
    hvp: (_x, v, out) => gemv(A, v, out),
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

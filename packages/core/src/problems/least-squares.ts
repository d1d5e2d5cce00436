import type { DenseMatrix } from '../linalg/dense-matrix';
import { gemv, gemvTransposed } from '../linalg/gemv';
import { drawWithReplacement } from '../oracles/batch';
import type { Rng } from '../rng/rng';
import type { Batch, Oracle } from '../spec/oracle';
import type { Vec } from '../spec/vec';
import { assertFinite, assertInteger, assertLength, assertPositive } from '../validate/validate';

/** Least squares as a finite sum: f(x) = (1/2m) ‖Ax − b‖² = (1/m) Σ_i ½ (a_iᵀx − b_i)². */
export interface LeastSquaresProblem
  extends Oracle<
    | 'value'
    | 'grad'
    | 'hvp'
    | 'componentGrad'
    | 'sampleGrad'
    | 'drawBatch'
    | 'batchValue'
    | 'batchGrad'
    | 'batchHvp'
  > {
  readonly matrix: DenseMatrix;
  readonly rhs: Vec;
}

export function leastSquares(
  A: DenseMatrix,
  b: Vec,
  { batchSize = 1 }: { batchSize?: number } = {},
): LeastSquaresProblem {
  assertLength('leastSquares', 'b', b, A.rows, 'the number of rows of A');
  assertFinite('leastSquares', 'A', A.data);
  assertFinite('leastSquares', 'b', b);
  assertInteger('leastSquares', 'batchSize', batchSize, 1, A.rows);
  const m = A.rows;
  const n = A.cols;
  const residual = new Float64Array(m);
  const product = new Float64Array(m);
  const residualOf = (x: Vec): Vec => {
    gemv(A, x, residual);
    for (let i = 0; i < m; i++) residual[i] -= b[i];
    return residual;
  };
  const value = (x: Vec): number => {
    const r = residualOf(x);
    let s = 0;
    for (let i = 0; i < m; i++) s += r[i] * r[i];
    return s / (2 * m);
  };
  const grad = (x: Vec, out: Vec): Vec => gemvTransposed(A, residualOf(x), out, 1 / m);
  const rowResidual = (i: number, x: Vec): number => {
    let s = -b[i];
    for (let j = 0; j < n; j++) s += A.data[i * n + j] * x[j];
    return s;
  };
  const batchGradient = (indices: Int32Array, x: Vec, out: Vec): Vec => {
    out.fill(0, 0, n);
    const size = indices.length;
    for (let k = 0; k < size; k++) {
      const i = indices[k];
      const r = rowResidual(i, x) / size;
      for (let j = 0; j < n; j++) out[j] += r * A.data[i * n + j];
    }
    return out;
  };
  return {
    dimension: n,
    components: m,
    batchSize,
    matrix: A,
    rhs: b,
    value,
    grad,
    valueAndGrad(x, out) {
      const f = value(x);
      gemvTransposed(A, residual, out, 1 / m);
      return f;
    },
    hvp(_x, v, out) {
      gemv(A, v, product);
      return gemvTransposed(A, product, out, 1 / m);
    },
    componentValue: (i, x) => 0.5 * rowResidual(i, x) ** 2,
    componentGrad(i, x, out) {
      const r = rowResidual(i, x);
      for (let j = 0; j < n; j++) out[j] = r * A.data[i * n + j];
      return out;
    },
    drawBatch: (rng: Rng, size = batchSize) => drawWithReplacement(rng, m, size),
    batchValue(batch: Batch, x: Vec) {
      const { indices } = batch;
      let s = 0;
      for (let k = 0; k < indices.length; k++) s += rowResidual(indices[k], x) ** 2;
      return s / (2 * indices.length);
    },
    batchGrad(batch: Batch, x: Vec, out: Vec) {
      return batchGradient(batch.indices, x, out);
    },
    batchHvp(batch: Batch, _x: Vec, v: Vec, out: Vec) {
      const { indices } = batch;
      out.fill(0, 0, n);
      for (let k = 0; k < indices.length; k++) {
        const i = indices[k];
        let s = 0;
        for (let j = 0; j < n; j++) s += A.data[i * n + j] * v[j];
        s /= indices.length;
        for (let j = 0; j < n; j++) out[j] += s * A.data[i * n + j];
      }
      return out;
    },
    sampleGrad(x: Vec, rng: Rng, out: Vec) {
      return batchGradient(drawWithReplacement(rng, m, batchSize).indices, x, out);
    },
  };
}

/** A random least-squares instance: A standard normal (rows x cols), b = A x* + noise·N(0, 1). */
export function randomLeastSquares(
  rows: number,
  cols: number,
  noise: number,
  rng: Rng,
): LeastSquaresProblem & { readonly planted: Vec } {
  assertInteger('randomLeastSquares', 'rows', rows, 1);
  assertInteger('randomLeastSquares', 'cols', cols, 1);
  assertPositive('randomLeastSquares', 'noise', noise, true);
  const A = { rows, cols, data: rng.fillNormal(new Float64Array(rows * cols)) };
  const planted = rng.fillNormal(new Float64Array(cols));
  const b = gemv(A, planted, new Float64Array(rows));
  for (let i = 0; i < rows; i++) b[i] += noise * rng.normal();
  return Object.assign(leastSquares(A, b), { planted });
}

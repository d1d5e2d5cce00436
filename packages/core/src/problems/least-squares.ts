import {
  type DenseMatrix,
  type MatrixLike,
  toDenseMatrix,
  toVec,
  type VecLike,
} from '../linalg/dense-matrix';
import { gemv, gemvTransposed } from '../linalg/gemv';
import { drawWithReplacement } from '../oracles/batch';
import { assertAllocation } from '../resources/budget';
import type { Rng } from '../rng/rng';
import type { VectorMap } from '../spec/derivatives';
import type { Batch, Oracle } from '../spec/oracle';
import type { Vec } from '../spec/vec';
import { assertFinite, assertInteger, assertLength, assertPositive } from '../validate/validate';
import { pointGuard } from './guard';

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
  /**
   * The residual map r(x) = Ax − b (R^n → R^m, unscaled) with jvp = A v and vjp = Aᵀ w, so that
   * f(x) = ‖r(x)‖² / 2m; `jacobianOperator(problem.residual, x)` is A as an Operator (Gauss-Newton,
   * LSQR).
   */
  readonly residual: VectorMap<'jvp' | 'vjp'>;
}

/**
 * Least squares (1/2m)‖Ax − b‖² as a finite sum. `A` may be a DenseMatrix (shared), number[][] or
 * { rows, cols, data } (copied once); `b` a Float64Array (shared) or number[] (copied once). Every
 * oracle method checks the length of its vectors (and the indices of a batch) and throws
 * InvalidArgumentError on a mismatch, instead of returning NaN.
 */
export function leastSquares(
  matrix: MatrixLike,
  rhs: VecLike,
  { batchSize = 1 }: { batchSize?: number } = {},
): LeastSquaresProblem {
  const A = toDenseMatrix(matrix, 'leastSquares', 'A');
  const b = toVec(rhs, 'leastSquares', 'b');
  assertLength('leastSquares', 'b', b, A.rows, 'the number of rows of A');
  assertFinite('leastSquares', 'A', A.data);
  assertFinite('leastSquares', 'b', b);
  assertInteger('leastSquares', 'batchSize', batchSize, 1, A.rows);
  const m = A.rows;
  const n = A.cols;
  const guard = pointGuard('leastSquares', n, m);
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
    residual: {
      inputDimension: n,
      outputDimension: m,
      evaluate(x, out) {
        guard.point('residual.evaluate', 'x', x);
        gemv(A, x, out);
        for (let i = 0; i < m; i++) out[i] -= b[i];
        return out;
      },
      jvp(x, v, out) {
        guard.point('residual.jvp', 'x', x);
        guard.point('residual.jvp', 'v', v);
        return gemv(A, v, out);
      },
      vjp(x, w, out) {
        guard.point('residual.vjp', 'x', x);
        return gemvTransposed(A, w, out);
      },
    },
    value(x) {
      guard.point('value', 'x', x);
      return value(x);
    },
    grad(x, out) {
      guard.point('grad', 'x', x);
      guard.out('grad', out);
      return grad(x, out);
    },
    valueAndGrad(x, out) {
      guard.point('valueAndGrad', 'x', x);
      guard.out('valueAndGrad', out);
      const f = value(x);
      gemvTransposed(A, residual, out, 1 / m);
      return f;
    },
    hvp(x, v, out) {
      guard.point('hvp', 'x', x);
      guard.point('hvp', 'v', v);
      guard.out('hvp', out);
      gemv(A, v, product);
      return gemvTransposed(A, product, out, 1 / m);
    },
    componentValue(i, x) {
      guard.component('componentValue', i);
      guard.point('componentValue', 'x', x);
      return 0.5 * rowResidual(i, x) ** 2;
    },
    componentGrad(i, x, out) {
      guard.component('componentGrad', i);
      guard.point('componentGrad', 'x', x);
      guard.out('componentGrad', out);
      const r = rowResidual(i, x);
      for (let j = 0; j < n; j++) out[j] = r * A.data[i * n + j];
      return out;
    },
    drawBatch: (rng: Rng, size = batchSize) => drawWithReplacement(rng, m, size),
    batchValue(batch: Batch, x: Vec) {
      guard.batch('batchValue', batch);
      guard.point('batchValue', 'x', x);
      const { indices } = batch;
      let s = 0;
      for (let k = 0; k < indices.length; k++) s += rowResidual(indices[k], x) ** 2;
      return s / (2 * indices.length);
    },
    batchGrad(batch: Batch, x: Vec, out: Vec) {
      guard.batch('batchGrad', batch);
      guard.point('batchGrad', 'x', x);
      guard.out('batchGrad', out);
      return batchGradient(batch.indices, x, out);
    },
    batchHvp(batch: Batch, x: Vec, v: Vec, out: Vec) {
      guard.batch('batchHvp', batch);
      guard.point('batchHvp', 'x', x);
      guard.point('batchHvp', 'v', v);
      guard.out('batchHvp', out);
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
      guard.point('sampleGrad', 'x', x);
      guard.out('sampleGrad', out);
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
  assertAllocation('randomLeastSquares', `a ${rows} x ${cols} matrix`, rows * cols);
  const A = { rows, cols, data: rng.fillNormal(new Float64Array(rows * cols)) };
  const planted = rng.fillNormal(new Float64Array(cols));
  const b = gemv(A, planted, new Float64Array(rows));
  for (let i = 0; i < rows; i++) b[i] += noise * rng.normal();
  return Object.assign(leastSquares(A, b), { planted });
}

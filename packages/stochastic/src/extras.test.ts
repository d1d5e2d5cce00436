import { chain, checkGradient, checkHvp, createRng, scaleByLearningRate } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { injectHyperparams } from './inject';
import { mfacApply, mfacFromGradients, mfacState, mfacUpdate } from './mfac';
import { multinomialLogisticRegression } from './multinomial';
import { linearSchedule } from './schedules';
import { scaleByAdahessian, scaleByAdam } from './transforms';

describe('injectHyperparams', () => {
  it('schedules a numeric option and records the values used; constant values equal the plain chain', () => {
    const transform = injectHyperparams((h) => chain(scaleByAdam(), scaleByLearningRate(h.learningRate)), {
      learningRate: linearSchedule(1, 0, 4),
    });
    const plain = chain(scaleByAdam(), scaleByLearningRate(1));
    const x = Float64Array.of(1, 2);
    let state = transform.init(x);
    let plainState = plain.init(x);
    const context = { rng: createRng(0), iteration: 0, oracle: {} as never };
    const first = transform.update(Float64Array.of(0.5, -1), state, x, context);
    const reference = plain.update(Float64Array.of(0.5, -1), plainState, x, context);
    expect(Array.from(first.updates)).toEqual(Array.from(reference.updates));
    state = first.state;
    plainState = reference.state;
    const second = transform.update(Float64Array.of(0.5, -1), state, x, context);
    expect(second.state.hyperparams.learningRate).toBe(0.75);
    const plainSecond = plain.update(Float64Array.of(0.5, -1), plainState, x, context);
    expect(second.updates[0]).toBeCloseTo(0.75 * plainSecond.updates[0], 15);
  });
});

describe('M-FAC static algorithm', () => {
  it('equals the dynamic one fed the same gradients', () => {
    const rng = createRng(8);
    const d = 15;
    const m = 5;
    const G = { rows: m, cols: d, data: rng.fillNormal(new Float64Array(m * d)) };
    let dynamic = mfacState(d, { window: m, damping: 1e-2 });
    for (let i = 0; i < m; i++) dynamic = mfacUpdate(dynamic, G.data.slice(i * d, (i + 1) * d));
    const fixed = mfacFromGradients(G, { damping: 1e-2 });
    const v = rng.fillNormal(new Float64Array(d));
    const a = mfacApply(dynamic, v, new Float64Array(d));
    const b = mfacApply(fixed, v, new Float64Array(d));
    for (let i = 0; i < d; i++) expect(b[i]).toBeCloseTo(a[i], 9);
  });
});

describe('multinomial logistic regression', () => {
  const rng = createRng(5);
  const X = { rows: 30, cols: 4, data: rng.fillNormal(new Float64Array(120)) };
  const labels = Float64Array.from({ length: 30 }, () => rng.integer(3));
  const oracle = multinomialLogisticRegression(X, labels, 3, { l2: 0.1, batchSize: 8 });
  const W = rng.fillNormal(new Float64Array(12));
  it('gradient and Hessian-vector product match finite differences', () => {
    expect(checkGradient(oracle, W, { stencil: 'five-point', floor: 1e-3 }).maxRelativeError).toBeLessThan(
      1e-8,
    );
    expect(
      checkHvp(oracle, W, rng.fillNormal(new Float64Array(12)), { stencil: 'five-point', floor: 1e-3 })
        .maxRelativeError,
    ).toBeLessThan(1e-8);
  });
  it('component gradients average to the gradient (l2 included in each)', () => {
    const mean = new Float64Array(12);
    const g = new Float64Array(12);
    for (let i = 0; i < 30; i++) {
      oracle.componentGrad(i, W, g);
      for (let p = 0; p < 12; p++) mean[p] += g[p] / 30;
    }
    const full = oracle.grad(W, new Float64Array(12));
    for (let p = 0; p < 12; p++) expect(mean[p]).toBeCloseTo(full[p], 12);
  });
  it('rejects labels out of range', () => {
    expect(() =>
      multinomialLogisticRegression(
        X,
        Float64Array.from(labels, (l) => l + 1),
        3,
      ),
    ).toThrowError(/labels must be integers in \[0, 2\]/);
  });
});

describe('AdaHessian spatial averaging by tensor shape (reference "instruction" rules)', () => {
  // Hessian diag(1..10): |z ⊙ Hz| = h exactly, so after one step ν = (1 − β₂)D² and D is visible.
  const h = Float64Array.from({ length: 10 }, (_, i) => i + 1);
  const oracle = {
    dimension: 10,
    hvp: (_x: Float64Array, v: Float64Array, out: Float64Array) => {
      for (let i = 0; i < 10; i++) out[i] = h[i] * v[i];
      return out;
    },
  };
  const averaged = (shapes: number[][], blockSize = -1) => {
    const t = scaleByAdahessian({ shapes, blockSize });
    const x = new Float64Array(10);
    const { state } = t.update(new Float64Array(10).fill(1), t.init(x), x, {
      rng: createRng(0),
      iteration: 0,
      oracle: oracle as never,
    });
    return Array.from(state.nu, (v) => Math.round(Math.sqrt(v / (1 - 0.999)) * 1e12) / 1e12);
  };
  it('2-D [2, 3] at −1 averages each row; 1-D at −1 keeps entries; 4-D [1, 1, 2, 2] averages the kernel', () => {
    expect(averaged([[2, 3], [4]])).toEqual([2, 2, 2, 5, 5, 5, 7, 8, 9, 10]);
    expect(averaged([[4], [1, 1, 2, 2], [2]])).toEqual([1, 2, 3, 4, 6.5, 6.5, 6.5, 6.5, 9, 10]);
  });
  it('3-D [1, 2, 5] averages the last axis; 2-D with blockSize 2 averages pairs', () => {
    expect(averaged([[1, 2, 5]])).toEqual([3, 3, 3, 3, 3, 8, 8, 8, 8, 8]);
    expect(averaged([[2, 5]], 2)).toEqual([1.5, 1.5, 3.5, 3.5, 5.5, 5.5, 7.5, 7.5, 9.5, 9.5]);
  });
  it('shapes that do not cover the parameters are a named error', () => {
    expect(() => scaleByAdahessian({ shapes: [[3]] }).init(new Float64Array(10))).toThrowError(
      /cover the 10 parameters/,
    );
  });
});

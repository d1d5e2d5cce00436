import { chain, checkGradient, checkHvp, createRng, scaleByLearningRate } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { injectHyperparams } from './inject';
import { mfacApply, mfacFromGradients, mfacState, mfacUpdate } from './mfac';
import { multinomialLogisticRegression } from './multinomial';
import { linearSchedule } from './schedules';
import { scaleByAdam } from './transforms';

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

import { createRng, maxIterations, solve } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { batchPerceptron, largeStepGradientDescent, logisticLoss, separableData } from './large-step';

const data = separableData(300, 10, { rng: createRng(2) });
const loss = logisticLoss(data);
const x0 = new Float64Array(data.features.cols);

describe('LR+GD with large steps', () => {
  it('x_t/γ follows the batch perceptron p_t for γ = 1e8 (relative error < 1e-6, t <= 20)', () => {
    const gamma = 1e8;
    let x = x0.slice();
    let p = x0.slice();
    const gd = largeStepGradientDescent({ stepSize: gamma });
    const perceptron = batchPerceptron(data);
    const context = { rng: createRng(0), warn: () => undefined };
    let sx = gd.init(x, loss, context);
    let sp = perceptron.init(p, loss, context);
    for (let t = 0; t < 20; t++) {
      const a = gd.step(x, sx, loss, context);
      const b = perceptron.step(p, sp, loss, context);
      x = a.x.slice();
      sx = a.state;
      p = b.x.slice();
      sp = b.state;
      let diff = 0;
      let norm = 0;
      for (let j = 0; j < p.length; j++) {
        diff += (x[j] / gamma - p[j]) ** 2;
        norm += p[j] ** 2;
      }
      expect(Math.sqrt(diff / norm)).toBeLessThan(1e-6);
    }
  });
  it('the first perceptron step from 0 is ½·mean(y_i a_i)', () => {
    const step = batchPerceptron(data).step(
      x0,
      { gradient: new Float64Array(x0.length), next: new Float64Array(x0.length) },
      loss,
      { rng: createRng(0), warn: () => undefined },
    );
    const expected = new Float64Array(x0.length);
    const { features: A, labels: y } = data;
    for (let i = 0; i < A.rows; i++)
      for (let j = 0; j < A.cols; j++) expected[j] += (0.5 * y[i] * A.data[i * A.cols + j]) / A.rows;
    for (let j = 0; j < x0.length; j++) expect(step.x[j]).toBeCloseTo(expected[j], 14);
  });
  it('stays finite at γ = 1e4 (stable softplus and sigmoid)', () => {
    const result = solve(largeStepGradientDescent({ stepSize: 1e4 }), loss, x0, {
      stopWhen: maxIterations(30),
    });
    expect(result.status).toBe('max-iterations');
    expect(Number.isFinite(result.info.value)).toBe(true);
  });
  it('normalized LR+GD separates the data', () => {
    const result = solve(largeStepGradientDescent({ stepSize: 0.3, normalized: true }), loss, x0, {
      stopWhen: maxIterations(3000),
    });
    expect(loss.misclassified(result.x)).toBe(0);
  });
  it('rejects a nonpositive step size', () => {
    expect(() => largeStepGradientDescent({ stepSize: 0 })).toThrowError(
      /step size γ must be > 0|`stepSize` γ must be > 0/,
    );
  });
});

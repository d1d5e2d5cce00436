import { checkGradient, checkHvp, createRng, type Oracle, type Vec } from '@argmin/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { multinomialLogisticRegression } from './multinomial';
import {
  clusteredData,
  lasso,
  noisyQuadratic,
  scaledLogisticRegression,
  stochasticProblems,
} from './problems';

const derivativeChecks = (oracle: Oracle<'value' | 'grad' | 'hvp'>, seed: number) => {
  const rng = createRng(seed);
  const x = rng.fillNormal(new Float64Array(oracle.dimension), 0, 0.3);
  const v = rng.fillNormal(new Float64Array(oracle.dimension));
  expect(checkGradient(oracle, x, { stencil: 'five-point', floor: 1e-3 }).maxRelativeError).toBeLessThan(
    1e-6,
  );
  expect(checkHvp(oracle, x, v, { stencil: 'five-point', floor: 1e-3 }).maxRelativeError).toBeLessThan(1e-6);
};

/** Mean of `draws` minibatch gradients. */
const meanSampleGrad = (oracle: Oracle<'sampleGrad'>, x: Vec, draws: number, seed: number) => {
  const rng = createRng(seed);
  const g = new Float64Array(x.length);
  const mean = new Float64Array(x.length);
  for (let k = 0; k < draws; k++) {
    oracle.sampleGrad(x, rng, g);
    for (let j = 0; j < x.length; j++) mean[j] += g[j] / draws;
  }
  return mean;
};

describe('stochastic problem suite', () => {
  it('every problem plugin builds an instance whose gradient and HVP match finite differences', () => {
    for (const [k, plugin] of stochasticProblems.entries()) {
      const options = plugin.options.parse({}) as never;
      const { problem, x0 } = plugin.create(options, createRng(k));
      const oracle = problem as unknown as Oracle<'value' | 'grad' | 'hvp'>;
      expect(x0.length).toBe(oracle.dimension);
      derivativeChecks(oracle, 10 + k);
    }
  });
  it('problem plugins reject unknown options (strict schemas)', () => {
    for (const plugin of stochasticProblems)
      expect(plugin.options.safeParse({ dimensoin: 3 }).success).toBe(false);
  });
  it('the same seed gives the same instance bit for bit; another seed a different one', () => {
    const make = (seed: number) =>
      scaledLogisticRegression({
        samples: 50,
        dimension: 4,
        scaleLow: 0.1,
        scaleHigh: 10,
        rng: createRng(seed),
      });
    expect(Array.from(make(1).features.data)).toEqual(Array.from(make(1).features.data));
    expect(Array.from(make(1).labels)).toEqual(Array.from(make(1).labels));
    expect(make(2).features.data[0]).not.toBe(make(1).features.data[0]);
  });
  it('separable logistic data is separated by the planted vector; non-separable data is not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
        const separable = scaledLogisticRegression({
          samples: 200,
          dimension: 5,
          separable: true,
          rng: createRng(seed),
        });
        const noisy = scaledLogisticRegression({ samples: 200, dimension: 5, rng: createRng(seed) });
        const errors = (p: typeof separable) => {
          let count = 0;
          for (let i = 0; i < 200; i++) {
            let s = 0;
            for (let j = 0; j < 5; j++) s += p.features.data[i * 5 + j] * p.planted[j];
            if ((s > 0 ? 1 : 0) !== p.labels[i]) count++;
          }
          return count;
        };
        expect(errors(separable)).toBe(0);
        expect(errors(noisy)).toBeGreaterThan(0);
      }),
      { seed: 42, numRuns: 20 },
    );
  });
  it('feature scales are log-spaced: the last column is about scaleHigh/scaleLow times the first', () => {
    const p = scaledLogisticRegression({
      samples: 2000,
      dimension: 3,
      scaleLow: 0.1,
      scaleHigh: 10,
      rng: createRng(3),
    });
    const rms = (j: number) =>
      Math.sqrt(p.features.data.filter((_, q) => q % 3 === j).reduce((s, v) => s + v * v, 0) / 2000);
    expect(rms(2) / rms(0)).toBeGreaterThan(70);
    expect(rms(2) / rms(0)).toBeLessThan(140);
  });
  it('noisy quadratic: minibatch gradients are unbiased (mean of 4000 draws within 5 standard errors)', () => {
    const q = noisyQuadratic({
      dimension: 6,
      conditionNumber: 100,
      noise: 0.5,
      rotated: true,
      rng: createRng(4),
    });
    const x = createRng(5).fillNormal(new Float64Array(6));
    const mean = meanSampleGrad(q, x, 4000, 6);
    const g = q.grad(x, new Float64Array(6));
    for (let j = 0; j < 6; j++) expect(Math.abs(mean[j] - g[j])).toBeLessThan((5 * 0.5) / Math.sqrt(4000));
    expect(q.value(q.minimizer)).toBeCloseTo(0, 14);
  });
  it('noisy quadratic: the rotated Hessian has the prescribed eigenvalues (trace and Frobenius norm)', () => {
    const q = noisyQuadratic({
      dimension: 5,
      conditionNumber: 1e3,
      largest: 2,
      rotated: true,
      rng: createRng(7),
    });
    const e = new Float64Array(5);
    const column = new Float64Array(5);
    let trace = 0;
    let frobenius = 0;
    for (let i = 0; i < 5; i++) {
      e.fill(0);
      e[i] = 1;
      q.hvp(e, e, column);
      trace += column[i];
      for (const c of column) frobenius += c * c;
    }
    expect(trace).toBeCloseTo(
      q.eigenvalues.reduce((s, h) => s + h, 0),
      12,
    );
    expect(frobenius).toBeCloseTo(
      q.eigenvalues.reduce((s, h) => s + h * h, 0),
      12,
    );
    expect(q.eigenvalues[0]).toBeCloseTo(2e-3, 15);
  });
  it('least-squares and logistic minibatch gradients average to the full gradient', () => {
    const problem = lasso({
      samples: 40,
      dimension: 5,
      sparsity: 2,
      regularization: 0.1,
      batchSize: 4,
      rng: createRng(8),
    });
    const x = createRng(9).fillNormal(new Float64Array(5));
    const full = problem.grad(x, new Float64Array(5));
    const mean = new Float64Array(5);
    const g = new Float64Array(5);
    for (let i = 0; i < 40; i++) {
      problem.componentGrad(i, x, g);
      for (let j = 0; j < 5; j++) mean[j] += g[j] / 40;
    }
    for (let j = 0; j < 5; j++) expect(mean[j]).toBeCloseTo(full[j], 12);
  });
  it('lasso: the planted solution has the requested sparsity, and F = f + λ‖x‖₁', () => {
    const problem = lasso({
      samples: 100,
      dimension: 20,
      sparsity: 3,
      regularization: 0.5,
      rng: createRng(10),
    });
    expect(problem.planted.filter((v) => v !== 0).length).toBe(3);
    const x = Float64Array.of(...Array.from({ length: 20 }, (_, j) => (j % 2 ? 1 : -2)));
    expect(problem.compositeValue(x)).toBeCloseTo(problem.value(x) + 0.5 * 30, 12);
    const shrunk = problem.prox(Float64Array.of(1, -0.2), 1, new Float64Array(2));
    expect(Array.from(shrunk)).toEqual([0.5, -0]);
  });
  it('multinomial on clustered data: derivative checks and labels in range', () => {
    const data = clusteredData({ samples: 60, dimension: 3, classes: 4, rng: createRng(11) });
    expect(data.labels.every((c) => Number.isInteger(c) && c >= 0 && c < 4)).toBe(true);
    derivativeChecks(multinomialLogisticRegression(data.features, data.labels, 4, { l2: 0.01 }), 12);
  });
  it('bad sizes are named errors', () => {
    expect(() => noisyQuadratic({ dimension: 3, conditionNumber: 0.5, rng: createRng(0) })).toThrowError(
      /conditionNumber/,
    );
    expect(() =>
      lasso({ samples: 10, dimension: 3, sparsity: 4, regularization: 0.1, rng: createRng(0) }),
    ).toThrowError(/sparsity/);
    expect(() => clusteredData({ samples: 10, dimension: 3, classes: 1, rng: createRng(0) })).toThrowError(
      /classes/,
    );
  });
});

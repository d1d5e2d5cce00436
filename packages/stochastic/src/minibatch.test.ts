import { ArgminError, batchOf, createRng, type Oracle, type Vec } from '@argmin/core';
import { describeMinibatchConformance } from '@argmin/core/testing';
import { describe, expect, it } from 'vitest';
import { multinomialLogisticRegression } from './multinomial';
import {
  clusteredData,
  lasso,
  noisyQuadratic,
  scaledLogisticRegression,
  stochasticProblems,
} from './problems';

type MinibatchOracle = Oracle<
  'value' | 'grad' | 'hvp' | 'sampleGrad' | 'drawBatch' | 'batchValue' | 'batchGrad' | 'batchHvp'
>;

/** A batch holding every component once reproduces value, grad and hvp (up to summation order). */
function checkFullBatch(label: string, oracle: MinibatchOracle & { components?: number }) {
  it(`${label}: the batch of all indices gives value, grad and hvp`, () => {
    const d = oracle.dimension;
    const rng = createRng(5);
    const x = rng.fillUniform(new Float64Array(d), -0.5, 0.5);
    const v = rng.fillUniform(new Float64Array(d), -1, 1);
    const m = oracle.components ?? 0;
    const all = batchOf(
      Array.from({ length: m }, (_, i) => i),
      m,
    );
    const close = (a: Vec, b: Vec) => {
      let worst = 0;
      let size = 1;
      for (let i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]));
        size = Math.max(size, Math.abs(b[i]));
      }
      expect(worst).toBeLessThan(1e-12 * size);
    };
    expect(oracle.batchValue(all, x)).toBeCloseTo(oracle.value(x), 12);
    close(oracle.batchGrad(all, x, new Float64Array(d)), oracle.grad(x, new Float64Array(d)));
    close(oracle.batchHvp(all, x, v, new Float64Array(d)), oracle.hvp(x, v, new Float64Array(d)));
  });
}

const multinomial = () => {
  const data = clusteredData({ samples: 30, dimension: 3, classes: 4, rng: createRng(3) });
  return multinomialLogisticRegression(data.features, data.labels, 4, { l2: 0.05, batchSize: 6 });
};
const logistic = () =>
  scaledLogisticRegression({
    samples: 40,
    dimension: 4,
    scaleLow: 0.3,
    scaleHigh: 3,
    l2: 0.01,
    batchSize: 5,
    rng: createRng(4),
  });
const sparse = () =>
  lasso({ samples: 25, dimension: 6, sparsity: 2, regularization: 0.1, batchSize: 4, rng: createRng(5) });
const quadratic = (rotated: boolean) => () =>
  noisyQuadratic({ dimension: 6, conditionNumber: 100, noise: 0.3, rotated, rng: createRng(6) });

// Core's conformance suite: sampleGrad ≡ batchGrad(drawBatch) bit for bit, five-point differences of
// batchValue/batchGrad on the same batch, the full batch reproduces value/grad/hvp, batches are values,
// inputs not mutated.
describeMinibatchConformance('multinomial logistic regression (30 x 3, 4 classes, l2 0.05)', multinomial);
describeMinibatchConformance('scaled logistic regression (40 x 4, l2 0.01)', logistic);
describeMinibatchConformance('lasso smooth part (25 x 6)', sparse);
// The noisy quadratic is not a finite sum (a batch is a noise draw): no full-batch check.
describeMinibatchConformance('noisy quadratic, diagonal (noise 0.3)', quadratic(false), { fullBatch: null });
describeMinibatchConformance('noisy quadratic, rotated (noise 0.3)', quadratic(true), { fullBatch: null });
for (const [k, plugin] of stochasticProblems.entries())
  describeMinibatchConformance(
    `${plugin.meta.id} with its default options`,
    () => plugin.create(plugin.options.parse({}) as never, createRng(k)).problem as never,
    plugin.meta.id === 'stochastic/noisy-quadratic' ? { fullBatch: null, points: 3 } : { points: 3 },
  );

describe('full batches and noise draws', () => {
  checkFullBatch('multinomial logistic regression', multinomial());
  checkFullBatch('scaled logistic regression', logistic());
  checkFullBatch('lasso', sparse());
  it('noisy quadratic: a batch is one noise draw; batchHvp is the exact Hessian, and with noise 0 batchGrad is grad', () => {
    const oracle = quadratic(false)();
    const x = createRng(1).fillNormal(new Float64Array(6));
    const v = createRng(2).fillNormal(new Float64Array(6));
    const batch = oracle.drawBatch(createRng(3));
    expect(Array.from(batch.indices)).toEqual([0]);
    expect(Array.from(oracle.batchHvp(batch, x, v, new Float64Array(6)))).toEqual(
      Array.from(oracle.hvp(x, v, new Float64Array(6))),
    );
    const quiet = noisyQuadratic({ dimension: 6, conditionNumber: 100, rng: createRng(6) });
    expect(Array.from(quiet.batchGrad(quiet.drawBatch(createRng(3)), x, new Float64Array(6)))).toEqual(
      Array.from(quiet.grad(x, new Float64Array(6))),
    );
  });
  it('noisy quadratic: a batch of size s averages s noise draws (variance noise²/s)', () => {
    const oracle = quadratic(false)();
    const rng = createRng(11);
    let squares = 0;
    const draws = 400;
    for (let k = 0; k < draws; k++) {
      const xi = oracle.drawBatch(rng, 4).payload as Float64Array;
      for (const e of xi) squares += e * e;
    }
    // E‖ξ̄‖² = d/s = 1.5; the estimate's relative standard deviation is about 2.9%.
    expect(squares / draws).toBeGreaterThan(1.5 * 0.85);
    expect(squares / draws).toBeLessThan(1.5 * 1.15);
  });
  it('every problem plugin provides the minibatch capabilities it lists', () => {
    for (const [k, plugin] of stochasticProblems.entries()) {
      const { problem } = plugin.create(plugin.options.parse({}) as never, createRng(k));
      for (const capability of plugin.meta.provides)
        expect(typeof (problem as unknown as Record<string, unknown>)[capability], capability).toBe(
          'function',
        );
      expect(plugin.meta.provides).toEqual(expect.arrayContaining(['drawBatch', 'batchGrad', 'batchHvp']));
    }
  });
  it('a wrong parameter length, a malformed batch or an index out of range is a named error', () => {
    const oracle = multinomial();
    const batch = oracle.drawBatch(createRng(1));
    const wrong = new Float64Array(oracle.dimension - 1);
    const out = new Float64Array(oracle.dimension);
    const named = (f: () => unknown, pattern: RegExp) => {
      try {
        f();
      } catch (error) {
        expect(ArgminError.isInstance(error)).toBe(true);
        expect(String((error as Error).message)).toMatch(pattern);
        return;
      }
      throw new Error('no error thrown');
    };
    named(() => oracle.grad(wrong, out), /length classes·features = 12/);
    named(() => oracle.batchGrad(batch, wrong, out), /length/);
    named(() => oracle.batchGrad({ indices: Int32Array.of(0, 30) }, out, out), /\[0, 29\]/);
    named(() => oracle.batchValue({ indices: new Int32Array(0) }, out), /non-empty/);
    const q = quadratic(false)();
    named(() => q.grad(new Float64Array(5), new Float64Array(6)), /length 6/);
    named(
      () => q.batchGrad({ indices: new Int32Array(0) }, new Float64Array(6), new Float64Array(6)),
      /drawBatch/,
    );
  });
});

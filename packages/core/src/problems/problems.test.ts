import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGradient, checkHvp } from '../oracles/check';
import { counted } from '../oracles/counted';
import { createRng } from '../rng/rng';
import type { Oracle } from '../spec/oracle';
import { coreProblems } from './index';
import { randomLeastSquares } from './least-squares';
import { logisticRegression, randomLogisticRegression } from './logistic-regression';
import { randomQuadratic } from './quadratic';
import { rosenbrock } from './rosenbrock';

const problems: [string, () => Oracle<'value' | 'grad' | 'hvp'>][] = [
  ['Rosenbrock 2-D', () => rosenbrock(2)],
  ['Rosenbrock 7-D', () => rosenbrock(7)],
  ['random quadratic (condition 1e2)', () => randomQuadratic(6, 100, createRng(4))],
  ['least squares 30 x 5', () => randomLeastSquares(30, 5, 0.1, createRng(5))],
  [
    'logistic regression 40 x 4 with l2',
    () => randomLogisticRegression(40, 4, { l2: 0.1, rng: createRng(6) }),
  ],
];

describe('reference problems: derivatives match central finite differences to 1e-6 (relative, absolute below 1; fast-check points, seed 42)', () => {
  for (const [name, make] of problems) {
    it(`gradient of ${name}`, () => {
      const oracle = make();
      fc.assert(
        fc.property(
          fc.array(fc.double({ min: -2, max: 2, noNaN: true }), {
            minLength: oracle.dimension,
            maxLength: oracle.dimension,
          }),
          (point) => {
            const check = checkGradient(oracle, Float64Array.from(point), { tolerance: 1e-6, floor: 1 });
            expect(check.maxRelativeError, `worst index ${check.worstIndex}`).toBeLessThanOrEqual(1e-6);
          },
        ),
        { seed: 42, numRuns: 25 },
      );
    });
    it(`Hessian-vector product of ${name}, and symmetry uᵀHv = vᵀHu`, () => {
      const oracle = make();
      const n = oracle.dimension;
      const arb = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n });
      fc.assert(
        fc.property(arb, arb, arb, (point, u, v) => {
          const x = Float64Array.from(point);
          const check = checkHvp(oracle, x, Float64Array.from(v), { tolerance: 1e-6, floor: 1 });
          expect(check.maxRelativeError).toBeLessThanOrEqual(1e-6);
          const hv = oracle.hvp(x, Float64Array.from(v), new Float64Array(n));
          const hu = oracle.hvp(x, Float64Array.from(u), new Float64Array(n));
          const uHv = u.reduce((s, ui, i) => s + ui * hv[i], 0);
          const vHu = v.reduce((s, vi, i) => s + vi * hu[i], 0);
          expect(Math.abs(uHv - vHu)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(uHv)));
        }),
        { seed: 42, numRuns: 20 },
      );
    });
    it(`valueAndGrad agrees with value and grad: ${name}`, () => {
      const oracle = make();
      const x = Float64Array.from({ length: oracle.dimension }, (_, i) => 0.3 * i - 0.5);
      const g1 = new Float64Array(oracle.dimension);
      const g2 = new Float64Array(oracle.dimension);
      const f = oracle.valueAndGrad!(x, g1);
      expect(f).toBeCloseTo(oracle.value(x), 12);
      oracle.grad(x, g2);
      expect(Array.from(g1)).toEqual(Array.from(g2));
    });
  }
  it('catches a wrong gradient', () => {
    const wrong = { ...rosenbrock(2), grad: (_x: Float64Array, out: Float64Array) => out.fill(1) };
    expect(checkGradient(wrong, Float64Array.of(0.3, 0.1)).ok).toBe(false);
  });
  it('catches a wrong Hessian-vector product', () => {
    const base = rosenbrock(2);
    const wrong = {
      ...base,
      hvp: (_x: Float64Array, v: Float64Array, out: Float64Array) => ((out[0] = v[0]), (out[1] = v[1]), out),
    };
    expect(checkHvp(wrong, Float64Array.of(0.3, 0.1), Float64Array.of(1, 1)).ok).toBe(false);
  });
});

describe('finite sums', () => {
  it('least squares: the mean of component gradients is the gradient, and sampleGrad is unbiased-looking and seeded', () => {
    const oracle = randomLeastSquares(20, 3, 0.1, createRng(1));
    const x = Float64Array.of(0.2, -0.1, 0.4);
    const mean = new Float64Array(3);
    const g = new Float64Array(3);
    for (let i = 0; i < 20; i++) {
      oracle.componentGrad(i, x, g);
      for (let j = 0; j < 3; j++) mean[j] += g[j] / 20;
    }
    const full = oracle.grad(x, new Float64Array(3));
    for (let j = 0; j < 3; j++) expect(mean[j]).toBeCloseTo(full[j], 12);
    const a = oracle.sampleGrad(x, createRng(3), new Float64Array(3));
    const b = oracle.sampleGrad(x, createRng(3), new Float64Array(3));
    expect(Array.from(a)).toEqual(Array.from(b));
  });
  it('logistic regression: components average to the gradient (l2 included in each component)', () => {
    const oracle = randomLogisticRegression(15, 3, { l2: 0.5, rng: createRng(2) });
    const x = Float64Array.of(0.1, 0.2, -0.3);
    const mean = new Float64Array(3);
    const g = new Float64Array(3);
    for (let i = 0; i < 15; i++) {
      oracle.componentGrad(i, x, g);
      for (let j = 0; j < 3; j++) mean[j] += g[j] / 15;
    }
    const full = oracle.grad(x, new Float64Array(3));
    for (let j = 0; j < 3; j++) expect(mean[j]).toBeCloseTo(full[j], 12);
    let values = 0;
    for (let i = 0; i < 15; i++) values += oracle.componentValue!(i, x) / 15;
    expect(values).toBeCloseTo(oracle.value(x), 12);
  });
  it('logistic regression stays finite for huge scores (stable softplus)', () => {
    const oracle = logisticRegression({ rows: 1, cols: 1, data: Float64Array.of(1) }, Float64Array.of(0));
    expect(oracle.value(Float64Array.of(1000))).toBeCloseTo(1000, 10);
    expect(oracle.value(Float64Array.of(-1000))).toBeCloseTo(0, 10);
  });
  it('counted() counts calls and passes values through', () => {
    const oracle = counted(rosenbrock(2));
    oracle.value(Float64Array.of(0, 0));
    oracle.grad(Float64Array.of(0, 0), new Float64Array(2));
    oracle.valueAndGrad!(Float64Array.of(0, 0), new Float64Array(2));
    oracle.hvp(Float64Array.of(0, 0), Float64Array.of(1, 0), new Float64Array(2));
    expect(oracle.counts).toMatchObject({ value: 2, grad: 2, hvp: 1, valueAndGrad: 1 });
    expect(oracle.totalCalls()).toBe(4);
    expect(oracle.dimension).toBe(2);
    oracle.resetCounts();
    expect(oracle.totalCalls()).toBe(0);
  });
});

describe('reference problems: bad input', () => {
  it('rosenbrock rejects dimension 1', () => {
    expect(() => rosenbrock(1)).toThrowError('rosenbrock: `dimension` must be an integer >= 2; got 1.');
  });
  it('logistic regression rejects labels other than 0 and 1, naming the index', () => {
    expect(() =>
      logisticRegression({ rows: 2, cols: 1, data: Float64Array.of(1, 2) }, Float64Array.of(0, -1)),
    ).toThrowError(
      'logisticRegression: labels must be 0 or 1 (index 1); map ±1 labels with (y + 1) / 2; got -1.',
    );
  });
  it('logistic regression rejects NaN features and a label count mismatch', () => {
    expect(() =>
      logisticRegression({ rows: 1, cols: 1, data: Float64Array.of(Number.NaN) }, Float64Array.of(0)),
    ).toThrowError(/`X` must be finite; got NaN at index 0/);
    expect(() =>
      logisticRegression({ rows: 2, cols: 1, data: Float64Array.of(1, 2) }, Float64Array.of(0)),
    ).toThrowError(/`y` must have length 2/);
  });
  it('randomQuadratic rejects a condition number below 1', () => {
    expect(() => randomQuadratic(3, 0.5, createRng(0))).toThrowError(/`conditionNumber` must be >= 1/);
  });
  it('problem plugins create instances with their defaults', () => {
    for (const plugin of coreProblems) {
      const instance = plugin.create(plugin.options.parse({}) as never, createRng(0));
      expect(instance.x0.length).toBe((instance.problem as { dimension: number }).dimension);
    }
  });
});

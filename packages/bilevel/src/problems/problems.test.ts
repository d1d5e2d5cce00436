import { createRng, InvalidArgumentError } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { exactHypergradient, exactHyperValue, exactLowerSolution } from '../hypergradient/exact';
import type { BilevelOracle } from '../problem/bilevel-oracle';
import { checkBilevelOracle } from '../problem/check';
import { coupledConstraintToy } from './coupled-constraint-toy';
import { hyperparameterProblem, randomSplitData } from './hyperparameter';
import { multiTaskCleaning } from './multi-task-cleaning';
import { noisyBilevel } from './noisy';
import { penaltyToy } from './penalty-toy';
import { unboundedSmoothnessToy } from './unbounded-smoothness-toy';

const rng = createRng(11);
const vec = (n: number, scale = 1) => rng.fillNormal(new Float64Array(n), 0, scale);

function expectDerivativesMatch(problem: BilevelOracle, tolerance = 1e-7) {
  const x = vec(problem.dimX, 0.5);
  const y = vec(problem.dimY, 0.5);
  const check = checkBilevelOracle(problem, x, y, { rng: createRng(3) });
  for (const [name, error] of Object.entries(check)) expect(error, name).toBeLessThan(tolerance);
}

const ridge = () =>
  hyperparameterProblem(
    randomSplitData({ trainSamples: 40, validationSamples: 30, features: 5, rng: createRng(1) }),
  );
const logistic = (perFeature = true) =>
  hyperparameterProblem(
    randomSplitData({
      trainSamples: 40,
      validationSamples: 30,
      features: 4,
      loss: 'logistic',
      rng: createRng(2),
    }),
    { loss: 'logistic', perFeature },
  );

describe('bilevel problems: every derivative matches five-point finite differences', () => {
  it('the penalty toy', () => expectDerivativesMatch(penaltyToy()));
  it('the unbounded-smoothness toy', () =>
    expectDerivativesMatch(unboundedSmoothnessToy({ dimension: 6, rng: createRng(4) })));
  it('ridge hyperparameter optimization (per-feature regularization)', () => expectDerivativesMatch(ridge()));
  it('logistic hyperparameter optimization, per-feature and shared', () => {
    expectDerivativesMatch(logistic(true));
    expectDerivativesMatch(logistic(false));
  });
  it('the coupled-constraint toy', () => expectDerivativesMatch(coupledConstraintToy({ n: 4 })));
  it('a deliberately wrong cross derivative is caught', () => {
    const p = penaltyToy();
    const wrong: BilevelOracle = { ...p, lowerCrossXY: (_x, _y, v, out) => ((out[0] = v[0] + v[1]), out) };
    const check = checkBilevelOracle(wrong, Float64Array.of(0.3), Float64Array.of(0.1, -0.2), {
      rng: createRng(5),
    });
    expect(check.lowerCrossXY).toBeGreaterThan(0.1);
  });
  it('each block of the multi-task problem', () => {
    const p = multiTaskCleaning({
      tasks: 3,
      trainSamples: 12,
      validationSamples: 10,
      features: 3,
      rng: createRng(6),
    });
    for (let b = 0; b < p.blocks; b++) {
      const view: BilevelOracle = {
        dimX: p.dimX,
        dimY: p.dimY,
        upperValue: (x, y) => p.upperValue(b, x, y),
        upperGradX: (x, y, out) => p.upperGradX(b, x, y, out),
        upperGradY: (x, y, out) => p.upperGradY(b, x, y, out),
        // The lower value is not part of the multi-block contract: integrate it from the gradient's check below.
        lowerValue: () => 0,
        lowerGradX: (_x, _y, out) => out.fill(0),
        lowerGradY: (x, y, out) => p.lowerGradY(b, x, y, out),
        lowerHvpYY: (x, y, v, out) => p.lowerHvpYY(b, x, y, v, out),
        lowerCrossXY: (x, y, v, out) => p.lowerCrossXY(b, x, y, v, out),
      };
      const check = checkBilevelOracle(view, vec(p.dimX, 0.5), vec(p.dimY, 0.5), { rng: createRng(b) });
      expect(check.upperGradY).toBeLessThan(1e-7);
      expect(check.lowerHvpYY).toBeLessThan(1e-7);
      expect(check.lowerCrossXY).toBeLessThan(1e-7);
    }
  });
});

describe('closed forms', () => {
  it('the penalty toy: ψ, x* = s/3, x*_σ = s/(σ + 3) minimizes ψ_σ, and |ψ_σ − ψ| = σ(x − s)²/(4(σ + 2))', () => {
    const toy = penaltyToy({ a: [1, 2] });
    expect(toy.solution).toBeCloseTo(1, 15);
    for (const sigma of [0.3, 0.1, 0.03]) {
      const xs = toy.penaltySolution(sigma);
      const h = 1e-5;
      const slope = (toy.penaltyValue(xs + h, sigma) - toy.penaltyValue(xs - h, sigma)) / (2 * h);
      expect(Math.abs(slope)).toBeLessThan(1e-8);
      for (const x of [-1, 0.5, 2]) {
        const gap = Math.abs(toy.penaltyValue(x, sigma) - toy.hyperValue(Float64Array.of(x)));
        expect(gap).toBeCloseTo((sigma * (x - 3) ** 2) / (4 * (sigma + 2)), 12);
      }
    }
  });
  it('the unbounded-smoothness toy: ∇Φ equals a finite difference of Φ(x) = f(x, y*(x))', () => {
    const toy = unboundedSmoothnessToy({ dimension: 5, rng: createRng(8) });
    const x = vec(5);
    const g = exactHypergradient(toy, x);
    for (let i = 0; i < 5; i++) {
      const e = new Float64Array(5);
      e[i] = 1e-5;
      const plus = x.map((v, j) => v + e[j]);
      const minus = x.map((v, j) => v - e[j]);
      const fd = (exactHyperValue(toy, plus) - exactHyperValue(toy, minus)) / 2e-5;
      expect(Math.abs(g[i] - fd) / Math.max(1, Math.abs(fd))).toBeLessThan(1e-6);
    }
  });
  it('the coupled-constraint toy: the optimum is feasible and solves the lower level (y₁ = x + 1)', () => {
    const toy = coupledConstraintToy({ n: 5 });
    const { x, y } = toy.solution;
    const sum = x.reduce((s, v) => s + v, 0) + y.reduce((s, v) => s + v, 0);
    expect(Math.abs(sum)).toBeLessThan(1e-12);
    for (let i = 0; i < 5; i++) expect(y[i]).toBeCloseTo(x[i] + 1, 12);
  });
  it('exactLowerSolution (Newton) solves the logistic lower level to 1e-10', () => {
    const p = logistic();
    const x = vec(p.dimX, 0.3);
    const y = exactLowerSolution(p, x);
    const g = p.lowerGradY(x, y, new Float64Array(p.dimY));
    expect(Math.hypot(...g)).toBeLessThan(1e-10);
  });
});

describe('noisy oracles', () => {
  it('one batch gives the same numbers twice, a new batch different ones, no batch the exact value', () => {
    const toy = penaltyToy();
    const noisy = noisyBilevel(toy, { gradientNoise: 0.1, hessianNoise: 0.01 });
    const r = createRng(9);
    const batch = noisy.drawLowerBatch?.(r);
    const x = Float64Array.of(0.4);
    const y = Float64Array.of(0.1, 0.2);
    const a = noisy.lowerGradY(x, y, new Float64Array(2), batch);
    const b = noisy.lowerGradY(x, y, new Float64Array(2), batch);
    const c = noisy.lowerGradY(x, y, new Float64Array(2), noisy.drawLowerBatch?.(r));
    const exact = toy.lowerGradY(x, y, new Float64Array(2));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Array.from(noisy.lowerGradY(x, y, new Float64Array(2)))).toEqual(Array.from(exact));
  });
});

describe('bad input gets named errors', () => {
  it('problem generators', () => {
    expect(() => penaltyToy({ a: [1, Number.NaN] as never })).toThrow(InvalidArgumentError);
    expect(() => unboundedSmoothnessToy({ dimension: 0, rng })).toThrow(/dimension/);
    expect(() => unboundedSmoothnessToy({ dimension: 3, mu: 0, rng })).toThrow(/mu/);
    expect(() => coupledConstraintToy({ n: 1.5 })).toThrow(/n/);
    expect(() => noisyBilevel(penaltyToy(), { gradientNoise: -1 })).toThrow(/gradientNoise/);
    expect(() => multiTaskCleaning({ tasks: 0, rng })).toThrow(/tasks/);
    expect(() => multiTaskCleaning({ corruption: 2, rng })).toThrow(/corruption/);
    expect(() => randomSplitData({ trainSamples: 0, validationSamples: 3, features: 2, rng })).toThrow(
      /trainSamples/,
    );
  });
  it('hyperparameter data of the wrong shape or with labels outside {0, 1} for logistic', () => {
    const data = randomSplitData({ trainSamples: 5, validationSamples: 4, features: 2, rng });
    expect(() => hyperparameterProblem(data, { loss: 'logistic' })).toThrow(/labels/);
    expect(() =>
      hyperparameterProblem({ ...data, train: { ...data.train, labels: new Float64Array(2) } }),
    ).toThrow(/one label per row/);
    expect(() => hyperparameterProblem(data, { loss: 'hinge' as never })).toThrow(/loss/);
  });
});

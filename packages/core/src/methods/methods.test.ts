import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../errors/argmin-error';
import { counted } from '../oracles/counted';
import { logisticRegression } from '../problems/logistic-regression';
import { randomQuadratic } from '../problems/quadratic';
import { rosenbrock } from '../problems/rosenbrock';
import { createRng } from '../rng/rng';
import { solve } from '../solve/solve';
import { anyOf, maxIterations, metricBelow } from '../solve/stop-when';
import type { Oracle } from '../spec/oracle';
import { describeMethodConformance } from '../testing/describe-method-conformance';
import { expectAllClose } from '../testing/expect-all-close';
import reference from './__fixtures__/lbfgs-reference.json';
import { gradientDescent, gradientDescentPlugin } from './gradient-descent';
import { lbfgs, lbfgsPlugin } from './lbfgs';
import { strongWolfe } from './line-search';

/** A function whose value and gradient turn NaN once x[0] > 0 (the run starts below it). */
const nanAfterZero = (): Oracle<'value' | 'grad'> => ({
  dimension: 2,
  value: (x) => (x[0] > 0 ? Number.NaN : (x[0] - 1) ** 2 + x[1] ** 2),
  grad: (x, out) => ((out[0] = x[0] > 0 ? Number.NaN : 2 * (x[0] - 1)), (out[1] = 2 * x[1]), out),
});

const cases = [
  {
    name: 'Rosenbrock in 2-D from (-1.2, 1)',
    options: {},
    problem: () => rosenbrock(2),
    x0: Float64Array.of(-1.2, 1),
    solution: Float64Array.of(1, 1),
    tolerance: 1e-4,
    metric: 'gradNorm',
    metricTolerance: 1e-7,
    maxIterations: 50000,
    nanProblem: nanAfterZero,
  },
  {
    name: 'an ill-conditioned quadratic in 20-D (condition 1e3)',
    options: {},
    problem: () => randomQuadratic(20, 1e3, createRng(1)),
    x0: new Float64Array(20),
    tolerance: 1e-6,
    metric: 'gradNorm',
    maxIterations: 100000,
  },
];
describeMethodConformance(lbfgsPlugin, cases);
describeMethodConformance(gradientDescentPlugin, cases);

describe('core/lbfgs against scipy L-BFGS-B (fixture from generate-lbfgs-reference.py)', () => {
  for (const c of reference.cases) {
    const oracle = (): Oracle<'value' | 'grad'> =>
      'features' in c && c.features
        ? logisticRegression(
            {
              rows: c.rows as number,
              cols: c.cols as number,
              data: Float64Array.from(c.features as number[]),
            },
            Float64Array.from(c.labels as number[]),
            { l2: c.l2 as number },
          )
        : rosenbrock(c.x0.length);
    it(`reaches scipy's minimizer: ${c.name}`, () => {
      const result = solve(
        lbfgs({ valueTolerance: 0, gradientTolerance: 1e-9 }),
        oracle(),
        Float64Array.from(c.x0),
      );
      expect(result.status).toBe('converged');
      expect(() =>
        expectAllClose(result.x, c.minimizer, { absolute: 1e-6, relative: 1e-6, label: c.name }),
      ).not.toThrow();
      expect(result.info.value).toBeCloseTo(c.minimum, 10);
    });
    it(`with scipy's default tolerances, stops within 15% of scipy's iteration count: ${c.name}`, () => {
      const result = solve(lbfgs(), oracle(), Float64Array.from(c.x0));
      expect(result.status).toBe('converged');
      const scipy = c.defaultRun.iterations;
      expect(Math.abs(result.iterations - scipy)).toBeLessThanOrEqual(Math.max(2, 0.15 * scipy));
      expect(result.info.value).toBeCloseTo(c.defaultRun.fun, 6);
    });
  }
});

describe('core/lbfgs details', () => {
  it('solves an 8-D quadratic (condition 10) to gradNorm 1e-8 in a few dozen iterations', () => {
    const problem = randomQuadratic(8, 10, createRng(2));
    const result = solve(lbfgs({ memory: 10 }), problem, new Float64Array(8), {
      stopWhen: anyOf(metricBelow('gradNorm', 1e-8), maxIterations(100)),
    });
    expect(result.status).toBe('converged');
    expect(result.iterations).toBeLessThanOrEqual(30);
  });
  it('counts one gradient per line-search evaluation', () => {
    const oracle = counted(rosenbrock(2));
    const result = solve(lbfgs(), oracle, Float64Array.of(-1.2, 1));
    const evaluations = result.trace.metrics.evaluations.slice(1).reduce((a, b) => a + b, 0);
    expect(oracle.counts.grad).toBe(evaluations + 1);
  });
  it('returns the start unchanged and converged at an exact stationary point', () => {
    const result = solve(lbfgs(), rosenbrock(2), Float64Array.of(1, 1));
    expect(result.status).toBe('converged');
    expect(Array.from(result.x)).toEqual([1, 1]);
  });
  it('ends as stalled (not an exception) when no step decreases a function that is unbounded-looking but flat', () => {
    const liar: Oracle<'value' | 'grad'> = {
      dimension: 1,
      value: () => 1,
      grad: (_x, out) => ((out[0] = 1), out),
    };
    const result = solve(lbfgs(), liar, Float64Array.of(0));
    expect(result.status).toBe('stalled');
    expect(result.message).toContain('line search');
    expect(Array.from(result.x)).toEqual([0]);
  });
  it('rejects options out of range with InvalidOptionsError', () => {
    expect(() => lbfgs({ memory: 0 })).toThrowError(InvalidOptionsError);
    expect(() => lbfgs({ curvature: 1.5 })).toThrowError(/`curvature`/);
  });
});

describe('strong Wolfe line search', () => {
  it('returns a step satisfying both strong Wolfe conditions on Rosenbrock', () => {
    const f = rosenbrock(2);
    const x = Float64Array.of(-1.2, 1);
    const g = f.grad(x, new Float64Array(2));
    const d = Float64Array.from(g, (v) => -v);
    const slope = -(g[0] ** 2 + g[1] ** 2);
    const work = { trial: new Float64Array(2), gradient: new Float64Array(2) };
    const outcome = strongWolfe(f, x, f.value(x), slope, d, work, {
      c1: 1e-4,
      c2: 0.9,
      initialStep: 1,
      maxStep: 1e10,
      maxEvaluations: 20,
    });
    expect(outcome.ok).toBe(true);
    expect(outcome.value).toBeLessThanOrEqual(f.value(x) + 1e-4 * outcome.step * slope);
    const newSlope = work.gradient[0] * d[0] + work.gradient[1] * d[1];
    expect(Math.abs(newSlope)).toBeLessThanOrEqual(0.9 * Math.abs(slope));
    expect(outcome.value).toBe(f.value(work.trial));
  });
});

describe('core/gradient-descent details', () => {
  it('takes an Armijo step: f decreases by at least c1 t ‖g‖² every iteration', () => {
    const result = solve(gradientDescent(), rosenbrock(2), Float64Array.of(-1.2, 1), {
      stopWhen: maxIterations(200),
    });
    const values = result.trace.metrics.value;
    for (let k = 1; k < values.length; k++) expect(values[k]).toBeLessThan(values[k - 1]);
  });
  it('ends as stalled when backtracking finds no decrease', () => {
    const liar: Oracle<'value' | 'grad'> = {
      dimension: 1,
      value: () => 1,
      grad: (_x, out) => ((out[0] = 1), out),
    };
    const result = solve(gradientDescent({ maxBacktracks: 5 }), liar, Float64Array.of(0));
    expect(result.status).toBe('stalled');
    expect(result.message).toContain('Armijo backtracking found no decrease in 5 steps');
  });
});

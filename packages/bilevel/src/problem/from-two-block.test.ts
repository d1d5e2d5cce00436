import { checkCrossHvp, createRng, InvalidArgumentError, type TwoBlockFunction } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { exactHypergradient } from '../hypergradient/exact';
import { hyperparameterProblem, randomSplitData } from '../problems/hyperparameter';
import { unboundedSmoothnessToy } from '../problems/unbounded-smoothness-toy';
import { lowerLevelOf, toBilevelOracle } from './from-two-block';

describe('core TwoBlockFunction interop', () => {
  it("core's checkCrossHvp accepts every lower level through lowerLevelOf", () => {
    const problems = [
      unboundedSmoothnessToy({ dimension: 5, rng: createRng(1) }),
      hyperparameterProblem(
        randomSplitData({ trainSamples: 20, validationSamples: 10, features: 4, rng: createRng(2) }),
      ),
    ];
    for (const p of problems) {
      const g = lowerLevelOf(p);
      const rng = createRng(3);
      const x = rng.fillNormal(new Float64Array(p.dimX));
      const y = rng.fillNormal(new Float64Array(p.dimY));
      const check = checkCrossHvp(g, x, y, rng.fillNormal(new Float64Array(p.dimY)));
      expect(check.ok).toBe(true);
    }
  });
  it('a problem written as two TwoBlockFunctions gives the same hypergradient as the hand-written oracle', () => {
    // f = ½‖x‖² + ½‖y − 1‖², g = ½‖y − 2x‖² (y*(x) = 2x, ∇Φ = x + 2(2x − 1)).
    const n = 3;
    const upper: TwoBlockFunction<'value' | 'gradX' | 'gradY'> = {
      dimensionX: n,
      dimensionY: n,
      value: (x, y) => x.reduce((s, v, i) => s + 0.5 * v * v + 0.5 * (y[i] - 1) ** 2, 0),
      gradX: (x, _y, out) => (out.set(x), out),
      gradY: (_x, y, out) => {
        for (let i = 0; i < n; i++) out[i] = y[i] - 1;
        return out;
      },
    };
    const lower: TwoBlockFunction<'value' | 'gradX' | 'gradY' | 'hvpYY' | 'crossHvpXY'> = {
      dimensionX: n,
      dimensionY: n,
      value: (x, y) => y.reduce((s, v, i) => s + 0.5 * (v - 2 * x[i]) ** 2, 0),
      gradX: (x, y, out) => {
        for (let i = 0; i < n; i++) out[i] = -2 * (y[i] - 2 * x[i]);
        return out;
      },
      gradY: (x, y, out) => {
        for (let i = 0; i < n; i++) out[i] = y[i] - 2 * x[i];
        return out;
      },
      hvpYY: (_x, _y, v, out) => (out.set(v), out),
      crossHvpXY: (_x, _y, v, out) => {
        for (let i = 0; i < n; i++) out[i] = -2 * v[i];
        return out;
      },
    };
    const oracle = toBilevelOracle({ dimensionX: n, dimensionY: n, upper, lower });
    const x = Float64Array.of(0.1, -0.4, 2);
    const g = exactHypergradient(oracle, x);
    for (let i = 0; i < n; i++) expect(g[i]).toBeCloseTo(x[i] + 2 * (2 * x[i] - 1), 10);
  });
  it('missing capabilities and mismatched blocks are named errors', () => {
    const bad = { dimensionX: 1, dimensionY: 1, value: () => 0 } as never;
    expect(() => toBilevelOracle({ dimensionX: 1, dimensionY: 1, upper: bad, lower: bad })).toThrow(
      InvalidArgumentError,
    );
  });
});

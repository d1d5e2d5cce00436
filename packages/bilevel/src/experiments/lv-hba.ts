import {
  defineExperiment,
  type ExperimentContext,
  type ExperimentReport,
  type Vec,
  verdictFrom,
} from '@argmin/core';
import { lvHba } from '../methods/lv-hba';
import type { ConstrainedBilevelOracle } from '../problem/bilevel-oracle';
import { coupledConstraintToy } from '../problems/coupled-constraint-toy';

const norm = (v: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
};

/**
 * LV-HBA on its coupled-constraint toy (notes §13(b)), n = 10, deterministic, from the code's start;
 * the faster penalty growth (c₀ = 0.1, p = 0.45) and the reference preset (c₀ = 0.025, p = 0.3); the
 * ablation without the Lagrangian term (λ held at 0: the lower level ignores its coupling constraint).
 */
export const lvHbaExperiment = defineExperiment({
  id: 'bilevel/lv-hba',
  title: 'LV-HBA reaches the optimum of a bilevel problem with a coupled lower-level constraint',
  paper: {
    title:
      'Constrained Bi-Level Optimization: Proximal Lagrangian Value function Approach and Hessian-free Algorithm',
    authors: 'W. Yao, C. Yu, S. Zeng, J. Zhang',
    year: 2024,
    arxiv: '2401.16164',
  },
  claim:
    'On the toy with a lower-level constraint coupling x and y (n = 10, optimum x* = −0.3·1), LV-HBA, Hessian-free and single-loop, reaches relative error ‖x − x*‖/‖x*‖ < 0.1 within 2·10⁴ iterations (c₀ = 0.1, p = 0.45) with its lower-level estimate θ satisfying the coupling constraint (G(x, θ) <= 1e-3), while the same iteration without the Lagrangian term (the lower level blind to its constraint) does not approach x* (relative error > 0.5).',
  methods: ['bilevel/lv-hba'],
  run: (context) => lvHbaStudy(context, { iterations: context.size === 'full' ? 50_000 : 20_000 }),
});

/** The study behind the experiment, at any size (tests run it small). */
export function lvHbaStudy(
  context: Pick<ExperimentContext, 'seed' | 'progress' | 'rng'>,
  sizes: { iterations: number },
): ExperimentReport {
  const n = 10;
  const K = sizes.iterations;
  const toy = coupledConstraintToy({ n });
  const xStar = toy.solution.x;
  // The ablation: the constraint's multiplier can never become positive (G reported as −∞ for λ).
  const withoutLagrangian: ConstrainedBilevelOracle = {
    ...toy,
    constraintValue: (_x, _y, out) => out.fill(-1e12),
    constraintVjpX: (_x, _y, _l, out) => out.fill(0),
    constraintVjpY: (_x, _y, _l, out) => out.fill(0),
  };
  const settings = [
    { name: 'LV-HBA (c₀ = 0.1, p = 0.45)', c0: 0.1, p: 0.45, problem: toy as ConstrainedBilevelOracle },
    { name: 'LV-HBA reference preset (c₀ = 0.025, p = 0.3)', c0: 0.025, p: 0.3, problem: toy },
    {
      name: 'without the Lagrangian term (c₀ = 0.1, p = 0.45)',
      c0: 0.1,
      p: 0.45,
      problem: withoutLagrangian,
    },
  ];
  const rows = [];
  const series = [];
  const results: { error: number; violation: number }[] = [];
  const g = new Float64Array(1);
  for (const [index, setting] of settings.entries()) {
    const optimizer = lvHba({ c0: setting.c0, p: setting.p, multiplier: 'clip' });
    let x: Vec = new Float64Array(n).fill(10);
    let state = optimizer.init(x, setting.problem, { rng: context.rng, warn: () => {} });
    const xs: number[] = [];
    const errors: number[] = [];
    let failed = false;
    for (let k = 0; k < K; k++) {
      const r = optimizer.step(x, state, setting.problem, { rng: context.rng, warn: () => {} });
      if (r.status === 'numerical-error') {
        failed = true;
        break;
      }
      x = r.x;
      state = r.state;
      if ((k + 1) % 500 === 0) {
        xs.push(k + 1);
        errors.push(norm(x.map((v, i) => v - xStar[i])) / norm(xStar));
      }
    }
    const error = norm(x.map((v, i) => v - xStar[i])) / norm(xStar);
    toy.constraintValue(x, state.theta, g);
    results.push({ error: failed ? Number.NaN : error, violation: g[0] });
    rows.push({
      setting: setting.name,
      iterations: K,
      'relative error ‖x − x*‖/‖x*‖': Number(error.toExponential(3)),
      'G(x, θ)': Number(g[0].toExponential(3)),
      status: failed ? 'numerical-error' : 'finished',
    });
    series.push({ name: setting.name, x: xs, y: errors });
    context.progress((index + 1) / settings.length);
  }
  const [main, , ablation] = results;
  const holds = main.error < 0.1 && main.violation <= 1e-3 && ablation.error > 0.5;
  return {
    rows,
    series,
    plots: {
      main: {
        title: 'LV-HBA on the coupled-constraint toy',
        xLabel: 'iteration',
        yLabel: 'relative error',
        logY: true,
      },
    },
    notes: [
      'Start as the reference code: x = y = 10·1 projected jointly onto Σx + Σy = 0; the code’s clipped multiplier.',
      'On this toy a lower level blind to its constraint drives θ₂ down (its linear term is unbounded below), so G(x, θ) becomes very negative rather than violated: the ablation is judged by the distance to x*, not by a violation.',
      `The reference preset reaches relative error ${results[1].error.toExponential(2)} (the notes measured > 0.3 at 2·10⁴: expected, not tuned away).`,
    ],
    verdict: verdictFrom({
      value: main.error,
      holds,
      measured: `relative error ${main.error.toExponential(2)}, G(x, θ) = ${main.violation.toExponential(2)}; without the Lagrangian term relative error ${ablation.error.toExponential(2)}`,
      threshold: 'error < 0.1, G(x, θ) <= 1e-3, ablation error > 0.5',
    }),
  };
}

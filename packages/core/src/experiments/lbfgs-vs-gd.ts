import { defineExperiment, verdictFrom } from '../experiment/define-experiment';
import { gradientDescent } from '../methods/gradient-descent';
import { lbfgs } from '../methods/lbfgs';
import { counted } from '../oracles/counted';
import { randomLogisticRegression } from '../problems/logistic-regression';
import { rosenbrock } from '../problems/rosenbrock';
import { solve } from '../solve/solve';
import { anyOf, maxIterations, metricBelow } from '../solve/stop-when';
import type { Series } from '../spec/experiment';
import type { Oracle } from '../spec/oracle';

const tolerance = 1e-6;
const threshold = 10;

/**
 * L-BFGS against steepest descent (Armijo) on Rosenbrock 2-D and 10-D and on l2-regularized logistic
 * regression: iterations and gradient evaluations to ‖∇f‖₂ <= 1e-6.
 */
export const lbfgsVsGradientDescent = defineExperiment({
  id: 'core/lbfgs-vs-gd',
  title: 'L-BFGS needs far fewer iterations than steepest descent',
  paper: {
    title: 'On the limited memory BFGS method for large scale optimization',
    authors: 'D. C. Liu and J. Nocedal',
    year: 1989,
    url: 'https://doi.org/10.1007/BF01589116',
  },
  claim: `L-BFGS (m = 10) reaches ‖∇f‖ <= ${tolerance} in at least ${threshold}x fewer iterations than steepest descent with Armijo backtracking, on every test problem (Rosenbrock 2-D, 10-D, logistic regression).`,
  methods: ['core/lbfgs', 'core/gradient-descent'],
  run(context) {
    const size = context.size === 'full' ? 4 : 1;
    const cap = 20000 * size;
    const cases: { name: string; oracle: Oracle<'value' | 'grad'>; x0: Float64Array }[] = [
      { name: 'Rosenbrock 2-D', oracle: rosenbrock(2), x0: Float64Array.of(-1.2, 1) },
      {
        name: 'Rosenbrock 10-D',
        oracle: rosenbrock(10),
        x0: Float64Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? -1.2 : 1)),
      },
      {
        name: 'logistic regression (500 x 20, l2 = 1e-3)',
        oracle: randomLogisticRegression(500 * size, 20, { l2: 1e-3, rng: context.rng }),
        x0: new Float64Array(20),
      },
    ];
    const rows = [];
    const series: Series[] = [];
    const ratios: number[] = [];
    let allReachedByLbfgs = true;
    for (const [index, c] of cases.entries()) {
      const stopWhen = anyOf(metricBelow('gradNorm', tolerance), maxIterations(cap));
      const fast = counted(c.oracle);
      const slow = counted(c.oracle);
      const a = solve(lbfgs({ gradientTolerance: 0, valueTolerance: 0 }), fast, c.x0, { stopWhen });
      context.progress((index + 0.5) / cases.length, `${c.name}: gradient descent`);
      const b = solve(gradientDescent({ gradientTolerance: 0 }), slow, c.x0, { stopWhen, recordEvery: 10 });
      context.progress((index + 1) / cases.length, c.name);
      const lbfgsIterations = a.iterations;
      const gdIterations = b.iterations;
      const gdReached = b.status === 'converged';
      allReachedByLbfgs &&= a.status === 'converged';
      const ratio = gdIterations / Math.max(1, lbfgsIterations);
      ratios.push(ratio);
      rows.push({
        problem: c.name,
        'L-BFGS iterations': lbfgsIterations,
        'L-BFGS gradients': fast.counts.grad,
        'L-BFGS status': a.status,
        'GD iterations': gdReached ? gdIterations : `>= ${gdIterations} (cap)`,
        'GD gradients': slow.counts.grad,
        'GD status': b.status,
        'iteration ratio': Number(ratio.toFixed(1)),
      });
      series.push({
        name: `L-BFGS, ${c.name}`,
        plot: 'convergence',
        x: a.trace.iteration,
        y: a.trace.metrics.gradNorm,
      });
      series.push({
        name: `GD, ${c.name}`,
        plot: 'convergence',
        x: b.trace.iteration,
        y: b.trace.metrics.gradNorm,
      });
    }
    const worst = Math.min(...ratios);
    return {
      rows,
      series,
      plots: {
        convergence: {
          title: 'Gradient norm per iteration',
          xLabel: 'iteration',
          yLabel: '‖∇f‖₂',
          logX: true,
          logY: true,
        },
      },
      verdict: verdictFrom({
        value: worst,
        holds: allReachedByLbfgs && worst >= threshold,
        measured: `${worst.toFixed(1)}x fewer iterations on the hardest case (ratios ${ratios.map((r) => r.toFixed(1)).join(', ')})${allReachedByLbfgs ? '' : '; L-BFGS missed the tolerance on some case'}`,
        threshold: `>= ${threshold}x on every problem`,
      }),
      notes: [
        `Gradient descent is capped at ${cap} iterations; a capped run counts as at least the cap (the ratio is then a lower bound).`,
      ],
    };
  },
});

import {
  anyOf,
  createRng,
  defineExperiment,
  type ExperimentContext,
  type ExperimentReport,
  lbfgs,
  maxIterations,
  metricBelow,
  solve,
  verdictFrom,
} from '@argmin/core';
import { twoSpirals } from '../datasets';
import { mlp } from '../mlp';
import { asOracle } from '../oracle';

const threshold = 0.95;

/** A 2-hidden-layer MLP trained with core's L-BFGS on two spirals reaches >= 95% test accuracy. */
export const trainMlpExperiment = defineExperiment({
  id: 'nn/train-mlp',
  title: 'A 2-hidden-layer MLP learns two spirals',
  paper: {
    title: 'Learning representations by back-propagating errors',
    authors: 'D. E. Rumelhart, G. E. Hinton and R. J. Williams',
    year: 1986,
    url: 'https://doi.org/10.1038/323533a0',
  },
  claim: `A 2-hidden-layer MLP (2-32-32-2, tanh) trained by exact backpropagation (full-batch L-BFGS from @argmin/core) reaches >= ${threshold * 100}% test accuracy on the two-spirals problem.`,
  methods: ['core/lbfgs'],
  run: (context) => runTrainMlp(context, trainMlpSizes[context.size]),
});

/** Sizes: `quick` is what `pnpm repro` runs, `full` closer to a real training run, `test` reduced for CI. */
export const trainMlpSizes = {
  test: { perClass: 60, iterations: 150 },
  quick: { perClass: 150, iterations: 400 },
  full: { perClass: 500, iterations: 3000 },
} as const;

/** The experiment at a given size (the verdict is computed from this run's test accuracies). */
export function runTrainMlp(
  context: ExperimentContext,
  size: { readonly perClass: number; readonly iterations: number },
): ExperimentReport {
  const perClass = size.perClass;
  const train = twoSpirals(perClass, { rng: context.rng });
  const test = twoSpirals(perClass, { rng: createRng(context.seed + 1000) });
  const network = mlp({ sizes: [2, 32, 32, 2], activation: 'tanh' });
  const oracle = asOracle(network, 'cross-entropy', train, { l2: 1e-5 });
  const rows = [];
  const series = [];
  const accuracies: number[] = [];
  const restarts = 3;
  for (let r = 0; r < restarts; r++) {
    const params = network.initialize(createRng(context.seed * 10 + r), 'xavier-uniform');
    const testCurve: number[] = [];
    const iterationsAt: number[] = [];
    const result = solve(lbfgs(), oracle, params, {
      stopWhen: anyOf(metricBelow('gradNorm', 1e-6), maxIterations(size.iterations)),
      observers: [
        {
          onStepEnd: ({ iteration, x }) => {
            if (iteration % 50 === 0) {
              iterationsAt.push(iteration);
              testCurve.push(oracle.accuracy(x, test));
            }
            return undefined;
          },
        },
      ],
      recordEvery: 10,
    });
    const trainAccuracy = oracle.accuracy(result.x, train);
    const testAccuracy = oracle.accuracy(result.x, test);
    accuracies.push(testAccuracy);
    rows.push({
      restart: r,
      iterations: result.iterations,
      status: result.status,
      'train loss': result.info.value,
      'train accuracy': trainAccuracy,
      'test accuracy': testAccuracy,
    });
    series.push({
      name: `loss, init ${r}`,
      plot: 'loss',
      x: result.trace.iteration,
      y: result.trace.metrics.value,
    });
    series.push({ name: `test accuracy, init ${r}`, plot: 'accuracy', x: iterationsAt, y: testCurve });
    context.progress((r + 1) / restarts, `initialization ${r + 1} of ${restarts}`);
  }
  const sorted = [...accuracies].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return {
    rows,
    series,
    plots: {
      loss: {
        title: 'Training loss (cross-entropy)',
        xLabel: 'L-BFGS iteration',
        yLabel: 'loss',
        logY: true,
      },
      accuracy: { title: 'Test accuracy', xLabel: 'L-BFGS iteration', yLabel: 'accuracy' },
    },
    verdict: verdictFrom({
      value: median,
      holds: median >= threshold,
      measured: `median test accuracy ${(median * 100).toFixed(1)}% over ${restarts} initializations (${accuracies.map((a) => `${(a * 100).toFixed(1)}%`).join(', ')})`,
      threshold: `>= ${threshold * 100}%`,
    }),
    notes: [
      `${2 * perClass} training and ${2 * perClass} test points, 1.5 turns, noise 0.02; l2 = 1e-5; at most ${size.iterations} L-BFGS iterations.`,
    ],
  };
}

export const nnExperiments = [trainMlpExperiment] as const;

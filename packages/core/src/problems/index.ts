import { z } from 'zod';
import { defineProblem } from '../registry/define-problem';
import { randomLeastSquares } from './least-squares';
import { randomLogisticRegression } from './logistic-regression';
import { randomQuadratic } from './quadratic';
import { rosenbrock } from './rosenbrock';

export const quadraticProblem = defineProblem({
  meta: {
    id: 'core/quadratic',
    title: 'Random SPD quadratic ½xᵀAx − bᵀx with a given condition number',
    provides: ['value', 'grad', 'hvp'],
  },
  options: z.strictObject({
    dimension: z.number().int().min(1).default(10).describe('Dimension n.'),
    conditionNumber: z
      .number()
      .min(1)
      .default(100)
      .describe('Ratio of the largest to the smallest eigenvalue of A.'),
  }),
  create: (options, rng) => ({
    problem: randomQuadratic(options.dimension, options.conditionNumber, rng),
    x0: new Float64Array(options.dimension),
  }),
});

export const rosenbrockProblem = defineProblem({
  meta: {
    id: 'core/rosenbrock',
    title: 'Rosenbrock function (scipy.optimize.rosen), from (−1.2, 1, −1.2, 1, ...)',
    provides: ['value', 'grad', 'hvp'],
  },
  options: z.strictObject({ dimension: z.number().int().min(2).default(2).describe('Dimension n >= 2.') }),
  create: ({ dimension }) => {
    const x0 = new Float64Array(dimension);
    for (let i = 0; i < dimension; i++) x0[i] = i % 2 === 0 ? -1.2 : 1;
    return {
      problem: rosenbrock(dimension),
      x0,
      solution: new Float64Array(dimension).fill(1),
      optimalValue: 0,
    };
  },
});

export const leastSquaresProblem = defineProblem({
  meta: {
    id: 'core/least-squares',
    title: 'Random least squares (1/2m)‖Ax − b‖² as a finite sum',
    provides: [
      'value',
      'grad',
      'hvp',
      'componentGrad',
      'sampleGrad',
      'drawBatch',
      'batchValue',
      'batchGrad',
      'batchHvp',
    ],
  },
  options: z.strictObject({
    rows: z.number().int().min(1).default(200).describe('Number of equations m.'),
    cols: z.number().int().min(1).default(20).describe('Number of unknowns n.'),
    noise: z.number().nonnegative().default(0.1).describe('Standard deviation of the noise added to b.'),
  }),
  create: ({ rows, cols, noise }, rng) => ({
    problem: randomLeastSquares(rows, cols, noise, rng),
    x0: new Float64Array(cols),
  }),
});

export const logisticRegressionProblem = defineProblem({
  meta: {
    id: 'core/logistic-regression',
    title: 'Random binary logistic regression with optional l2',
    provides: [
      'value',
      'grad',
      'hvp',
      'componentGrad',
      'sampleGrad',
      'drawBatch',
      'batchValue',
      'batchGrad',
      'batchHvp',
    ],
  },
  options: z.strictObject({
    samples: z.number().int().min(1).default(500).describe('Number of samples m.'),
    features: z.number().int().min(1).default(10).describe('Number of features n.'),
    l2: z.number().nonnegative().default(0.01).describe('l2 regularization strength.'),
    separable: z
      .boolean()
      .default(false)
      .describe('Labels from the sign of a planted linear score (separable data).'),
  }),
  create: ({ samples, features, l2, separable }, rng) => ({
    problem: randomLogisticRegression(samples, features, { l2, separable, rng }),
    x0: new Float64Array(features),
  }),
});

/** Reference problems as problem plugins (for pipelines and the CLI). */
export const coreProblems = [
  quadraticProblem,
  rosenbrockProblem,
  leastSquaresProblem,
  logisticRegressionProblem,
] as const;

export type { LeastSquaresProblem } from './least-squares';
export { leastSquares, randomLeastSquares } from './least-squares';
export type { LogisticRegressionProblem } from './logistic-regression';
export { logisticRegression, randomLogisticRegression } from './logistic-regression';
export type { QuadraticProblem } from './quadratic';
export { quadratic, randomQuadratic } from './quadratic';
export { rosenbrock } from './rosenbrock';

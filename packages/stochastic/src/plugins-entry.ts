// @argmin/stochastic/plugins: the optimizer and problem plugins of this package (for createRegistry, the CLI
// and the docs). The package root exports the functions (`adam`, `sgd`, ...).
import { defineMethod } from '@argmin/core';
import { z } from 'zod';
import { largeStepGradientDescent } from './large-step';
import {
  adahessianPlugin,
  adamPlugin,
  adamwPlugin,
  mfacPlugin,
  proxSgdPlugin,
  sgdPlugin,
} from './optimizers';

export {
  adahessianPlugin,
  adamPlugin,
  adamwPlugin,
  mfacPlugin,
  proxSgdPlugin,
  sgdPlugin,
} from './optimizers';
export {
  lassoProblem,
  multinomialLogisticRegressionProblem,
  noisyQuadraticProblem,
  scaledLogisticRegressionProblem,
  stochasticProblems,
} from './problems';

const largeStepReference = {
  title:
    'From Logistic Regression to the Perceptron Algorithm: Exploring Gradient Descent with Large Step Sizes',
  authors: 'A. Tyurin',
  year: 2025,
  arxiv: '2412.08424',
};
const largeStepOptions = z.strictObject({
  stepSize: z
    .number()
    .positive()
    .default(1)
    .describe('Step size γ (any size; γ → ∞ is the batch perceptron).'),
});

export const lrGdPlugin = defineMethod({
  meta: {
    id: 'stochastic/lr-gd',
    title: 'Gradient descent on logistic regression with large steps (LR+GD)',
    references: [largeStepReference],
    needs: ['value', 'grad'],
  },
  options: largeStepOptions,
  create: (options) => largeStepGradientDescent({ stepSize: options.stepSize }),
});
export const normalizedLrGdPlugin = defineMethod({
  meta: {
    id: 'stochastic/normalized-lr-gd',
    title: 'Normalized LR+GD: x ← x − (γ/f(x))∇f(x)',
    references: [largeStepReference],
    needs: ['value', 'grad'],
  },
  options: largeStepOptions,
  create: (options) => largeStepGradientDescent({ stepSize: options.stepSize, normalized: true }),
});

export const stochasticPlugins = [
  sgdPlugin,
  adamPlugin,
  adamwPlugin,
  adahessianPlugin,
  mfacPlugin,
  proxSgdPlugin,
  lrGdPlugin,
  normalizedLrGdPlugin,
] as const;

// @argmin/stochastic: composable stochastic and second-order optimizers.
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

export type {
  BatchTransformContext,
  BatchTransformOptimizerState,
  GradientSource,
} from './batch-optimizer';
export { batchTransformOptimizer } from './batch-optimizer';
export { stochasticExperiments } from './experiments/experiments';
export type { LabelledData, LargeStepState } from './large-step';
export { batchPerceptron, largeStepGradientDescent, logisticLoss, separableData } from './large-step';
export type { MfacState, ScaleByMfacState } from './mfac';
export { mfacApply, mfacDiagonal, mfacOperator, mfacState, mfacUpdate, scaleByMfac } from './mfac';
export {
  adahessian,
  adahessianOptions,
  adahessianPlugin,
  adam,
  adamOptions,
  adamPlugin,
  adamw,
  adamwOptions,
  adamwPlugin,
  mfac,
  mfacOptions,
  mfacPlugin,
  proxSgdFromOptions,
  proxSgdOptions,
  proxSgdPlugin,
  sgd,
  sgdOptions,
  sgdPlugin,
} from './optimizers';
export type { Prox, ProxSgdState, StepRule } from './prox-sgd';
export { checkStepRule, proxBox, proxL1, proxL2Ball, proxSgd, proxWithQuadratic, stepSize } from './prox-sgd';
export type { Schedule } from './schedules';
export {
  constantSchedule,
  cosineDecaySchedule,
  inverseSqrtSchedule,
  joinSchedules,
  linearSchedule,
  piecewiseConstantSchedule,
  refinedSchedule,
  refinementBound,
  warmupCosineDecaySchedule,
  warmupLinearDecaySchedule,
} from './schedules';
export { stateFromJson, stateToJson } from './state';
export type { AdahessianState, AdamState, TraceState, Transformation } from './transforms';
export {
  addDecayedWeights,
  applyUpdates,
  clip,
  clipByGlobalNorm,
  scaleByAdahessian,
  scaleByAdam,
  trace,
} from './transforms';

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
export type { InjectState } from './inject';
export { injectHyperparams } from './inject';
export type { MfacStaticState } from './mfac';
export {
  mfacFromGradients,
  mfacStatic,
  mfacStaticApply,
  mfacStaticDiagonal,
  mfacStaticOperator,
  mfacUpdateAndApply,
} from './mfac';
export type { MultinomialLogisticRegression } from './multinomial';
export { multinomialLogisticRegression } from './multinomial';
export type { LassoProblem, NoisyQuadratic } from './problems';
export {
  clusteredData,
  lasso,
  lassoProblem,
  multinomialLogisticRegressionProblem,
  noisyQuadratic,
  noisyQuadraticProblem,
  scaledLogisticRegression,
  scaledLogisticRegressionProblem,
  stochasticProblems,
} from './problems';

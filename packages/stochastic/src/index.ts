// @argmin/stochastic: composable stochastic and second-order optimizers.
export type {
  BatchTransformContext,
  BatchTransformOptimizerState,
  GradientSource,
} from './batch-optimizer';
export { batchTransformOptimizer } from './batch-optimizer';
export type { InjectState } from './inject';
export { injectHyperparams } from './inject';
export type { LabelledData, LargeStepState } from './large-step';
export { batchPerceptron, largeStepGradientDescent, logisticLoss, separableData } from './large-step';
export type { MfacState, MfacStaticState, ScaleByMfacState } from './mfac';
export {
  mfacApply,
  mfacDiagonal,
  mfacFromGradients,
  mfacOperator,
  mfacState,
  mfacStatic,
  mfacStaticApply,
  mfacStaticDiagonal,
  mfacStaticOperator,
  mfacUpdate,
  mfacUpdateAndApply,
  scaleByMfac,
} from './mfac';
export type { MultinomialLogisticRegression } from './multinomial';
export { multinomialLogisticRegression } from './multinomial';
export {
  adahessian,
  adahessianOptions,
  adam,
  adamOptions,
  adamw,
  adamwOptions,
  mfac,
  mfacOptions,
  proxSgdFromOptions,
  proxSgdOptions,
  sgd,
  sgdOptions,
} from './optimizers';
export type { LassoProblem, NoisyQuadratic } from './problems';
export {
  clusteredData,
  lasso,
  noisyQuadratic,
  scaledLogisticRegression,
} from './problems';
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

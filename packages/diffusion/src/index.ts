// @argmin/diffusion: noise schedules, exact Gaussian-mixture denoisers and fast diffusion samplers.

export { randomMixture, ringMixture } from './experiments/test-beds';
export {
  frechetDistance,
  modeOccupancy,
  referenceSolution,
  sampleMoments,
  sampleSinkhornDivergence,
  strongError,
} from './metrics';
export type { ProbabilityFlowOptions, ProbabilityFlowResult } from './models/flow-map';
export { gaussianFlowMap, probabilityFlow } from './models/flow-map';
export type {
  CovarianceInput,
  GaussianMixtureModel,
  GaussianMixtureOptions,
  PosteriorMixture,
} from './models/gaussian-mixture';
export { gaussianMixture, gaussianModel } from './models/gaussian-mixture';
export type { AsyncDenoiserModel, CountedModel, DenoiserModel, PredictionType } from './models/model';
export {
  asPrediction,
  assertPredictionType,
  biasedModel,
  classifierFreeGuidance,
  convertPrediction,
  countCalls,
} from './models/model';
export type {
  EvaluationRequest,
  GridState,
  SampleOptions,
  SampleResult,
  Sampler,
  SamplerDefinition,
  SamplingProblem,
  StepProgram,
} from './samplers/common';
export { dynamicThreshold, evaluate, makeSampler, runAsync, runSync } from './samplers/common';
export type { DdimOptions, DdimState, DdpmOptions } from './samplers/ddim';
export { ddim, ddimOptions, ddpm, ddpmOptions } from './samplers/ddim';
export type { DpmSolverOptions, DpmSolverState } from './samplers/dpm-solver';
export {
  dpmSolver,
  dpmSolverGrid,
  dpmSolverOptions,
  levelFromSigmaK,
  singlestepOrders,
} from './samplers/dpm-solver';
export type { LcmOptions, LcmState } from './samplers/lcm';
export { exactConsistencyModel, lcm, lcmBoundaryScalings, lcmOptions } from './samplers/lcm';
export type { PndmOptions, PndmState } from './samplers/pndm';
export { pndm, pndmOptions, pndmTransfer, referenceTransferLevel } from './samplers/pndm';
export type { Scheduler, SchedulerOptions } from './samplers/scheduler';
export { createScheduler } from './samplers/scheduler';
export type { TimeShiftOptions, TimeShiftState } from './samplers/time-shift';
export { sampleVariance, shiftedTimestep, timeShift, timeShiftOptions } from './samplers/time-shift';
export { vpCosineSchedule, vpLinearSchedule } from './schedules/continuous';
export type { DiscreteScheduleOptions } from './schedules/discrete';
export {
  betasForAlphaBar,
  discreteLevel,
  discreteSchedule,
  linspace,
  rescaleZeroTerminalSnr,
} from './schedules/discrete';
export type { BetaScheduleName, NoiseLevel, NoiseSchedule } from './schedules/schedule';
export { lambdaFromAlphaBar, levelFromAlphaBar, levelFromLambda } from './schedules/schedule';
export type { SkipType, TimestepSpacing } from './schedules/spacing';
export {
  continuousTimeGrid,
  ddimSequence,
  dpmSolverMultistepTimesteps,
  inferenceTimesteps,
  karrasSigmas,
  lcmTimesteps,
  pndmTimesteps,
  sigmaToTimestep,
} from './schedules/spacing';

// @argmin/core: the only public surface. Named exports; `export type` for types.

// composition
export type {
  GradientTransformation,
  LearningRate,
  TransformContext,
  TransformOptimizerState,
} from './compose/chain';
export { chain, scaleBy, scaleByLearningRate, transformOptimizer } from './compose/chain';
export type {
  MethodKinds,
  Pipeline,
  PipelineFile,
  PipelineRegistries,
  PipelineResult,
  PipelineStageRecord,
  ValidatedMethodStage,
  ValidatedMetricStage,
  ValidatedPipeline,
} from './compose/pipeline';
export {
  asResultBase,
  MAX_PIPELINE_BYTES,
  methodKinds,
  PIPELINE_ITERATION_CAP,
  parsePipelineText,
  pipelineSchema,
  runPipeline,
  scalarsOf,
  stopConditionFrom,
  stopWhenSchema,
  validatePipeline,
} from './compose/pipeline';
export type { SequenceState, Stage } from './compose/sequence';
export { sequence } from './compose/sequence';
export type { OptionIssue } from './errors/argmin-error';
// errors and validation
export {
  ArgminError,
  DuplicateIdError,
  hasMarker,
  InvalidArgumentError,
  InvalidOptionsError,
  MissingCapabilityError,
  PipelineError,
  ResourceLimitError,
  suggestOption,
  UnknownMethodError,
  UnsupportedSpecVersionError,
} from './errors/argmin-error';
export type { RunExperimentOptions } from './experiment/define-experiment';
export { defineExperiment, runExperiment, verdictFrom } from './experiment/define-experiment';
export type { CsrMatrix } from './linalg/csr-matrix';
export { csrFromDense, csrFromTriplets, csrMatrix, csrToDense, nnz } from './linalg/csr-matrix';
export type { DenseMatrix, MatrixLike, VecLike } from './linalg/dense-matrix';
export {
  cloneMatrix,
  denseMatrix,
  eye,
  fromRows,
  row,
  toDenseMatrix,
  toRows,
  toVec,
  transpose,
} from './linalg/dense-matrix';
export type { CholeskyFactorization, Factorization, LuFactorization } from './linalg/factorizations';
export { cholesky, lu, qr, solveDense, svd, symmetricEigen } from './linalg/factorizations';
export type { GemmOptions } from './linalg/gemm';
export { gemm } from './linalg/gemm';
export { gemv, gemvTransposed } from './linalg/gemv';
export { fromMlMatrix, toMlMatrix } from './linalg/interop';
export { allFinite, axpy, copy, dot, nrm2, nrmInf, scal, sub, sum } from './linalg/level1';
export { spmv, spmvTransposed } from './linalg/spmv';
export { assertCsrMatrix, assertDenseMatrix } from './linalg/validate-matrix';
// reference methods, problems and experiments shipped in core
export type {
  GradientDescentOptions,
  GradientDescentState,
  LbfgsOptions,
  LbfgsState,
  LineSearchOutcome,
  LineSearchWork,
  StrongWolfeOptions,
} from './methods/index';
export {
  gradientDescent,
  gradientDescentOptions,
  lbfgs,
  lbfgsOptions,
  strongWolfe,
} from './methods/index';
export {
  adjointOperator,
  composeOperators,
  csrOperator,
  denseOperator,
  diagonalOperator,
  hasTranspose,
  identityOperator,
  operatorFromFunction,
  operatorToDense,
  operatorTransposeToDense,
  scaleOperator,
  sumOperators,
  transposeOf,
  transposeOperator,
} from './operators/operators';
export { batchOf, drawWithReplacement } from './oracles/batch';
export type { CheckOptions, DerivativeCheck } from './oracles/check';
export { checkCrossHvp, checkGradient, checkHvp, checkJvp, checkVjp } from './oracles/check';
export type { CountedOracle } from './oracles/counted';
export { capabilitiesOf, counted, oracleCallsOf } from './oracles/counted';
export type { BlockCounts, CountedBlocks, CountedMap, MapCounts } from './oracles/counted-maps';
export { countedBlocks, countedMap } from './oracles/counted-maps';
// derivative products: vector-valued maps (JVP/VJP) and two-block functions g(x, y)
export type { FixedXCapabilities, FixedYCapabilities } from './oracles/derivatives';
export { crossHvpOperator, fixX, fixY, hessianOperator, jacobianOperator } from './oracles/derivatives';
export type { LeastSquaresProblem, LogisticRegressionProblem, QuadraticProblem } from './problems/index';
export {
  leastSquares,
  logisticRegression,
  quadratic,
  randomLeastSquares,
  randomLogisticRegression,
  randomQuadratic,
  rosenbrock,
} from './problems/index';
export { randomBilevelQuadratic, randomTwoBlock } from './problems/two-block';
export type { CreatedBy, IdsOf, OptionsInput, PluginOf, Registry } from './registry/create-registry';
export { createRegistry } from './registry/create-registry';
export { areaOf, defineMethod } from './registry/define-method';
export { defineMetric, defineStage } from './registry/define-metric';
export { defineProblem, problemKind } from './registry/define-problem';
export type { OptionDescription } from './registry/options';
export { describeOptions, optionKeys, parseOptions } from './registry/options';
export type { ResourceLimits } from './resources/budget';
export { assertAllocation, resourceLimits, setResourceLimits } from './resources/budget';
// randomness
export type { Rng, RngState } from './rng/rng';
export { createRng, createRngFromArray, deriveRng, restoreRng } from './rng/rng';
export { now as monotonicNow } from './solve/clock';
export type { ResultBase, SolveResult, Trace } from './solve/result';
export { traceOf } from './solve/result';
export type { AbortSignalLike, Observer, SolveOptions, StateGuardHint, StepEvent } from './solve/solve';
export { iterate, solve } from './solve/solve';
export type { StopCondition, StopContext, StopDecision } from './solve/stop-when';
export {
  allOf,
  anyOf,
  maxIterations,
  metricAbove,
  metricBelow,
  oracleCallsAbove,
  relativeChangeBelow,
  unboundedIterationCap,
  wallTimeAbove,
} from './solve/stop-when';
export type {
  BilevelProblem,
  BlockCapability,
  BlockExtras,
  BlockMethods,
  MapCapability,
  TwoBlockFunction,
  VectorMap,
  VectorMapMethods,
} from './spec/derivatives';
export type {
  Cell,
  Experiment,
  ExperimentContext,
  ExperimentReport,
  PlotSpec,
  Series,
  Verdict,
} from './spec/experiment';
// operators
export type { Operator, OperatorTraits } from './spec/operator';
// optimizers and the run loop
export type {
  Optimizer,
  OptimizerContext,
  ProblemOf,
  SolveStatus,
  SolveWarning,
  StateOf,
  StepInfo,
  StepResult,
} from './spec/optimizer';
// oracles
export type { Batch, Capability, CapabilityMethods, Oracle, OracleCounts, OracleExtras } from './spec/oracle';
export { capabilities } from './spec/oracle';
// plugins, registry, experiments
export type {
  AnyMethodPlugin,
  AnyMetricPlugin,
  AnyProblemPlugin,
  MethodMeta,
  MethodPlugin,
  MetricInput,
  MetricMeta,
  MetricPlugin,
  ProblemInstance,
  ProblemMeta,
  ProblemPlugin,
  Reference,
  StageBinding,
  StageInput,
} from './spec/plugin';
export { SPEC_VERSION } from './spec/plugin';
// vectors, matrices, kernels
export type { Vec } from './spec/vec';
export { vec, zeros } from './spec/vec';
// tasks (serializable units of work for runners: in-process, worker threads, queues)
export type { ExecuteOptions, TaskFunction, TaskFunctionContext, TaskRegistries } from './task/execute';
export { executeTask } from './task/execute';
export { sha256Hex } from './task/hash';
export type { Json, SweepSpec, Task, TaskEnvironment, TaskRecord, TaskSpec } from './task/task';
export { canonicalJson, defineTask, expandSweep, toJsonValue } from './task/task';
export {
  assertFinite,
  assertInteger,
  assertLength,
  assertNonNegative,
  assertPositive,
  assertVec,
  invalidArgument,
} from './validate/validate';
// kernel backends: JS reference kernels and f64x2 SIMD WebAssembly kernels (src/wasm/README.md)
export type { KernelBackendName, LinalgKernels } from './wasm/backend';
export {
  jsKernels,
  kernelBackend,
  kernels,
  setKernelBackend,
  WasmF64,
  WasmHeap,
  wasmAvailable,
  wasmHeap,
  wasmKernels,
  wasmUnavailableReason,
} from './wasm/backend';

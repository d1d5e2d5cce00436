export type { ChebCbOptions, ChebCbState } from './bandits/chebcb';
export { chebCb, chebyshevFeatures } from './bandits/chebcb';
export type {
  NormalizerStart,
  OmegaLearner,
  TsallisInfContextualOptions,
  TsallisInfOptions,
  TsallisInfState,
} from './bandits/tsallis-inf';
export {
  defaultOmegaGrid,
  tsallisInf,
  tsallisInfContextual,
  tsallisProbabilities,
} from './bandits/tsallis-inf';
export type { BicgstabState } from './krylov/bicgstab';
export { bicgstab, bicgstabMachine, bicgstabOptimizer } from './krylov/bicgstab';
export type { CgOptions, CgState } from './krylov/cg';
export { cg, cgMachine, cgOptimizer } from './krylov/cg';
export type {
  KrylovMachine,
  KrylovOptimizerState,
  KrylovOptions,
  LinearProblem,
  LinearSolveResult,
  MachineState,
  OptimizerKrylovOptions,
} from './krylov/driver';
export { machineOptimizer, runMachine } from './krylov/driver';
export type { GmresOptions, GmresState } from './krylov/gmres';
export { gmres, gmresMachine, gmresOptimizer } from './krylov/gmres';
export type { MinresOptions, MinresState } from './krylov/minres';
export { minres, minresMachine, minresOptimizer } from './krylov/minres';
export type { CglsOptions, CglsResult } from './least-squares/cgls';
export { cgls } from './least-squares/cgls';
export type { LsqrOptions, LsqrResult, LsqrStopReason } from './least-squares/lsqr';
export { lsqr } from './least-squares/lsqr';
export {
  bicgstabCallOptions,
  cgCallOptions,
  cglsOptions,
  chebCbOptions,
  gcroDrCallOptions,
  gcrotCallOptions,
  gmresCallOptions,
  kaczmarzOptions,
  lsqrOptions,
  minresCallOptions,
  sketchAndProjectOptions,
  sketchPreconditionedLsqrOptions,
  solveSequenceOptions,
  stationaryOptions,
  tsallisInfContextualOptions,
  tsallisInfOptions,
} from './options';
export type {
  GcrotSolver,
  LeastSquaresSolver,
  RecyclingSolver,
  SequenceSolver,
  SketchingSolver,
} from './plugins';
export {
  bicgstabOptions,
  cgOptions,
  gcroDrOptions,
  gcrotOptions,
  gmresOptions,
  minresOptions,
  skrOptions,
  sorBanditOptions,
} from './plugins';
export {
  ic0Preconditioner,
  ilu0Preconditioner,
  jacobiPreconditioner,
  ssorPreconditioner,
} from './preconditioners/preconditioners';
export { fivePointCsr, fivePointOperator } from './problems/grid';
export type {
  DarcyOptions,
  HeatEquation,
  HeatEquationOptions,
  LinearSystem,
  ShiftedLaplacianOptions,
} from './problems/pde';
export {
  darcySequence,
  darcySystem,
  heatEquation,
  helmholtzSequence,
  helmholtzSystem,
  poisson2d,
  poisson2dStencil,
  shiftedLaplacianSequence,
} from './problems/pde';
export { gaussianRandomField, sampleBeta, sampleGamma } from './problems/random-field';
export type { GcroDrOptions, GcroDrResult, RecycleSpace } from './recycling/gcro-dr';
export { gcroDr, harmonicRitzVectors, recycleSpaceDefects } from './recycling/gcro-dr';
export type { GcrotOptions, GcrotRecycleSpace, GcrotResult } from './recycling/gcrot';
export { gcrot } from './recycling/gcrot';
export type { FftGraySortOptions } from './sequence/fft-gray-sort';
export { fftGraySort } from './sequence/fft-gray-sort';
export type { SequenceEntry, SequenceResult, SolveSequenceOptions } from './sequence/solve-sequence';
export { greedySort, pathLength, solveSequence } from './sequence/solve-sequence';
export type {
  KaczmarzOptions,
  SketchAndProjectOptions,
  SketchingResult,
  SketchPreconditionedLsqrOptions,
  SketchPreconditionedLsqrResult,
} from './sketching/sketching';
export { randomizedKaczmarz, sketchAndProject, sketchPreconditionedLsqr } from './sketching/sketching';
export type { StationaryOptions, StationaryResult } from './stationary/stationary';
export { gaussSeidel, jacobi, sor, ssor, youngOmega } from './stationary/stationary';
export type { MatrixLike } from './validate';

// @argmin/bilevel: bilevel optimization — hypergradients, penalty methods, BO-REP, LV-HBA, BSVRB.

export type {
  EstimatorWorkspace,
  HypergradientEstimator,
  HypergradientReport,
} from './hypergradient/estimators';
export { estimatorWorkspace, hypergradient } from './hypergradient/estimators';
export { exactHypergradient, exactHyperValue, exactLowerSolution, lowerHessian } from './hypergradient/exact';
export type { IhvpOptions, IhvpReport, IhvpSolver, IhvpWorkspace, Matvec } from './hypergradient/ihvp';
export { ihvpWorkspace, solveIhvp } from './hypergradient/ihvp';
export type { BoRepOptions, BoRepState } from './methods/bo-rep';
export { boRep, boRepOptions } from './methods/bo-rep';
export type { BsvrbOptions, BsvrbState } from './methods/bsvrb';
export { bsvrb, bsvrbOptions } from './methods/bsvrb';
export type { HypergradientDescentOptions, HypergradientDescentState } from './methods/hypergradient-descent';
export { hypergradientDescent, hypergradientDescentOptions } from './methods/hypergradient-descent';
export type { LvHbaOptions, LvHbaState } from './methods/lv-hba';
export { lvHba, lvHbaOptions } from './methods/lv-hba';
export type { PenaltyOptions, PenaltyState } from './methods/penalty';
export { penaltyMethod, penaltyOptions } from './methods/penalty';
export type {
  BilevelOracle,
  ConstrainedBilevelOracle,
  MultiBlockBilevelOracle,
} from './problem/bilevel-oracle';
export { assertBilevelOracle } from './problem/bilevel-oracle';
export type { BilevelDerivativeCheck } from './problem/check';
export { checkBilevelOracle } from './problem/check';
export { lowerLevelOf, toBilevelOracle } from './problem/from-two-block';
export { coupledConstraintToy } from './problems/coupled-constraint-toy';
export type { GlmLoss } from './problems/glm';
export type { RepresentationData } from './problems/hyper-representation';
export { hyperRepresentation, spiralRegression } from './problems/hyper-representation';
export type { SplitData } from './problems/hyperparameter';
export { hyperparameterProblem, randomSplitData } from './problems/hyperparameter';
export type { MultiTaskCleaning } from './problems/multi-task-cleaning';
export { multiTaskCleaning } from './problems/multi-task-cleaning';
export { noisyBilevel } from './problems/noisy';
export type { PenaltyToy } from './problems/penalty-toy';
export { penaltyToy } from './problems/penalty-toy';
export { unboundedSmoothnessToy } from './problems/unbounded-smoothness-toy';

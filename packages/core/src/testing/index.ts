// @argmin/core/testing: the conformance suite for method plugins, assertion helpers and reference problems.

export type { CheckOptions, DerivativeCheck } from '../oracles/check';
export { checkCrossHvp, checkGradient, checkHvp, checkJvp, checkVjp } from '../oracles/check';
export type { LeastSquaresProblem, LogisticRegressionProblem, QuadraticProblem } from '../problems/index';
export {
  leastSquares,
  logisticRegression,
  quadratic,
  randomLeastSquares,
  randomLogisticRegression,
  randomQuadratic,
  rosenbrock,
} from '../problems/index';
export { randomBilevelQuadratic, randomTwoBlock } from '../problems/two-block';
export type { ArrayMutation, InvalidOption, RobustOptions, RobustOutcome } from './bad-input';
export {
  arrayMutationArbitrary,
  checkRobust,
  deadlineSignal,
  failureStatuses,
  findNonFinite,
  invalidOptionsArbitrary,
  invalidValuesFor,
  nonFiniteOracleArbitrary,
  robustnessParameters,
  snapshotValue,
  turnsNonFinite,
  wrongKindArbitrary,
} from './bad-input';
export type { ConformanceCase } from './describe-method-conformance';
export { describeMethodConformance } from './describe-method-conformance';
export { expectAllClose } from './expect-all-close';
export type {
  MinibatchCheck,
  MinibatchConformanceOptions,
  MinibatchOracle,
} from './minibatch-conformance';
export { describeMinibatchConformance, minibatchChecks } from './minibatch-conformance';
export type { ResultBaseExpectations } from './result-base';
export { assertResultBase, solveStatuses } from './result-base';
export type { TwoBlockCheck, TwoBlockConformanceOptions } from './two-block-conformance';
export { describeTwoBlockConformance, twoBlockChecks } from './two-block-conformance';

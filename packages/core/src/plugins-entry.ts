// @argmin/core/plugins: the reference method and problem plugins shipped in core (for createRegistry,
// the CLI and the docs). The package root exports the functions (`lbfgs`, `rosenbrock`, ...).
export { corePlugins, gradientDescentPlugin, lbfgsPlugin } from './methods/index';
export {
  coreProblems,
  leastSquaresProblem,
  logisticRegressionProblem,
  quadraticProblem,
  rosenbrockProblem,
} from './problems/index';

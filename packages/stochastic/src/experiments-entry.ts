// @argmin/stochastic/experiments: the paper reproductions of this package (for runExperiment, the CLI and the docs).
export { stochasticExperiments } from './experiments/experiments';

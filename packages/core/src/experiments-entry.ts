// @argmin/core/experiments: the paper reproductions shipped in core (for runExperiment, the CLI and the docs).
export { coreExperiments, lbfgsVsGradientDescent } from './experiments/index';

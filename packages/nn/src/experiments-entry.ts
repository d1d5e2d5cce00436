// @argmin/nn/experiments: the paper reproductions of this package (for runExperiment, the CLI and the docs).
export { nnExperiments, trainMlpExperiment } from './experiments/train-mlp';

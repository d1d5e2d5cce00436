// @argmin/ot/experiments: the paper reproductions of this package (for runExperiment, the CLI and the docs).
export { otExperiments, snsVsSinkhornExperiment } from './experiments/sns-vs-sinkhorn';

// @argmin/linsolve/experiments: the paper reproductions of this package (for runExperiment, the CLI and the docs).
export { linsolveExperiments } from './experiments/index';
export { learningToRelaxExperiment } from './experiments/learning-to-relax';
export { skrSpeedupExperiment } from './experiments/skr-speedup';

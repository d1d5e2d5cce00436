// @argmin/linsolve/experiments: the paper reproductions of this package (for runExperiment, the CLI and the docs).
export { linsolveExperiments } from './experiments/index';
export type { LearningToRelaxSize } from './experiments/learning-to-relax';
export { learningToRelaxExperiment, runLearningToRelax } from './experiments/learning-to-relax';
export { skrSpeedupExperiment } from './experiments/skr-speedup';

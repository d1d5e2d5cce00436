// @argmin/bilevel/experiments: the paper reproductions of this package (for runExperiment, the CLI and the docs).
export {
  bilevelExperiments,
  boRepExperiment,
  bsvrbSpeedupExperiment,
  lvHbaExperiment,
  penaltyExperiment,
} from './experiments/index';

// @argmin/nn: small float64 neural networks as Oracles.
export type { Activation, ActivationName } from './activations';
export { activation, activationNames } from './activations';
export { gaussianClusters, twoSpirals } from './datasets';
export { erf } from './erf';
export { nnExperiments, trainMlpExperiment } from './experiments/train-mlp';
export type { Layer, LayerSpec, ParameterBlock, ParameterKind } from './layers';
export type { Loss, LossName } from './losses';
export { loss, lossNames } from './losses';
export type { MlpOptions } from './mlp';
export { mlp, mlpSpec } from './mlp';
export type { Initializer, NetworkSpec, ParameterView, PassOptions } from './network';
export { initializers, Network } from './network';
export type { Dataset, NetworkOracle, NetworkOracleOptions } from './oracle';
export { asOracle } from './oracle';
export { nnProblems, twoSpiralsMlpProblem } from './problems';
export type { SavedNetwork } from './serialize';
export { loadNetwork, saveNetwork } from './serialize';

/** Method plugins of this package: none (networks are problems; train them with any optimizer). */
export const nnPlugins = [] as const;

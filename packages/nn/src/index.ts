// @argmin/nn: small float64 neural networks as Oracles.
export type { Activation, ActivationName } from './activations';
export { activation, activationNames } from './activations';
export { gaussianClusters, twoSpirals } from './datasets';
export { erf } from './erf';
export type { Layer, LayerSpec, ParameterBlock, ParameterKind } from './layers';
export type { Loss, LossName } from './losses';
export { loss, lossNames } from './losses';
export type { MlpOptions } from './mlp';
export { mlp, mlpSpec } from './mlp';
export type { Initializer, NetworkSpec, ParameterView, PassOptions } from './network';
export { initializers, Network } from './network';
export type { Dataset, NetworkOracle, NetworkOracleOptions } from './oracle';
export { asOracle } from './oracle';
export type { SavedNetwork } from './serialize';
export { loadNetwork, saveNetwork } from './serialize';

// @argmin/diffusion/experiments: the paper reproductions of this package (for runExperiment, the CLI and the docs).
export { fewStepSamplersExperiment } from './experiments/few-step-samplers';
export { guidedThresholdingExperiment } from './experiments/guided-thresholding';
export { diffusionExperiments } from './experiments/index';
export { lcmMultistepExperiment } from './experiments/lcm-multistep';
export { timeShiftExperiment } from './experiments/time-shift';

import { fewStepSamplersExperiment } from './few-step-samplers';
import { guidedThresholdingExperiment } from './guided-thresholding';
import { lcmMultistepExperiment } from './lcm-multistep';
import { timeShiftExperiment } from './time-shift';

/** Registered reproductions of `@argmin/diffusion`. */
export const diffusionExperiments = [
  fewStepSamplersExperiment,
  guidedThresholdingExperiment,
  timeShiftExperiment,
  lcmMultistepExperiment,
] as const;

import { fewStepSamplersExperiment } from './few-step-samplers';
import { guidedThresholdingExperiment } from './guided-thresholding';

/** Registered reproductions of `@argmin/diffusion`. */
export const diffusionExperiments = [fewStepSamplersExperiment, guidedThresholdingExperiment] as const;

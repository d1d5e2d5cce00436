import { learningToRelaxExperiment } from './learning-to-relax';
import { skrSpeedupExperiment } from './skr-speedup';

export const linsolveExperiments = [skrSpeedupExperiment, learningToRelaxExperiment] as const;

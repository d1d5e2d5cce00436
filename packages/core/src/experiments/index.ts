import { lbfgsVsGradientDescent } from './lbfgs-vs-gd';

export { lbfgsVsGradientDescent } from './lbfgs-vs-gd';

/** Core reproductions. */
export const coreExperiments = [lbfgsVsGradientDescent] as const;

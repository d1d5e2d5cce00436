import { gradientDescentPlugin } from './gradient-descent';
import { lbfgsPlugin } from './lbfgs';

export type { GradientDescentOptions, GradientDescentState } from './gradient-descent';
export { gradientDescent, gradientDescentOptions, gradientDescentPlugin } from './gradient-descent';
export type { LbfgsOptions, LbfgsState } from './lbfgs';
export { lbfgs, lbfgsOptions, lbfgsPlugin } from './lbfgs';
export type { LineSearchOutcome, LineSearchWork, StrongWolfeOptions } from './line-search';
export { strongWolfe } from './line-search';

/** The reference methods shipped in core: the canonical example plugins. */
export const corePlugins = [gradientDescentPlugin, lbfgsPlugin] as const;

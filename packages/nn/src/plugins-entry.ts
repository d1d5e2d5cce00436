// @argmin/nn/plugins: the problem plugins of this package (for createRegistry, the CLI and the docs).
export { nnProblems, twoSpiralsMlpProblem } from './problems';

/** Method plugins of this package: none (networks are problems; train them with any optimizer). */
export const nnPlugins = [] as const;

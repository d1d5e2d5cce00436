// @argmin/ot/plugins: the method plugins of this package and its pipeline problems, stages and metrics
// (for createRegistry, pipelines, the CLI and the docs). The package root exports the functions.
export type { OtSolver } from './plugins';
export { emdPlugin, otMetrics, otPlugins, otProblems, otStages, sinkhornPlugin, snsPlugin } from './plugins';

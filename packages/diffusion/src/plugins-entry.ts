// @argmin/diffusion/plugins: the sampler and problem plugins of this package and its pipeline stages and
// metrics (for createRegistry, pipelines, the CLI and the docs). The package root exports the functions.
export {
  ddimPlugin,
  ddpmPlugin,
  diffusionMetrics,
  diffusionPipelineProblems,
  diffusionPlugins,
  diffusionStages,
  dpmSolverPlugin,
  lcmPlugin,
  pndmPlugin,
  timeShiftPlugin,
} from './plugins';
export { diffusionProblems, gaussianMixtureProblem, ringMixtureProblem } from './problems';

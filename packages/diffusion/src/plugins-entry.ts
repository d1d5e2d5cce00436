// @argmin/diffusion/plugins: the sampler and problem plugins of this package (for createRegistry, the CLI and the docs).
export {
  ddimPlugin,
  ddpmPlugin,
  diffusionPlugins,
  dpmSolverPlugin,
  lcmPlugin,
  pndmPlugin,
  timeShiftPlugin,
} from './plugins';
export { diffusionProblems, gaussianMixtureProblem, ringMixtureProblem } from './problems';

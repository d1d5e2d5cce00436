// @argmin/linsolve/plugins: the method plugins of this package and its pipeline problems, stages and
// metrics (for createRegistry, pipelines, the CLI and the docs). The package root exports the functions.
export {
  bicgstabPlugin,
  cgPlugin,
  gcroDrPlugin,
  gcrotPlugin,
  gmresPlugin,
  linsolveMetrics,
  linsolvePlugins,
  linsolveProblems,
  linsolveStages,
  minresPlugin,
  skrPlugin,
  sorBanditPlugin,
} from './plugins';

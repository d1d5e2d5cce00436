// @argmin/linsolve/plugins: the method plugins of this package and its pipeline problems, stages and
// metrics (for createRegistry, pipelines, the CLI and the docs). The package root exports the functions.
export {
  bicgstabPlugin,
  cglsPlugin,
  cgPlugin,
  gcroDrPlugin,
  gcrotPlugin,
  gmresPlugin,
  linsolveMetrics,
  linsolvePlugins,
  linsolveProblems,
  linsolveStages,
  lsqrPlugin,
  minresPlugin,
  randomizedKaczmarzPlugin,
  sketchAndProjectPlugin,
  skrPlugin,
  sorBanditPlugin,
} from './plugins';

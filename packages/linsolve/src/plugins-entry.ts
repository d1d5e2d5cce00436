// @argmin/linsolve/plugins: the method plugins of this package (for createRegistry, the CLI and the docs).
export {
  bicgstabPlugin,
  cgPlugin,
  gcroDrPlugin,
  gcrotPlugin,
  gmresPlugin,
  linsolvePlugins,
  minresPlugin,
  skrPlugin,
  sorBanditPlugin,
} from './plugins';

// @argmin/bilevel/plugins: the method plugins of this package (for createRegistry, the CLI and the docs).
export { bilevelPlugins } from './plugins';

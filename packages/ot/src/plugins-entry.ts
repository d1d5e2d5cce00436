// @argmin/ot/plugins: the method plugins of this package (for createRegistry, the CLI and the docs).
export type { OtSolver } from './plugins';
export { emdPlugin, otPlugins, sinkhornPlugin, snsPlugin } from './plugins';

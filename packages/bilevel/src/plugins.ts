import { boRepPlugin } from './methods/bo-rep';
import { bsvrbPlugin } from './methods/bsvrb';
import { hypergradientDescentPlugin } from './methods/hypergradient-descent';
import { lvHbaPlugin } from './methods/lv-hba';
import { penaltyPlugin } from './methods/penalty';

export { boRepPlugin, bsvrbPlugin, hypergradientDescentPlugin, lvHbaPlugin, penaltyPlugin };

/** Every method plugin of @argmin/bilevel, for `createRegistry([...bilevelPlugins])`. */
export const bilevelPlugins = [
  hypergradientDescentPlugin,
  penaltyPlugin,
  boRepPlugin,
  lvHbaPlugin,
  bsvrbPlugin,
] as const;

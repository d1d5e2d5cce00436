import { boRepExperiment } from './bo-rep';
import { bsvrbSpeedupExperiment } from './bsvrb-speedup';
import { lvHbaExperiment } from './lv-hba';
import { penaltyExperiment } from './penalty';

export { boRepExperiment, bsvrbSpeedupExperiment, lvHbaExperiment, penaltyExperiment };

/** Every reproduction of @argmin/bilevel. */
export const bilevelExperiments = [
  penaltyExperiment,
  boRepExperiment,
  lvHbaExperiment,
  bsvrbSpeedupExperiment,
] as const;

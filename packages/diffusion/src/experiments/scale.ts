import type { Experiment, ExperimentContext, ExperimentReport } from '@argmin/core';

/**
 * The three sizes of a diffusion experiment: 'full' and 'quick' are `pnpm repro`'s sizes (the
 * experiment's `context.size`); 'test' is a reduced size for the unit tests only (the same code path,
 * grids and comparisons, fewer samples), so that each test runs in a few seconds while the verdict is
 * still computed from the rows it produces.
 */
export type ExperimentScale = 'test' | 'quick' | 'full';

/**
 * The same experiment run at another scale (for tests): the definition's run function with `scale`
 * in place of `context.size`.
 */
export function atScale<Id extends string>(
  experiment: Experiment<Id>,
  run: (context: ExperimentContext, scale: ExperimentScale) => ExperimentReport | Promise<ExperimentReport>,
  scale: ExperimentScale,
): Experiment<Id> {
  return { ...experiment, run: (context) => run(context, scale) };
}

import { defineMethod } from '@argmin/core';
import { emd, emdOptions } from './emd/emd';
import type { OtResult } from './result';
import { sinkhorn, sinkhornOptions } from './sinkhorn/sinkhorn';
import { type SnsResult, sns, snsOptions } from './sns/sns';
import type { CostInput, WeightsInput } from './validate';

/** What an OT plugin creates: a solver of (a, b, cost) with the options bound. */
export interface OtSolver<R extends OtResult = OtResult> {
  readonly id: string;
  /** Weights as Float64Array, number[] or [] (uniform); the cost as a DenseMatrix or number[][]. */
  solve(a: WeightsInput, b: WeightsInput, cost: CostInput): R;
}

const sinkhornPaper = {
  title: 'Sinkhorn Distances: Lightspeed Computation of Optimal Transport',
  authors: 'M. Cuturi',
  year: 2013,
  arxiv: '1306.0895',
};

export const sinkhornPlugin = defineMethod({
  meta: {
    id: 'ot/sinkhorn',
    title:
      'Sinkhorn for entropic optimal transport (POT semantics: standard, log, stabilized, epsilon-scaling)',
    description:
      'Matrix scaling for entropic OT with POT’s four variants, warm starts and stopping rules; underflow is reported with advice.',
    references: [sinkhornPaper],
    kind: 'solver',
  },
  options: sinkhornOptions,
  create: (options): OtSolver => ({
    id: 'ot/sinkhorn',
    solve: (a, b, cost) => sinkhorn(a, b, cost, options),
  }),
  example: 'examples/sinkhorn-point-clouds.ts',
});

export const snsPlugin = defineMethod({
  meta: {
    id: 'ot/sns',
    title: 'Sinkhorn-Newton-Sparse',
    description:
      'Stabilized Sinkhorn warm-up, then Newton steps on the dual with the Hessian sparsified to the largest λ·n·m entries of P, the gradient projected off its null vector, and inexact preconditioned CG.',
    references: [
      {
        title: 'Accelerating Sinkhorn Algorithm with Sparse Newton Iterations',
        authors: 'X. Tang et al.',
        year: 2024,
        arxiv: '2401.12253',
      },
    ],
    kind: 'solver',
  },
  options: snsOptions,
  create: (options): OtSolver<SnsResult> => ({
    id: 'ot/sns',
    solve: (a, b, cost) => sns(a, b, cost, options),
  }),
  example: 'examples/sns-vs-sinkhorn.ts',
});

export const emdPlugin = defineMethod({
  meta: {
    id: 'ot/emd',
    title: 'Exact optimal transport by the network simplex',
    description: 'The earth mover’s distance: the transportation LP solved exactly (POT’s ot.emd).',
    references: [
      {
        title: 'Displacement interpolation using Lagrangian mass transport',
        authors: 'N. Bonneel, M. van de Panne, S. Paris, W. Heidrich',
        year: 2011,
        url: 'https://doi.org/10.1145/2070781.2024192',
      },
    ],
    kind: 'solver',
  },
  options: emdOptions,
  create: (options): OtSolver => ({ id: 'ot/emd', solve: (a, b, cost) => emd(a, b, cost, options) }),
  example: 'examples/emd-exact.ts',
});

export const otPlugins = [sinkhornPlugin, snsPlugin, emdPlugin] as const;

/** Pipeline problems, stage bindings and metrics of `@argmin/ot`. */
export { otMetrics, otProblems, otStages } from './problems/index';

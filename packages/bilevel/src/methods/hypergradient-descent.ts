import { defineMethod, type Optimizer, type OptimizerContext, type Vec } from '@argmin/core';
import { z } from 'zod';
import {
  type EstimatorWorkspace,
  estimatorWorkspace,
  type HypergradientEstimator,
  hypergradient,
} from '../hypergradient/estimators';
import { assertBilevelOracle, assertVector, type BilevelOracle } from '../problem/bilevel-oracle';
import { allFinite, drawBatches, lowerSteps, norm, numericalError, parse } from './common';

export const hypergradientDescentOptions = z.strictObject({
  stepSize: z.number().positive().finite().default(0.1).describe('Upper step η: x ← Proj_X(x − η ∇̂Φ(x)).'),
  innerSteps: z
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(10)
    .describe(
      'Lower-level gradient steps T per upper step, warm-started from the previous y (for the unrolled estimator these are the unrolled steps).',
    ),
  innerStepSize: z.number().positive().finite().default(0.1).describe('Lower-level step β.'),
  estimator: z
    .enum(['implicit', 'unrolled'])
    .default('implicit')
    .describe(
      "'implicit': approximate implicit differentiation (AID) through ∇_y g = 0; 'unrolled': iterative differentiation (ITD) through the inner steps.",
    ),
  linearSolver: z
    .enum(['cg', 'neumann', 'sgd-quadratic'])
    .default('cg')
    .describe(
      'IHVP solver of the implicit estimator: CG (@argmin/linsolve), Neumann series (betty), SGD on the quadratic (SOBA).',
    ),
  linearIterations: z
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(20)
    .describe('CG iteration cap, Neumann terms beyond the first, or SGD steps.'),
  linearStepSize: z
    .number()
    .positive()
    .finite()
    .default(0.1)
    .describe('Neumann α or SGD-quadratic step (needs α‖∇²_yy g‖ < 1 for Neumann).'),
  linearTolerance: z.number().positive().default(1e-10).describe('CG relative residual tolerance.'),
  warmStart: z.boolean().default(true).describe('Warm-start the IHVP solution (CG, SGD) across upper steps.'),
  stochastic: z
    .boolean()
    .default(false)
    .describe(
      'Evaluate every oracle on minibatches drawn from the run Rng (the problem must provide drawUpperBatch/drawLowerBatch).',
    ),
});
export type HypergradientDescentOptions = z.input<typeof hypergradientDescentOptions>;

/** State of hypergradient descent: the lower iterate and every buffer (allocated once). */
export interface HypergradientDescentState {
  readonly y: Vec;
  readonly direction: Vec;
  readonly next: [Vec, Vec];
  readonly scratch: Vec;
  readonly workspace: EstimatorWorkspace;
  iteration: number;
  hvps: number;
  lowerGradients: number;
  /** An inexact IHVP solve was reported (once per run). */
  warned: boolean;
}

/** The estimator a method's options describe. */
export function estimatorFrom(options: z.output<typeof hypergradientDescentOptions>): HypergradientEstimator {
  return options.estimator === 'unrolled'
    ? { kind: 'unrolled', steps: options.innerSteps, stepSize: options.innerStepSize }
    : {
        kind: 'implicit',
        ihvp: {
          solver: options.linearSolver,
          iterations: options.linearIterations,
          alpha: options.linearStepSize,
          tolerance: options.linearTolerance,
          warmStart: options.warmStart,
        },
      };
}

/**
 * Hypergradient descent on Φ(x) = f(x, y*(x)): T lower steps warm-started from the previous y, a
 * hypergradient estimate (implicit with CG / Neumann / SGD-quadratic, or unrolled), then
 * x ← Proj_X(x − η ∇̂Φ). With `stochastic: true` every oracle is a minibatch (stocBiO / AID-SGD, the
 * baseline the bilevel papers compare against). The lower iterate y and the IHVP warm start live in
 * the state; y starts at zero.
 *
 * Info per step: `hypergradNorm` ‖∇̂Φ‖, `value` f(x, y), `lowerGradNorm` ‖∇_y g(x, y)‖ after the inner
 * steps, `hvps` and `lowerGradients` (cumulative oracle counts), `ihvpResidual` (CG's relative residual, CG only).
 */
export function hypergradientDescent(
  options: HypergradientDescentOptions = {},
): Optimizer<BilevelOracle, HypergradientDescentState> {
  const id = 'bilevel/hypergradient-descent';
  const o = parse(id, hypergradientDescentOptions, options);
  const estimator = estimatorFrom(o);
  return {
    id,
    init(x0, problem) {
      assertBilevelOracle(id, problem);
      assertVector(id, 'x0', x0, problem.dimX);
      const { dimX, dimY } = problem;
      return {
        y: new Float64Array(dimY),
        direction: new Float64Array(dimX),
        next: [new Float64Array(dimX), new Float64Array(dimX)],
        scratch: new Float64Array(dimY),
        workspace: estimatorWorkspace(estimator, dimX, dimY),
        iteration: 0,
        hvps: 0,
        lowerGradients: 0,
        warned: false,
      };
    },
    step(x, state, problem, context: OptimizerContext) {
      const { y, direction, scratch, workspace } = state;
      if (estimator.kind === 'implicit') {
        lowerSteps(problem, x, y, o.innerSteps, o.innerStepSize, scratch, context.rng, o.stochastic);
        state.lowerGradients += o.innerSteps;
      }
      const { upper, lower } = drawBatches(problem, context.rng, o.stochastic);
      const report = hypergradient(problem, x, y, direction, estimator, workspace, upper, lower);
      state.hvps += report.hvps;
      state.lowerGradients += report.lowerGradients;
      if (!report.converged && !state.warned) {
        state.warned = true;
        context.warn({
          type: 'inner-solver',
          message: `${id}: the IHVP solver (CG) stopped at ${o.linearIterations} iterations before its tolerance ${o.linearTolerance} (relative residual ${report.relativeResidual?.toExponential(2)}); the hypergradient is approximate. Raise linearIterations.`,
        });
      }
      if (!allFinite(direction) || !allFinite(y))
        return numericalError(x, state, 'the hypergradient estimate');
      const out = state.next[state.iteration % 2];
      for (let i = 0; i < x.length; i++) out[i] = x[i] - o.stepSize * direction[i];
      problem.projectX?.(out);
      state.iteration++;
      problem.lowerGradY(out, y, scratch);
      return {
        x: out,
        state,
        info: {
          hypergradNorm: norm(direction),
          value: problem.upperValue(out, y),
          lowerGradNorm: norm(scratch),
          hvps: state.hvps,
          lowerGradients: state.lowerGradients,
          // Only CG measures its residual (a NaN metric would read as numerical trouble).
          ...(report.relativeResidual !== undefined ? { ihvpResidual: report.relativeResidual } : {}),
        },
      };
    },
  };
}

export const hypergradientDescentPlugin = defineMethod({
  meta: {
    id: 'bilevel/hypergradient-descent',
    title: 'Hypergradient descent (implicit differentiation or unrolling)',
    description:
      'The baseline of the bilevel papers: warm-started lower-level gradient steps, a hypergradient by approximate implicit differentiation (CG, Neumann, SGD on the quadratic) or by unrolled differentiation, and a projected upper step.',
    references: [
      {
        title: 'Approximation Methods for Bilevel Programming',
        authors: 'S. Ghadimi, M. Wang',
        year: 2018,
        arxiv: '1802.02246',
      },
      {
        title: 'Bilevel Optimization: Convergence Analysis and Enhanced Design (stocBiO)',
        authors: 'K. Ji, J. Yang, Y. Liang',
        year: 2021,
        arxiv: '2010.07962',
      },
    ],
    needs: [],
    kind: 'optimizer',
  },
  options: hypergradientDescentOptions,
  create: (options) => hypergradientDescent(options),
});

import { defineMethod, type Optimizer, type OptimizerContext, type Vec } from '@argmin/core';
import { z } from 'zod';
import {
  type IhvpOptions,
  type IhvpReport,
  type IhvpWorkspace,
  ihvpWorkspace,
  solveIhvp,
} from '../hypergradient/ihvp';
import { assertBilevelOracle, assertVector, type BilevelOracle } from '../problem/bilevel-oracle';
import { allFinite, lowerSteps, norm, numericalError, parse } from './common';

export const boRepOptions = z.strictObject({
  stepSize: z.number().positive().finite().default(0.01).describe('Upper step η: x ← x − η m/‖m‖.'),
  beta: z
    .number()
    .min(0)
    .max(1)
    .default(0.9)
    .describe('Momentum β: m ← βm + (1 − β)ĝ (paper and code: 0.9).'),
  normalized: z
    .boolean()
    .default(true)
    .describe('Normalize the momentum step (BO-REP); false gives the unnormalized baseline x ← x − ηm.'),
  epsilon: z
    .number()
    .min(0)
    .default(1e-10)
    .describe('Guard of the normalization η/(ε + ‖m‖) (reference code: 1e-10).'),
  interval: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(2)
    .describe('Period I of the lower-level updates: y moves only when t mod I = 0 (code: 2 or 3).'),
  lowerSteps: z
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(3)
    .describe('N, lower-level SGD steps at each periodic update (code `y_warm_start`: 3 or 10).'),
  lowerStepSize: z.number().positive().finite().default(0.05).describe('γ, the lower-level SGD step.'),
  refinementSteps: z
    .number()
    .int()
    .min(0)
    .max(10_000_000)
    .default(50)
    .describe('Initialization refinement: SGD steps on g(x₀, ·) from y = 0 before the first upper step.'),
  ihvp: z
    .enum(['neumann', 'persistent-z', 'cg'])
    .default('neumann')
    .describe(
      "'neumann': the paper's stochastic Neumann series (a fresh Hessian sample per term); 'persistent-z': the released code's z ← z − ν(∇²_yy g z − ∇_y f) kept across steps; 'cg': conjugate gradients.",
    ),
  neumannTerms: z
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(5)
    .describe('Q: Neumann terms beyond the first (code `hessian_q`: 5).'),
  neumannAlpha: z
    .number()
    .positive()
    .finite()
    .default(0.5)
    .describe('α = 1/C of the Neumann series α Σ_q (I − αH)^q ∇_y f (needs α‖H‖ < 1).'),
  zStepSize: z.number().positive().finite().default(0.01).describe("ν of 'persistent-z' (code: 1e-2)."),
  zSteps: z.number().int().min(1).max(100_000).default(1).describe("Steps of 'persistent-z' per upper step."),
  cgIterations: z.number().int().min(1).max(100_000).default(20).describe("Iteration cap of 'cg'."),
  stochastic: z
    .boolean()
    .default(true)
    .describe(
      'Minibatch oracles drawn from the run Rng (BO-REP is a stochastic method); false uses exact oracles.',
    ),
});
export type BoRepOptions = z.input<typeof boRepOptions>;

export interface BoRepState {
  readonly y: Vec;
  readonly momentum: Vec;
  readonly estimate: Vec;
  readonly gradYf: Vec;
  readonly cross: Vec;
  readonly scratch: Vec;
  readonly backup: Vec;
  readonly ihvp: IhvpWorkspace;
  readonly report: IhvpReport;
  readonly out: [Vec, Vec];
  iteration: number;
  lowerUpdates: number;
  hvps: number;
}

/**
 * BO-REP (notes §12): bilevel optimization under unbounded smoothness of the upper level
 * (‖∇²f‖ ≤ L₀ + L₁‖∇f‖), strongly convex lower level. Per step t:
 *   if t mod I = 0: y ← N SGD steps on g(x_t, ·) from the current y          (periodic updates)
 *   p ≈ [∇²_yy g]⁻¹ ∇_y f(x_t, y)                                            (Neumann / persistent z / CG)
 *   ĝ = ∇_x f(x_t, y) − ∇²_xy g(x_t, y) p
 *   m ← βm + (1 − β)ĝ;  x ← x − η m/(ε + ‖m‖)                                  (normalized momentum)
 * with y initialized by `refinementSteps` SGD steps on g(x₀, ·) (initialization refinement).
 * Symbols: η `stepSize`, β `beta`, I `interval`, N `lowerSteps`, γ `lowerStepSize`, Q `neumannTerms`,
 * 1/C `neumannAlpha`, ν `zStepSize`.
 *
 * Paper: J. Hao, X. Gong, M. Liu, "Bilevel Optimization under Unbounded Smoothness: A New Algorithm
 * and Convergence Analysis", ICLR 2024; reference code MingruiLiu-ML-Lab/Bilevel-Optimization-under-
 * Unbounded-Smoothness (its persistent-z IHVP is `ihvp: 'persistent-z'`).
 */
export function boRep(options: BoRepOptions = {}): Optimizer<BilevelOracle, BoRepState> {
  const id = 'bilevel/bo-rep';
  const o = parse(id, boRepOptions, options);
  const ihvpOptions: IhvpOptions =
    o.ihvp === 'neumann'
      ? {
          solver: 'neumann',
          iterations: o.neumannTerms,
          alpha: o.neumannAlpha,
          tolerance: 0,
          warmStart: false,
        }
      : o.ihvp === 'persistent-z'
        ? { solver: 'sgd-quadratic', iterations: o.zSteps, alpha: o.zStepSize, tolerance: 0, warmStart: true }
        : { solver: 'cg', iterations: o.cgIterations, alpha: 0, tolerance: 1e-10, warmStart: true };
  return {
    id,
    init(x0, problem, context) {
      assertBilevelOracle(id, problem);
      assertVector(id, 'x0', x0, problem.dimX);
      const { dimX, dimY } = problem;
      const y = new Float64Array(dimY);
      const scratch = new Float64Array(dimY);
      lowerSteps(problem, x0, y, o.refinementSteps, o.lowerStepSize, scratch, context.rng, o.stochastic);
      return {
        y,
        momentum: new Float64Array(dimX),
        estimate: new Float64Array(dimX),
        gradYf: new Float64Array(dimY),
        cross: new Float64Array(dimX),
        scratch,
        backup: new Float64Array(2 * dimY + dimX),
        ihvp: ihvpWorkspace(dimY),
        report: { matvecs: 0, relativeResidual: undefined, converged: true },
        out: [new Float64Array(dimX), new Float64Array(dimX)],
        iteration: 0,
        lowerUpdates: 0,
        hvps: 0,
      };
    },
    step(x, state, problem, context: OptimizerContext) {
      const { y, momentum, estimate, gradYf, cross, scratch, backup } = state;
      const rng = context.rng;
      const stochastic = o.stochastic;
      const t = state.iteration;
      const dimY = y.length;
      backup.set(y, 0);
      backup.set(state.ihvp.solution, dimY);
      backup.set(momentum, 2 * dimY);
      if (t % o.interval === 0 && o.lowerSteps > 0) {
        lowerSteps(problem, x, y, o.lowerSteps, o.lowerStepSize, scratch, rng, stochastic);
        state.lowerUpdates++;
      }
      const upper = stochastic ? problem.drawUpperBatch?.(rng) : undefined;
      problem.upperGradY(x, y, gradYf, upper);
      // The paper's stochastic Neumann series draws a fresh Hessian sample per term; CG needs one fixed batch.
      const fixedLower = stochastic ? problem.drawLowerBatch?.(rng) : undefined;
      const p = solveIhvp(
        (v, out) =>
          problem.lowerHvpYY(
            x,
            y,
            v,
            out,
            stochastic && o.ihvp === 'neumann' ? problem.drawLowerBatch?.(rng) : fixedLower,
          ),
        gradYf,
        state.ihvp,
        ihvpOptions,
        state.report,
      );
      state.hvps += state.report.matvecs;
      problem.upperGradX(x, y, estimate, upper);
      problem.lowerCrossXY(x, y, p, cross, stochastic ? problem.drawLowerBatch?.(rng) : undefined);
      for (let i = 0; i < estimate.length; i++) estimate[i] -= cross[i];
      if (!allFinite(estimate) || !allFinite(y)) {
        y.set(backup.subarray(0, dimY));
        state.ihvp.solution.set(backup.subarray(dimY, 2 * dimY));
        return numericalError(x, state, 'the hypergradient estimate');
      }
      for (let i = 0; i < momentum.length; i++)
        momentum[i] = o.beta * momentum[i] + (1 - o.beta) * estimate[i];
      const mNorm = norm(momentum);
      const scale = o.normalized ? o.stepSize / (o.epsilon + mNorm) : o.stepSize;
      const out = state.out[t % 2];
      for (let i = 0; i < x.length; i++) out[i] = x[i] - scale * momentum[i];
      problem.projectX?.(out);
      if (!allFinite(out)) {
        y.set(backup.subarray(0, dimY));
        state.ihvp.solution.set(backup.subarray(dimY, 2 * dimY));
        momentum.set(backup.subarray(2 * dimY));
        return numericalError(x, state, 'the upper iterate');
      }
      state.iteration++;
      return {
        x: out,
        state,
        info: {
          hypergradNorm: norm(estimate),
          momentumNorm: mNorm,
          value: problem.upperValue(out, y),
          lowerUpdates: state.lowerUpdates,
          hvps: state.hvps,
        },
      };
    },
  };
}

export const boRepPlugin = defineMethod({
  meta: {
    id: 'bilevel/bo-rep',
    title: 'BO-REP: bilevel optimization under unbounded smoothness',
    description:
      'Normalized momentum on the upper level, initialization refinement and periodic updates of the lower level; stable where hypergradient SGD diverges when the upper level is (L0, L1)-smooth (RNNs, LSTMs).',
    references: [
      {
        title: 'Bilevel Optimization under Unbounded Smoothness: A New Algorithm and Convergence Analysis',
        authors: 'J. Hao, X. Gong, M. Liu',
        year: 2024,
        arxiv: '2401.09587',
      },
    ],
    needs: [],
    stochastic: true,
    kind: 'optimizer',
  },
  options: boRepOptions,
  create: (options) => boRep(options),
});

import { defineMethod, type Optimizer, type OptimizerContext, type Vec } from '@argmin/core';
import { z } from 'zod';
import { assertBilevelOracle, assertVector, type BilevelOracle } from '../problem/bilevel-oracle';
import { allFinite, norm, numericalError, parse } from './common';

export const penaltyOptions = z.strictObject({
  sigma: z
    .number()
    .positive()
    .finite()
    .default(0.1)
    .describe('Penalty parameter σ (σ₀ of a schedule); ε-stationarity of Φ needs σ = O(ε).'),
  sigmaSchedule: z
    .enum(['constant', 'poly-decay'])
    .default('constant')
    .describe("'constant': σ_k = σ; 'poly-decay': σ_k = σ/(k + 1)^p (F2SA-style growth of 1/σ)."),
  sigmaPower: z.number().min(0).max(10).default(0.5).describe('p of the poly-decay schedule.'),
  innerSteps: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(10)
    .describe(
      'T_k: projected gradient steps for y ≈ y*_σ(x) and for z ≈ y*(x) per upper step (both warm-started).',
    ),
  innerStepSize: z.number().positive().finite().default(0.2).describe('α, the step of both inner loops.'),
  stepSize: z.number().positive().finite().default(0.05).describe('η, the upper step.'),
  averageFrom: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe(
      'Report the running mean of the upper iterates from this iteration on (iterate averaging, which the notes found necessary under noise); unset: the last iterate.',
    ),
  stochastic: z
    .boolean()
    .default(false)
    .describe(
      'Draw a fresh minibatch for every oracle call from the run Rng (the problem must provide batches).',
    ),
});
export type PenaltyOptions = z.input<typeof penaltyOptions>;

export interface PenaltyState {
  /** y ≈ y*_σ(x) = argmin_Y σf + g. */
  readonly y: Vec;
  /** z ≈ y*(x) = argmin_Y g. */
  readonly z: Vec;
  /** The raw (unaveraged) upper iterate. */
  readonly raw: Vec;
  readonly average: Vec;
  readonly direction: Vec;
  readonly scratchY: Vec;
  readonly scratchY2: Vec;
  readonly scratchX: Vec;
  /** y and z before the step, restored when the step turns non-finite. */
  readonly backup: Vec;
  readonly out: [Vec, Vec];
  iteration: number;
  averaged: number;
}

/**
 * Kwon et al.'s first-order penalty method (F2SA-like double loop, notes §11): with h_σ = σf + g,
 * the penalty ψ_σ(x) = (min_y h_σ(x, y) − min_y g(x, y))/σ has (Danskin)
 * ∇ψ_σ(x) = ∇_x f(x, y*_σ) + (∇_x g(x, y*_σ) − ∇_x g(x, y*))/σ, which needs first-order oracles only
 * and holds with multiple lower-level solutions. Per upper step k:
 *   T times: y ← Proj_Y(y − α(σ_k ∇_y f(x, y) + ∇_y g(x, y)))
 *   T times: z ← Proj_Y(z − α ∇_y g(x, z))
 *   x ← Proj_X(x − η [∇_x f(x, y) + (∇_x g(x, y) − ∇_x g(x, z))/σ_k])
 * |ψ_σ − ψ| = O(σ). Symbols: σ = `sigma`, T = `innerSteps`, α = `innerStepSize`, η = `stepSize`.
 *
 * Paper: J. Kwon, D. Kwon, S. Wright, R. Nowak, "On Penalty Methods for Nonconvex Bilevel Optimization
 * and First-Order Stochastic Approximation", ICLR 2024 (no reference code; loop lengths as the notes).
 */
export function penaltyMethod(options: PenaltyOptions = {}): Optimizer<BilevelOracle, PenaltyState> {
  const id = 'bilevel/penalty';
  const o = parse(id, penaltyOptions, options);
  const sigmaAt = (k: number) =>
    o.sigmaSchedule === 'constant' ? o.sigma : o.sigma / (k + 1) ** o.sigmaPower;
  return {
    id,
    init(x0, problem) {
      assertBilevelOracle(id, problem);
      assertVector(id, 'x0', x0, problem.dimX);
      const { dimX, dimY } = problem;
      const raw = Float64Array.from(x0);
      return {
        y: new Float64Array(dimY),
        z: new Float64Array(dimY),
        raw,
        average: new Float64Array(dimX),
        direction: new Float64Array(dimX),
        scratchY: new Float64Array(dimY),
        scratchY2: new Float64Array(dimY),
        scratchX: new Float64Array(dimX),
        backup: new Float64Array(2 * dimY),
        out: [new Float64Array(dimX), new Float64Array(dimX)],
        iteration: 0,
        averaged: 0,
      };
    },
    step(_x, state, problem, context: OptimizerContext) {
      const { y, z, raw, direction, scratchY, scratchY2, scratchX } = state;
      const x = raw;
      const k = state.iteration;
      const sigma = sigmaAt(k);
      const rng = context.rng;
      const stochastic = o.stochastic;
      const alpha = o.innerStepSize;
      state.backup.set(y, 0);
      state.backup.set(z, y.length);
      for (let t = 0; t < o.innerSteps; t++) {
        problem.upperGradY(x, y, scratchY, stochastic ? problem.drawUpperBatch?.(rng) : undefined);
        problem.lowerGradY(x, y, scratchY2, stochastic ? problem.drawLowerBatch?.(rng) : undefined);
        for (let i = 0; i < y.length; i++) y[i] -= alpha * (sigma * scratchY[i] + scratchY2[i]);
        problem.projectY?.(y);
      }
      for (let t = 0; t < o.innerSteps; t++) {
        problem.lowerGradY(x, z, scratchY, stochastic ? problem.drawLowerBatch?.(rng) : undefined);
        for (let i = 0; i < z.length; i++) z[i] -= alpha * scratchY[i];
        problem.projectY?.(z);
      }
      problem.upperGradX(x, y, direction, stochastic ? problem.drawUpperBatch?.(rng) : undefined);
      problem.lowerGradX(x, y, scratchX, stochastic ? problem.drawLowerBatch?.(rng) : undefined);
      for (let i = 0; i < x.length; i++) direction[i] += scratchX[i] / sigma;
      problem.lowerGradX(x, z, scratchX, stochastic ? problem.drawLowerBatch?.(rng) : undefined);
      for (let i = 0; i < x.length; i++) direction[i] -= scratchX[i] / sigma;
      if (!allFinite(direction) || !allFinite(y) || !allFinite(z)) {
        y.set(state.backup.subarray(0, y.length));
        z.set(state.backup.subarray(y.length));
        return numericalError(
          state.averaged > 0 ? state.average.slice() : x.slice(),
          state,
          'the penalty gradient',
        );
      }
      for (let i = 0; i < x.length; i++) x[i] -= o.stepSize * direction[i];
      problem.projectX?.(x);
      state.iteration++;
      const out = state.out[k % 2];
      if (o.averageFrom !== undefined && k >= o.averageFrom) {
        state.averaged++;
        const w = 1 / state.averaged;
        for (let i = 0; i < x.length; i++) state.average[i] += w * (x[i] - state.average[i]);
        out.set(state.average);
      } else out.set(x);
      return {
        x: out,
        state,
        info: {
          penaltyGradNorm: norm(direction),
          sigma,
          value: problem.upperValue(x, y),
          lowerGap: problem.lowerValue(x, y) - problem.lowerValue(x, z),
        },
      };
    },
  };
}

export const penaltyPlugin = defineMethod({
  meta: {
    id: 'bilevel/penalty',
    title: 'Penalty method for nonconvex bilevel optimization (first-order)',
    description:
      'Minimizes the penalty ψ_σ = (min σf + g − min g)/σ with first-order oracles only: two warm-started inner loops (penalized and plain lower level) and a Danskin gradient step; O(σ)-close to the hyper-objective, valid with non-singleton lower levels and constraints.',
    references: [
      {
        title:
          'On Penalty Methods for Nonconvex Bilevel Optimization and First-Order Stochastic Approximation',
        authors: 'J. Kwon, D. Kwon, S. Wright, R. Nowak',
        year: 2024,
        arxiv: '2309.01753',
      },
    ],
    needs: [],
    kind: 'optimizer',
  },
  options: penaltyOptions,
  create: (options) => penaltyMethod(options),
});

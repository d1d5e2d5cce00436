import { defineMethod, InvalidArgumentError, type Optimizer, type StepResult, type Vec } from '@argmin/core';
import { z } from 'zod';
import { assertBilevelOracle, assertVector, type ConstrainedBilevelOracle } from '../problem/bilevel-oracle';
import { allFinite, parse } from './common';

export const lvHbaOptions = z.strictObject({
  alpha: z.number().positive().finite().default(0.008).describe('α, the step of (x, y) (LLC code: 0.008).'),
  beta: z.number().positive().finite().default(0.02).describe('β, the step of z (LLC code: 0.02).'),
  eta: z.number().positive().finite().default(0.01).describe('η, the step of (θ, λ) (LLC code: 0.01).'),
  gamma1: z
    .number()
    .positive()
    .finite()
    .default(10)
    .describe('γ₁, the proximal weight of θ around y (code: 10).'),
  gamma2: z
    .number()
    .positive()
    .finite()
    .default(10)
    .describe('γ₂, the proximal weight of λ around z (code: 10).'),
  c0: z
    .number()
    .positive()
    .finite()
    .default(0.025)
    .describe('c₀ of the penalty c_k = c₀(k + 1)^p (LLC code: 0.025; LLSC: 1).'),
  p: z
    .number()
    .min(0)
    .max(0.5)
    .default(0.3)
    .describe('p of c_k = c₀(k + 1)^p (code: 0.3; the theory needs p < 1/2).'),
  penaltyForm: z
    .enum(['divide-upper', 'multiply-upper'])
    .default('divide-upper')
    .describe(
      "'divide-upper': F/c_k with c_k = c₀(k+1)^p (toy code); 'multiply-upper': c_k·F with c_k = c₀/(k+1)^p (SVM code).",
    ),
  multiplier: z
    .enum(['nonnegative', 'clip'])
    .default('nonnegative')
    .describe(
      "Projection of λ (and z): 'nonnegative' is the paper's λ ∈ R^p_+, z ∈ [0, r]^p; 'clip' is the reference code's box [−u, u].",
    ),
  bound: z
    .number()
    .positive()
    .default(1000)
    .describe('u of the clip box, and r of Z = [0, r]^p (code: 1000).'),
  initialMultiplier: z.number().finite().default(1).describe('λ₀ (code: 1).'),
  initialZ: z.number().finite().default(-1).describe('z₀ (code: −1; projected onto Z).'),
});
export type LvHbaOptions = z.input<typeof lvHbaOptions>;

export interface LvHbaState {
  /** The lower variable y of the single-level reformulation. */
  readonly y: Vec;
  /** θ ≈ the proximal lower-level solution around y. */
  readonly theta: Vec;
  /** λ, the multiplier of G(x, θ) ≤ 0. */
  readonly lambda: Vec;
  /** z, the proximal centre of λ. */
  readonly z: Vec;
  readonly dTheta: Vec;
  readonly dLambda: Vec;
  readonly dx: Vec;
  readonly dy: Vec;
  readonly scratchX: Vec;
  readonly scratchY: Vec;
  readonly backup: Vec;
  readonly out: [Vec, Vec];
  /** x₀ after the joint projection with y₀ (the first step starts from it). */
  readonly start: Vec;
  iteration: number;
}

/**
 * LV-HBA (notes §13): constrained bilevel optimization through the proximal Lagrangian value function
 *   v_γ(x, y, z) = min_θ max_{λ≥0} f(x, θ) + λᵀG(x, θ) + ‖θ − y‖²/(2γ₁) − ‖λ − z‖²/(2γ₂),
 * which turns the problem into min F s.t. f(x, y) − v_γ(x, y, z) ≤ 0, solved single-loop and
 * Hessian-free. Per iteration k, in the reference code's order:
 *   d_θ = ∇_y f(x, θ) + ∇_y G(x, θ)ᵀλ + (θ − y)/γ₁;  d_λ = −G(x, θ) + (λ − z)/γ₂
 *   θ ← θ − η d_θ;  λ ← Proj_Λ(λ − η d_λ)
 *   d_x = ∇_x F(x, y)/c_k + ∇_x f(x, y) − ∇_x f(x, θ) − ∇_x G(x, θ)ᵀλ
 *   d_y = ∇_y F(x, y)/c_k + ∇_y f(x, y) − (y − θ)/γ₁
 *   (x, y) ← Proj_C((x, y) − α(d_x, d_y));  z ← Proj_Z(z + β(λ − z)/γ₂)
 * Info per step: `value` F(x, y), `valueGap` f(x, y) − f(x, θ), `constraintViolation` max(G(x, y), 0),
 * `penalty` c_k, `stepNorm` ‖(x, y)_{k+1} − (x, y)_k‖.
 * (F upper, f lower, G the lower constraint; `penaltyForm: 'multiply-upper'` uses c_k·F instead of
 * F/c_k as the SVM scripts do.) y starts at 0 and θ at y, both after the joint projection.
 *
 * Paper: W. Yao, C. Yu, S. Zeng, J. Zhang, "Constrained Bi-Level Optimization: Proximal Lagrangian
 * Value function Approach and Hessian-free Algorithm", ICLR 2024; reference code
 * SUSTech-Optimization/LV-HBA (its λ clip to [−u, u] is `multiplier: 'clip'`).
 */
export function lvHba(options: LvHbaOptions = {}): Optimizer<ConstrainedBilevelOracle, LvHbaState> {
  const id = 'bilevel/lv-hba';
  const o = parse(id, lvHbaOptions, options);
  const projectMultiplier = (v: Vec, isZ: boolean) => {
    for (let i = 0; i < v.length; i++) {
      if (o.multiplier === 'clip') v[i] = Math.min(o.bound, Math.max(-o.bound, v[i]));
      else v[i] = Math.min(isZ ? o.bound : Number.POSITIVE_INFINITY, Math.max(0, v[i]));
    }
  };
  return {
    id,
    init(x0, problem) {
      assertBilevelOracle(id, problem);
      assertVector(id, 'x0', x0, problem.dimX);
      const p = problem.constraints;
      if (!Number.isInteger(p) || p < 1 || typeof problem.constraintValue !== 'function') {
        throw new InvalidArgumentError({
          argument: 'problem.constraints',
          value: p,
          message: `${id}: the problem must be a ConstrainedBilevelOracle with \`constraints\` >= 1 and constraintValue / constraintVjpX / constraintVjpY.`,
        });
      }
      const { dimX, dimY } = problem;
      const y = new Float64Array(dimY);
      const x = Float64Array.from(x0);
      if (problem.projectXY) problem.projectXY(x, y);
      else problem.projectY?.(y);
      const lambda = new Float64Array(p).fill(o.initialMultiplier);
      const zz = new Float64Array(p).fill(o.initialZ);
      projectMultiplier(zz, true);
      return {
        y,
        theta: Float64Array.from(y),
        lambda,
        z: zz,
        dTheta: new Float64Array(dimY),
        dLambda: new Float64Array(p),
        dx: new Float64Array(dimX),
        dy: new Float64Array(dimY),
        scratchX: new Float64Array(dimX),
        scratchY: new Float64Array(dimY),
        backup: new Float64Array(2 * dimY + 2 * p),
        out: [new Float64Array(dimX), new Float64Array(dimX)],
        start: x,
        iteration: 0,
      };
    },
    step(input, state, problem): StepResult<LvHbaState> {
      // The first step starts from the projected x₀ (init projected (x₀, y₀) jointly onto C).
      const x = state.iteration === 0 ? state.start : input;
      const { y, theta, lambda, z: zc, dTheta, dLambda, dx, dy, scratchX, scratchY, backup } = state;
      const k = state.iteration;
      const dimY = y.length;
      const p = lambda.length;
      backup.set(y, 0);
      backup.set(theta, dimY);
      backup.set(lambda, 2 * dimY);
      backup.set(zc, 2 * dimY + p);
      const upperWeight =
        o.penaltyForm === 'divide-upper' ? 1 / (o.c0 * (k + 1) ** o.p) : o.c0 / (k + 1) ** o.p;
      // θ, λ step.
      problem.lowerGradY(x, theta, dTheta);
      problem.constraintVjpY(x, theta, lambda, scratchY);
      for (let i = 0; i < dimY; i++) dTheta[i] += scratchY[i] + (theta[i] - y[i]) / o.gamma1;
      problem.constraintValue(x, theta, dLambda);
      for (let i = 0; i < p; i++) dLambda[i] = -dLambda[i] + (lambda[i] - zc[i]) / o.gamma2;
      for (let i = 0; i < dimY; i++) theta[i] -= o.eta * dTheta[i];
      for (let i = 0; i < p; i++) lambda[i] -= o.eta * dLambda[i];
      projectMultiplier(lambda, false);
      // x, y step (with the new θ, λ, as the code).
      problem.upperGradX(x, y, dx);
      for (let i = 0; i < dx.length; i++) dx[i] *= upperWeight;
      problem.lowerGradX(x, y, scratchX);
      for (let i = 0; i < dx.length; i++) dx[i] += scratchX[i];
      problem.lowerGradX(x, theta, scratchX);
      for (let i = 0; i < dx.length; i++) dx[i] -= scratchX[i];
      problem.constraintVjpX(x, theta, lambda, scratchX);
      for (let i = 0; i < dx.length; i++) dx[i] -= scratchX[i];
      problem.upperGradY(x, y, dy);
      problem.lowerGradY(x, y, scratchY);
      for (let i = 0; i < dimY; i++) dy[i] = upperWeight * dy[i] + scratchY[i] - (y[i] - theta[i]) / o.gamma1;
      const out = state.out[k % 2];
      for (let i = 0; i < x.length; i++) out[i] = x[i] - o.alpha * dx[i];
      for (let i = 0; i < dimY; i++) y[i] -= o.alpha * dy[i];
      if (problem.projectXY) problem.projectXY(out, y);
      else {
        problem.projectX?.(out);
        problem.projectY?.(y);
      }
      for (let i = 0; i < p; i++) zc[i] += (o.beta * (lambda[i] - zc[i])) / o.gamma2;
      projectMultiplier(zc, true);
      if (!allFinite(out) || !allFinite(y) || !allFinite(theta) || !allFinite(lambda)) {
        y.set(backup.subarray(0, dimY));
        theta.set(backup.subarray(dimY, 2 * dimY));
        lambda.set(backup.subarray(2 * dimY, 2 * dimY + p));
        zc.set(backup.subarray(2 * dimY + p));
        return {
          x,
          state,
          info: {},
          status: 'numerical-error',
          message:
            'an LV-HBA iterate is not finite; returning the last finite iterate (reduce alpha/eta or raise gamma).',
        };
      }
      state.iteration++;
      let step = 0;
      for (let i = 0; i < out.length; i++) step += (out[i] - x[i]) ** 2;
      for (let i = 0; i < dimY; i++) step += (y[i] - backup[i]) ** 2;
      problem.constraintValue(out, y, dLambda);
      let violation = 0;
      for (let i = 0; i < p; i++) violation = Math.max(violation, dLambda[i]);
      return {
        x: out,
        state,
        info: {
          value: problem.upperValue(out, y),
          valueGap: problem.lowerValue(out, y) - problem.lowerValue(out, theta),
          constraintViolation: violation,
          penalty: 1 / upperWeight,
          stepNorm: Math.sqrt(step),
        },
      };
    },
  };
}

export const lvHbaPlugin = defineMethod({
  meta: {
    id: 'bilevel/lv-hba',
    title: 'LV-HBA: Hessian-free constrained bilevel optimization',
    description:
      'Single-loop, Hessian-free method for bilevel problems whose lower level has constraints coupling both variables, through a smooth proximal Lagrangian value function; no lower-level strong convexity needed.',
    references: [
      {
        title:
          'Constrained Bi-Level Optimization: Proximal Lagrangian Value function Approach and Hessian-free Algorithm',
        authors: 'W. Yao, C. Yu, S. Zeng, J. Zhang',
        year: 2024,
        arxiv: '2401.16164',
      },
    ],
    needs: [],
    kind: 'optimizer',
  },
  options: lvHbaOptions,
  create: (options) => lvHba(options),
});

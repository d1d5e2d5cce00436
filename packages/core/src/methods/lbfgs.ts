import { z } from 'zod';
import { allFinite, dot, nrm2, nrmInf } from '../linalg/level1';
import { defineMethod } from '../registry/define-method';
import { parseOptions } from '../registry/options';
import { assertAllocation } from '../resources/budget';
import { anyOf, maxIterations, metricBelow, relativeChangeBelow } from '../solve/stop-when';
import type { Optimizer } from '../spec/optimizer';
import type { Oracle } from '../spec/oracle';
import type { Vec } from '../spec/vec';
import { strongWolfe } from './line-search';

const machineEpsilon = 2.220446049250313e-16;

export const lbfgsOptions = z.strictObject({
  memory: z
    .number()
    .int()
    .min(1)
    .default(10)
    .describe('Number m of correction pairs (s, y) kept (scipy L-BFGS-B `maxcor`).'),
  gradientTolerance: z
    .number()
    .nonnegative()
    .default(1e-5)
    .describe('Default stop: ‖∇f‖∞ <= gradientTolerance (scipy `gtol`/`pgtol`).'),
  valueTolerance: z
    .number()
    .nonnegative()
    .default(1e7 * machineEpsilon)
    .describe(
      'Default stop: (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) <= valueTolerance (scipy `ftol` = factr·eps).',
    ),
  maxIterations: z
    .number()
    .int()
    .min(1)
    .default(15000)
    .describe('Default stop: iteration limit (scipy `maxiter`).'),
  maxLineSearchSteps: z
    .number()
    .int()
    .min(1)
    .default(20)
    .describe('Function evaluations per line search (scipy `maxls`).'),
  sufficientDecrease: z
    .number()
    .gt(0)
    .lt(1)
    .default(1e-4)
    .describe('Wolfe constant c₁ (sufficient decrease).'),
  curvature: z.number().gt(0).lt(1).default(0.9).describe('Wolfe constant c₂ (strong curvature condition).'),
  maxStep: z.number().positive().default(1e10).describe('Largest line-search step (scipy `stpmx`).'),
});
export type LbfgsOptions = z.input<typeof lbfgsOptions>;

/** L-BFGS state. Single-use: `step` overwrites these buffers. */
export interface LbfgsState {
  readonly value: number;
  readonly gradient: Vec;
  /** Free buffers for the next iterate and its gradient (double buffering). */
  readonly next: Vec;
  readonly nextGradient: Vec;
  readonly direction: Vec;
  /** Correction pairs s_i = x_{i+1} − x_i, y_i = ∇f_{i+1} − ∇f_i, row-major m x n ring buffers. */
  readonly s: Float64Array;
  readonly y: Float64Array;
  /** ρ_i = 1 / (y_iᵀ s_i). */
  readonly rho: Float64Array;
  /** Two-loop scratch α_i. */
  readonly alpha: Float64Array;
  /** Number of stored pairs (<= memory) and the ring index of the newest. */
  readonly count: number;
  readonly newest: number;
  readonly iteration: number;
}

/**
 * Limited-memory BFGS (Liu & Nocedal, 1989; Nocedal & Wright, Algorithm 7.4/7.5) with a strong Wolfe
 * line search (Algorithms 3.5-3.6).
 *
 * Update: d_k = −H_k ∇f(x_k) by the two-loop recursion over the m most recent pairs (s_i, y_i), with
 * H_k⁰ = γ_k I, γ_k = s_{k−1}ᵀy_{k−1} / y_{k−1}ᵀy_{k−1}; x_{k+1} = x_k + α_k d_k with α_k satisfying
 * f(x_k + α d_k) <= f(x_k) + c₁ α ∇f_kᵀd_k and |∇f(x_k + α d_k)ᵀd_k| <= c₂ |∇f_kᵀd_k|.
 * First step α₀ = 1/‖∇f(x₀)‖₂ (as scipy's L-BFGS-B), then α₀ = 1. A pair is skipped when
 * sᵀy <= eps·yᵀy. On a line-search failure the memory is dropped and steepest descent is tried
 * once; if that fails too the run ends with status 'stalled' at the last good iterate (scipy's
 * ABNORMAL_TERMINATION_IN_LNSRCH).
 *
 * Defaults mirror scipy.optimize.minimize(method='L-BFGS-B') without bounds: maxcor 10, gtol 1e-5,
 * ftol 2.2e-9, maxiter 15000, maxls 20. Reports value, gradNorm (‖∇f‖₂), gradInfNorm, stepSize,
 * evaluations.
 *
 * @example
 * const result = solve(lbfgs(), rosenbrock(2), Float64Array.of(-1.2, 1));
 * result.status; // 'converged'
 */
export function lbfgs(input: LbfgsOptions = {}): Optimizer<Oracle<'value' | 'grad'>, LbfgsState> {
  const options = parseOptions('core/lbfgs', lbfgsOptions, input);
  const m = options.memory;
  const lineSearch = {
    c1: options.sufficientDecrease,
    c2: options.curvature,
    maxStep: options.maxStep,
    maxEvaluations: options.maxLineSearchSteps,
  };

  /** d = −H ∇f by the two-loop recursion. */
  function twoLoop(state: LbfgsState, g: Vec, d: Vec, n: number): void {
    const { s, y, rho, alpha, count, newest } = state;
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = 0; k < count; k++) {
      const slot = (newest - k + m) % m;
      const offset = slot * n;
      let a = 0;
      for (let i = 0; i < n; i++) a += s[offset + i] * d[i];
      a *= rho[slot];
      alpha[slot] = a;
      for (let i = 0; i < n; i++) d[i] -= a * y[offset + i];
    }
    if (count > 0) {
      const offset = newest * n;
      let yy = 0;
      for (let i = 0; i < n; i++) yy += y[offset + i] * y[offset + i];
      const gamma = 1 / (rho[newest] * yy);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (let k = count - 1; k >= 0; k--) {
      const slot = (newest - k + m) % m;
      const offset = slot * n;
      let b = 0;
      for (let i = 0; i < n; i++) b += y[offset + i] * d[i];
      b *= rho[slot];
      const coefficient = alpha[slot] - b;
      for (let i = 0; i < n; i++) d[i] += coefficient * s[offset + i];
    }
  }

  // Steps commit only finite values (accepted line-search points are finite) and leave the state
  // untouched when they fail, so solve need not copy the state every step (StateGuardHint).
  const optimizer: Optimizer<Oracle<'value' | 'grad'>, LbfgsState> = {
    id: 'core/lbfgs',
    defaultStopWhen: anyOf(
      metricBelow('gradInfNorm', options.gradientTolerance),
      relativeChangeBelow(options.valueTolerance, 'value'),
      maxIterations(options.maxIterations),
    ),
    init(x0, oracle) {
      const n = x0.length;
      // s and y are m x n each, plus five n-vectors and two m-vectors: refuse before allocating.
      assertAllocation(
        'core/lbfgs',
        `memory ${m} for dimension ${n} (2 x ${m} x ${n} correction pairs)`,
        2 * m * n + 5 * n + 2 * m,
      );
      const gradient = new Float64Array(n);
      const value = oracle.valueAndGrad
        ? oracle.valueAndGrad(x0, gradient)
        : (oracle.grad(x0, gradient), oracle.value(x0));
      return {
        value,
        gradient,
        next: new Float64Array(n),
        nextGradient: new Float64Array(n),
        direction: new Float64Array(n),
        s: new Float64Array(m * n),
        y: new Float64Array(m * n),
        rho: new Float64Array(m),
        alpha: new Float64Array(m),
        count: 0,
        newest: m - 1,
        iteration: 0,
      };
    },
    initialInfo: (_x0, state) => ({
      value: state.value,
      gradNorm: nrm2(state.gradient),
      gradInfNorm: nrmInf(state.gradient),
    }),
    step(x, state, oracle) {
      const n = x.length;
      const { gradient: g, direction: d, next, nextGradient } = state;
      const gradInfNorm = nrmInf(g);
      if (gradInfNorm === 0) {
        return {
          x,
          state,
          info: { value: state.value, gradNorm: 0, gradInfNorm: 0, stepSize: 0, evaluations: 0 },
          status: 'converged',
          message: 'the gradient is exactly zero',
        };
      }
      let count = state.count;
      twoLoop(state, g, d, n);
      let slope = dot(g, d);
      if (!(slope < 0)) {
        // Not a descent direction (should not happen with sᵀy > 0): restart from steepest descent.
        count = 0;
        for (let i = 0; i < n; i++) d[i] = -g[i];
        slope = dot(g, d);
      }
      const work = { trial: next, gradient: nextGradient };
      const firstStep = (c: number): number => (state.iteration === 0 || c === 0 ? 1 / nrm2(d) : 1);
      let outcome = strongWolfe(oracle, x, state.value, slope, d, work, {
        ...lineSearch,
        initialStep: firstStep(count),
      });
      let evaluations = outcome.evaluations;
      if (!outcome.ok && count > 0) {
        // scipy's L-BFGS-B drops the memory and retries along −∇f before giving up.
        count = 0;
        for (let i = 0; i < n; i++) d[i] = -g[i];
        slope = dot(g, d);
        outcome = strongWolfe(oracle, x, state.value, slope, d, work, {
          ...lineSearch,
          initialStep: 1 / nrm2(d),
        });
        evaluations += outcome.evaluations;
      }
      if (!outcome.ok) {
        // The trial buffers may hold non-finite values from rejected trials: they are scratch, so
        // clear them rather than hand back a state with NaN in it.
        next.fill(0);
        nextGradient.fill(0);
        return {
          x,
          state: { ...state, count: 0 },
          info: { value: state.value, gradNorm: nrm2(g), gradInfNorm, stepSize: 0, evaluations },
          status: 'stalled',
          message: `${outcome.message} (the last good iterate is returned)`,
        };
      }
      if (!allFinite(nextGradient)) {
        // Never commit a non-finite gradient into the state (the Wolfe test makes this rare).
        next.fill(0);
        nextGradient.fill(0);
        return {
          x,
          state: { ...state, count: 0 },
          info: { value: state.value, gradNorm: nrm2(g), gradInfNorm, stepSize: 0, evaluations },
          status: 'numerical-error',
          message: `the gradient became non-finite at the accepted point of iteration ${state.iteration + 1}; returning the last finite iterate`,
        };
      }
      // New pair s = α d, y = ∇f_{k+1} − ∇f_k, stored unless the curvature sᵀy is not safely positive
      // (checked before writing, so a skipped pair never overwrites the oldest stored one).
      const alphaStep = outcome.step;
      let sy = 0;
      let yy = 0;
      for (let i = 0; i < n; i++) {
        const yi = nextGradient[i] - g[i];
        sy += alphaStep * d[i] * yi;
        yy += yi * yi;
      }
      let newest = state.newest;
      if (sy > machineEpsilon * yy) {
        const slot = (state.newest + 1) % m;
        const offset = slot * n;
        for (let i = 0; i < n; i++) {
          state.s[offset + i] = alphaStep * d[i];
          state.y[offset + i] = nextGradient[i] - g[i];
        }
        state.rho[slot] = 1 / sy;
        newest = slot;
        count = Math.min(count + 1, m);
      }
      return {
        x: next,
        info: {
          value: outcome.value,
          gradNorm: nrm2(nextGradient),
          gradInfNorm: nrmInf(nextGradient),
          stepSize: outcome.step,
          evaluations,
        },
        state: {
          ...state,
          value: outcome.value,
          gradient: nextGradient,
          nextGradient: g,
          next: x,
          count,
          newest,
          iteration: state.iteration + 1,
        },
      };
    },
  };
  return Object.assign(optimizer, { commitsOnlyFiniteState: true });
}

export const lbfgsPlugin = defineMethod({
  meta: {
    id: 'core/lbfgs',
    title: 'L-BFGS with a strong Wolfe line search',
    description:
      'Limited-memory BFGS: two-loop recursion over the last m curvature pairs, strong Wolfe line search; defaults mirror scipy L-BFGS-B without bounds.',
    references: [
      {
        title: 'On the limited memory BFGS method for large scale optimization',
        authors: 'D. C. Liu and J. Nocedal',
        year: 1989,
      },
    ],
    needs: ['value', 'grad'],
  },
  options: lbfgsOptions,
  create: (options) => lbfgs(options),
  example: 'examples/quick-start.ts',
});

import { z } from 'zod';
import { allFinite, nrm2, nrmInf } from '../linalg/level1';
import { defineMethod } from '../registry/define-method';
import { parseOptions } from '../registry/options';
import { anyOf, maxIterations, metricBelow } from '../solve/stop-when';
import type { Optimizer } from '../spec/optimizer';
import type { Oracle } from '../spec/oracle';
import type { Vec } from '../spec/vec';

export const gradientDescentOptions = z.strictObject({
  initialStep: z
    .number()
    .positive()
    .default(1)
    .describe('First trial step t₀ of the backtracking search at every iteration.'),
  sufficientDecrease: z
    .number()
    .gt(0)
    .lt(1)
    .default(1e-4)
    .describe('Armijo constant c₁: accept t when f(x − t∇f) <= f(x) − c₁ t ‖∇f‖².'),
  shrink: z.number().gt(0).lt(1).default(0.5).describe('Backtracking factor ρ: t ← ρ t.'),
  maxBacktracks: z
    .number()
    .int()
    .min(1)
    .default(50)
    .describe('Backtracking steps before the run ends as stalled.'),
  gradientTolerance: z
    .number()
    .nonnegative()
    .default(1e-5)
    .describe('Default stop: ‖∇f‖∞ <= gradientTolerance (when solve gets no stopWhen).'),
  maxIterations: z
    .number()
    .int()
    .min(1)
    .default(10000)
    .describe('Default stop: iteration limit (when solve gets no stopWhen).'),
});
export type GradientDescentOptions = z.input<typeof gradientDescentOptions>;

/** Gradient-descent state. Single-use: `step` overwrites these buffers. */
export interface GradientDescentState {
  readonly value: number;
  readonly gradient: Vec;
  readonly next: Vec;
  readonly nextGradient: Vec;
  readonly iteration: number;
}

/**
 * Steepest descent with Armijo backtracking (Armijo, 1966; Nocedal & Wright, Algorithm 3.1):
 * x_{k+1} = x_k − t_k ∇f(x_k), with t_k = t₀ ρ^j for the smallest j such that
 * f(x_k − t_k ∇f(x_k)) <= f(x_k) − c₁ t_k ‖∇f(x_k)‖².
 * Reports `value`, `gradNorm` (‖∇f‖₂, at the new iterate), `gradInfNorm`, `stepSize`, `evaluations`.
 * A failed backtracking ends the run with status 'stalled'.
 *
 * @example
 * const result = solve(gradientDescent(), rosenbrock(2), Float64Array.of(-1.2, 1));
 */
export function gradientDescent(
  input: GradientDescentOptions = {},
): Optimizer<Oracle<'value' | 'grad'>, GradientDescentState> {
  const options = parseOptions('core/gradient-descent', gradientDescentOptions, input);
  const { initialStep, sufficientDecrease: c1, shrink, maxBacktracks } = options;
  // Steps commit only finite values (accepted line-search points are finite) and leave the state
  // untouched when they fail, so solve need not copy the state every step (StateGuardHint).
  const optimizer: Optimizer<Oracle<'value' | 'grad'>, GradientDescentState> = {
    id: 'core/gradient-descent',
    defaultStopWhen: anyOf(
      metricBelow('gradInfNorm', options.gradientTolerance),
      maxIterations(options.maxIterations),
    ),
    init(x0, oracle) {
      const gradient = new Float64Array(x0.length);
      const value = oracle.valueAndGrad
        ? oracle.valueAndGrad(x0, gradient)
        : (oracle.grad(x0, gradient), oracle.value(x0));
      return {
        value,
        gradient,
        next: new Float64Array(x0.length),
        nextGradient: new Float64Array(x0.length),
        iteration: 0,
      };
    },
    initialInfo: (_x0, state) => ({
      value: state.value,
      gradNorm: nrm2(state.gradient),
      gradInfNorm: nrmInf(state.gradient),
    }),
    step(x, state, oracle) {
      const { gradient: g, next, nextGradient } = state;
      const n = x.length;
      const gg = g.reduce((s, v) => s + v * v, 0);
      if (gg === 0) {
        return {
          x,
          state,
          info: { value: state.value, gradNorm: 0, gradInfNorm: 0, stepSize: 0, evaluations: 0 },
          status: 'converged',
          message: 'the gradient is exactly zero',
        };
      }
      let t = initialStep;
      let value = Number.NaN;
      let evaluations = 0;
      for (let j = 0; j < maxBacktracks; j++) {
        for (let i = 0; i < n; i++) next[i] = x[i] - t * g[i];
        value = oracle.value(next);
        evaluations++;
        if (value <= state.value - c1 * t * gg) break;
        t *= shrink;
        value = Number.NaN;
      }
      if (Number.isNaN(value)) {
        return {
          x,
          state,
          info: {
            value: state.value,
            gradNorm: Math.sqrt(gg),
            gradInfNorm: nrmInf(g),
            stepSize: 0,
            evaluations,
          },
          status: 'stalled',
          message: `Armijo backtracking found no decrease in ${maxBacktracks} steps (last t = ${t.toExponential(2)})`,
        };
      }
      oracle.grad(next, nextGradient);
      if (!allFinite(nextGradient)) {
        // Never commit a non-finite gradient into the state: end here with the last finite iterate.
        nextGradient.fill(0);
        return {
          x,
          state,
          info: {
            value: state.value,
            gradNorm: Math.sqrt(gg),
            gradInfNorm: nrmInf(g),
            stepSize: 0,
            evaluations,
          },
          status: 'numerical-error',
          message: `the gradient became non-finite at the accepted point of iteration ${state.iteration + 1}; returning the last finite iterate`,
        };
      }
      return {
        x: next,
        info: {
          value,
          gradNorm: nrm2(nextGradient),
          gradInfNorm: nrmInf(nextGradient),
          stepSize: t,
          evaluations,
        },
        // Double buffering: the old iterate and gradient become the free buffers of the next step.
        state: { value, gradient: nextGradient, next: x, nextGradient: g, iteration: state.iteration + 1 },
      };
    },
  };
  return Object.assign(optimizer, { commitsOnlyFiniteState: true });
}

export const gradientDescentPlugin = defineMethod({
  meta: {
    id: 'core/gradient-descent',
    title: 'Gradient descent with Armijo backtracking',
    description:
      'Steepest descent with a backtracking line search on the Armijo sufficient-decrease condition. The canonical example plugin.',
    references: [
      {
        title: 'Minimization of functions having Lipschitz continuous first partial derivatives',
        authors: 'L. Armijo',
        year: 1966,
      },
    ],
    needs: ['value', 'grad'],
  },
  options: gradientDescentOptions,
  create: (options) => gradientDescent(options),
  example: 'examples/quick-start.ts',
});

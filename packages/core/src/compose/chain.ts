import { InvalidArgumentError } from '../errors/argmin-error';
import { nrm2 } from '../linalg/level1';

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return String(value);
}

function assertTransformation(where: string, argument: string, t: unknown): void {
  const candidate = t as Partial<GradientTransformation> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.init !== 'function' ||
    typeof candidate.update !== 'function'
  ) {
    throw new InvalidArgumentError({
      argument,
      value: t,
      message: `${where}: \`${argument}\` must be a gradient transformation with init and update functions (e.g. scaleByLearningRate(1e-3)); got ${describe(t)}.`,
    });
  }
}

import type { Rng } from '../rng/rng';
import type { Optimizer } from '../spec/optimizer';
import type { Oracle } from '../spec/oracle';
import type { Vec } from '../spec/vec';

/** What a transformation's update may use besides the gradient: the Rng, the step count, the oracle (for HVPs). */
export interface TransformContext {
  readonly rng: Rng;
  /** Number of updates applied before this one (0 on the first). */
  readonly iteration: number;
  /** The problem's oracle, for transformations that declare extra needs (e.g. AdaHessian's `hvp`). */
  readonly oracle: Oracle<never>;
}

/**
 * An optax-style gradient transformation: `init` builds the state from the parameters, `update`
 * maps incoming updates (a gradient, or the output of the previous transformation) to outgoing
 * updates. The `updates` buffer belongs to the caller for this call: a transformation may overwrite
 * it and return it (no allocation per step). State is single-use, like an Optimizer's.
 */
export interface GradientTransformation<S = unknown> {
  init(params: Vec): S;
  /**
   * `params` and `context` are optional (optax's `tx.update(grads, state, params)`): a
   * transformation that needs them (a schedule needs `context.iteration`, AdaHessian the oracle)
   * throws a named error naming what is missing.
   */
  update(
    updates: Vec,
    state: S,
    params?: Vec,
    context?: TransformContext,
  ): { readonly updates: Vec; readonly state: S };
}

type StatesOf<T extends readonly GradientTransformation<unknown>[]> = {
  [K in keyof T]: T[K] extends GradientTransformation<infer S> ? S : never;
};

/**
 * Composes transformations left to right (optax's `chain`): the output updates of one are the input
 * of the next. The result is itself a transformation whose state is the tuple of the states.
 *
 * @example
 * const adamLike = chain(scaleByAdam({ beta1: 0.9 }), scaleByLearningRate(1e-3));
 */
export function chain<const T extends readonly GradientTransformation<any>[]>(
  ...transforms: T
): GradientTransformation<StatesOf<T>> {
  for (let i = 0; i < transforms.length; i++)
    assertTransformation('chain', `transforms[${i}]`, transforms[i]);
  return {
    init: (params) => transforms.map((t) => t.init(params)) as unknown as StatesOf<T>,
    update(updates, state, params, context) {
      const states = state as unknown as unknown[];
      const next = new Array<unknown>(transforms.length);
      let current = updates;
      for (let i = 0; i < transforms.length; i++) {
        const out = transforms[i].update(current, states[i], params, context);
        current = out.updates;
        next[i] = out.state;
      }
      return { updates: current, state: next as unknown as StatesOf<T> };
    },
  };
}

/** Multiplies updates by a constant. */
export function scaleBy(factor: number): GradientTransformation<null> {
  if (typeof factor !== 'number' || !Number.isFinite(factor)) {
    throw new InvalidArgumentError({
      argument: 'factor',
      value: factor,
      message: `scaleBy: \`factor\` must be a finite number; got ${describe(factor)}.`,
    });
  }
  return {
    init: () => null,
    update(updates, state) {
      for (let i = 0; i < updates.length; i++) updates[i] *= factor;
      return { updates, state };
    },
  };
}

/** A learning rate: a constant or a schedule of the step count. */
export type LearningRate = number | ((iteration: number) => number);

/**
 * Multiplies updates by −learningRate (so that `x + updates` descends), optax's
 * `scale_by_learning_rate`. Schedules get the step count.
 */
export function scaleByLearningRate(learningRate: LearningRate): GradientTransformation<null> {
  if (
    typeof learningRate !== 'function' &&
    (typeof learningRate !== 'number' || !Number.isFinite(learningRate) || learningRate < 0)
  ) {
    throw new InvalidArgumentError({
      argument: 'learningRate',
      value: learningRate,
      message: `scaleByLearningRate: \`learningRate\` must be a finite number >= 0 or a schedule (iteration) => rate; got ${describe(learningRate)}.`,
    });
  }
  return {
    init: () => null,
    update(updates, state, _params, context) {
      const iteration = context?.iteration;
      if (typeof learningRate !== 'number' && iteration === undefined) {
        throw new InvalidArgumentError({
          argument: 'context',
          value: context,
          message:
            'scaleByLearningRate: a schedule needs the step count; call update(updates, state, params, { iteration, rng, oracle }) or use a constant learning rate.',
        });
      }
      const rate = typeof learningRate === 'number' ? learningRate : learningRate(iteration as number);
      // A schedule that returns NaN, a negative or an infinite rate would silently poison the run.
      if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
        throw new InvalidArgumentError({
          argument: 'learningRate',
          value: rate,
          message: `scaleByLearningRate: the schedule returned ${describe(rate)} at iteration ${iteration}; a schedule must return finite rates >= 0.`,
        });
      }
      for (let i = 0; i < updates.length; i++) updates[i] *= -rate;
      return { updates, state };
    },
  };
}

/** State of an optimizer built from a transformation. */
export interface TransformOptimizerState<S> {
  readonly inner: S;
  readonly gradient: Vec;
  readonly next: Vec;
  readonly iteration: number;
}

/**
 * Turns a transformation into an Optimizer that owns the iterate: x_{k+1} = x_k + update(g_k), with
 * g_k the full gradient (`gradient: 'grad'`) or a stochastic one drawn with the run's Rng
 * (`gradient: 'sampleGrad'`). Reports `gradNorm` and `updateNorm` (and `value` when `reportValue`).
 */
export function transformOptimizer<S>(
  transform: GradientTransformation<S>,
  {
    id = 'core/transform',
    gradient = 'grad',
    reportValue = false,
  }: { id?: string; gradient?: 'grad' | 'sampleGrad'; reportValue?: boolean } = {},
): Optimizer<Oracle<never>, TransformOptimizerState<S>> {
  assertTransformation('transformOptimizer', 'transform', transform);
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidArgumentError({
      argument: 'id',
      value: id,
      message: `transformOptimizer: \`id\` must be a method id such as "stochastic/adam"; got ${describe(id)}.`,
    });
  }
  if (gradient !== 'grad' && gradient !== 'sampleGrad') {
    throw new InvalidArgumentError({
      argument: 'gradient',
      value: gradient,
      message: `transformOptimizer(${id}): \`gradient\` must be 'grad' or 'sampleGrad'; got ${describe(gradient)}.`,
    });
  }
  return {
    id,
    init(x0, oracle) {
      const method = oracle[gradient];
      if (typeof method !== 'function') {
        throw new InvalidArgumentError({
          argument: 'problem',
          value: gradient,
          message: `${id}: the oracle has no \`${gradient}\`; provide it or use gradient: '${gradient === 'grad' ? 'sampleGrad' : 'grad'}'.`,
        });
      }
      return {
        inner: transform.init(x0),
        gradient: new Float64Array(x0.length),
        next: new Float64Array(x0.length),
        iteration: 0,
      };
    },
    step(x, state, oracle, context) {
      const g = state.gradient;
      if (gradient === 'grad') (oracle.grad as (x: Vec, out: Vec) => Vec)(x, g);
      else (oracle.sampleGrad as (x: Vec, rng: Rng, out: Vec) => Vec)(x, context.rng, g);
      const gradNorm = nrm2(g);
      if (!Number.isFinite(gradNorm)) {
        // Never hand a non-finite gradient to the transformation: its state (moments, traces)
        // would keep the NaN. End the run here with the last finite iterate and state.
        g.fill(0);
        return {
          x,
          state,
          info: {},
          status: 'numerical-error',
          message: `the ${gradient === 'grad' ? 'gradient' : 'stochastic gradient'} became non-finite at iteration ${state.iteration + 1}; returning the last finite iterate and state`,
        };
      }
      const { updates, state: inner } = transform.update(g, state.inner, x, {
        rng: context.rng,
        iteration: state.iteration,
        oracle,
      });
      // Double buffering: write x + updates into the free buffer; x becomes the free buffer of the next step.
      const next = state.next;
      for (let i = 0; i < x.length; i++) next[i] = x[i] + updates[i];
      const info: Record<string, number> = { gradNorm, updateNorm: nrm2(updates) };
      if (reportValue && oracle.value) info.value = oracle.value(next);
      return {
        x: next,
        state: { inner, gradient: g, next: x, iteration: state.iteration + 1 },
        info,
      };
    },
  };
}

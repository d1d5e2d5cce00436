import {
  type Batch,
  type GradientTransformation,
  MissingCapabilityError,
  nrm2,
  type Optimizer,
  type Oracle,
  type Rng,
  type TransformContext,
  type Vec,
} from '@argmin/core';

/**
 * What a transformation's update may use: core's context plus, when the gradient was taken on an
 * explicit minibatch, that `batch` (so a transformation can evaluate a Hessian-vector product on the
 * same examples, as AdaHessian does).
 */
export interface BatchTransformContext extends TransformContext {
  readonly batch?: Batch;
}

/** Where each step's gradient comes from. */
export type GradientSource = 'grad' | 'sampleGrad' | 'batch';

/** State of an optimizer built by `batchTransformOptimizer`. */
export interface BatchTransformOptimizerState<S> {
  readonly inner: S;
  readonly gradient: Float64Array;
  readonly next: Float64Array;
  readonly iteration: number;
}

const needs: Record<GradientSource, readonly string[]> = {
  grad: ['grad'],
  sampleGrad: ['sampleGrad'],
  batch: ['drawBatch', 'batchGrad'],
};

/**
 * Core's `transformOptimizer` with explicit minibatches: with `gradient: 'batch'` each step draws
 * B = drawBatch(rng), takes g = batchGrad(B, x) (the same bits and Rng use as sampleGrad) and hands B to
 * the transformation in its context; 'grad' and 'sampleGrad' behave as in core. x ← x + update(g). Reports `gradNorm`, `updateNorm` (and `value` when `reportValue`).
 *
 * A non-finite gradient or update gives a non-finite x, so `solve` stops with status
 * 'numerical-error' and returns the last finite iterate and state; the transformations of this
 * package also never commit a non-finite value into their own state (moments, traces, windows), so
 * the state is safe to reuse after such a step when they are driven directly.
 */
export function batchTransformOptimizer<S>(
  transform: GradientTransformation<S>,
  {
    id,
    gradient,
    reportValue = false,
    extraNeeds = [],
  }: { id: string; gradient: GradientSource; reportValue?: boolean; extraNeeds?: readonly string[] },
): Optimizer<Oracle<never>, BatchTransformOptimizerState<S>> {
  return {
    id,
    init(x0, oracle) {
      const missing = [...needs[gradient], ...extraNeeds].filter(
        (name) => typeof (oracle as unknown as Record<string, unknown>)[name] !== 'function',
      );
      if (missing.length > 0) throw new MissingCapabilityError({ id, missing });
      return {
        inner: transform.init(x0),
        gradient: new Float64Array(x0.length),
        next: new Float64Array(x0.length),
        iteration: 0,
      };
    },
    step(x, state, oracle, context) {
      const g = state.gradient;
      let batch: Batch | undefined;
      if (gradient === 'grad') (oracle.grad as (x: Vec, out: Vec) => Vec)(x, g);
      else if (gradient === 'sampleGrad')
        (oracle.sampleGrad as (x: Vec, rng: Rng, out: Vec) => Vec)(x, context.rng, g);
      else {
        batch = (oracle.drawBatch as (rng: Rng) => Batch)(context.rng);
        (oracle.batchGrad as (b: Batch, x: Vec, out: Vec) => Vec)(batch, x, g);
      }
      const gradNorm = nrm2(g);
      const transformContext: BatchTransformContext = {
        rng: context.rng,
        iteration: state.iteration,
        oracle,
        batch,
      };
      const { updates, state: inner } = transform.update(g, state.inner, x, transformContext);
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

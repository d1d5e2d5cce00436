import type { GradientTransformation, TransformContext } from '@argmin/core';
import type { Schedule } from './schedules';
import type { Transformation } from './transforms';

/** State of `injectHyperparams`: the step count, the current hyper-parameter values and the inner state. */
export interface InjectState<S> {
  readonly count: number;
  readonly hyperparams: Readonly<Record<string, number>>;
  readonly inner: S;
}

/**
 * optax.inject_hyperparams: schedules any numeric option of a transformation. `factory` builds the
 * transformation from the current values; entries of `hyperparams` are numbers or schedules of the
 * step count. The inner state is kept across steps (transformations here size their state from the
 * parameters only), and the values used at each step are visible in the state.
 *
 * @example
 * injectHyperparams((h) => chain(scaleByAdam({ beta1: h.beta1 }), scaleByLearningRate(h.learningRate)),
 *   { beta1: 0.9, learningRate: cosineDecaySchedule(1e-3, 1000) })
 */
export function injectHyperparams<S>(
  factory: (hyperparams: Readonly<Record<string, number>>) => GradientTransformation<S>,
  hyperparams: Readonly<Record<string, number | Schedule>>,
): Transformation<InjectState<S>> {
  const valuesAt = (count: number) =>
    Object.fromEntries(
      Object.entries(hyperparams).map(([key, value]) => [
        key,
        typeof value === 'number' ? value : value(count),
      ]),
    );
  return {
    init(params) {
      const values = valuesAt(0);
      return { count: 0, hyperparams: values, inner: factory(values).init(params) };
    },
    update(updates, state, params, context) {
      const values = valuesAt(state.count);
      // The inner transformation gets the context as given (possibly none, optax-style).
      const out = factory(values).update(updates, state.inner, params, context as TransformContext);
      return {
        updates: out.updates,
        state: { count: state.count + 1, hyperparams: values, inner: out.state },
      };
    },
  };
}

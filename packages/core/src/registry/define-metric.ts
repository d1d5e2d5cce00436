import * as z from 'zod/v4/core';
import { InvalidArgumentError } from '../errors/argmin-error';
import {
  type MetricInput,
  type MetricMeta,
  type MetricPlugin,
  SPEC_VERSION,
  type StageBinding,
  type StageInput,
} from '../spec/plugin';
import { checkPluginId } from './define-problem';

/**
 * Defines a metric plugin: a measurement of a previous pipeline stage's result (`meta.takes` lists the
 * result kinds it reads). `compute` gets the result and the problem instance that stage ran on and
 * returns named numbers; the options schema must be strict.
 *
 * @example
 * export const marginalErrorMetric = defineMetric({
 *   meta: { id: 'ot/marginal-error', title: 'Marginal error of a plan', takes: ['ot-plan'] },
 *   options: z.strictObject({}),
 *   compute: ({ result, instance }) => ({ marginalError: marginalError(result.plan, a, b) }),
 * });
 */
export function defineMetric<const Id extends string, Schema extends z.$ZodType>(definition: {
  meta: MetricMeta<Id>;
  options: Schema;
  compute: (input: MetricInput, options: z.output<Schema>) => Record<string, number>;
}): MetricPlugin<Id, Schema> {
  checkPluginId('defineMetric', definition.meta?.id);
  if (!Array.isArray(definition.meta.takes) || definition.meta.takes.length === 0) {
    throw new InvalidArgumentError({
      argument: 'meta.takes',
      value: definition.meta.takes,
      message: `defineMetric(${definition.meta.id}): \`meta.takes\` must list the result kinds it reads, e.g. ['ot-plan'].`,
    });
  }
  if (
    !(definition.options instanceof z.$ZodObject) ||
    !(definition.options._zod.def.catchall instanceof z.$ZodNever)
  ) {
    throw new InvalidArgumentError({
      argument: 'options',
      value: definition.meta.id,
      message: `defineMetric(${definition.meta.id}): the options schema must be strict; build it with z.strictObject({...}).`,
    });
  }
  return Object.freeze({
    specVersion: SPEC_VERSION,
    ...definition,
    meta: Object.freeze({ ...definition.meta }),
  });
}

/**
 * Declares how a registered method runs as a pipeline stage: the kind it takes, the kind it gives
 * and, when its `create` does not return an iterative Optimizer, `run(created, { instance, rng })`
 * returning its result. Area packages export these lists as `<area>Stages`.
 *
 * @example
 * defineStage({ method: 'ot/sinkhorn', takes: 'ot-problem', gives: 'ot-plan',
 *   run: (solver, { instance }) => solver.solve(instance.problem.a, instance.problem.b, instance.problem.cost) });
 */
export function defineStage<Created = unknown>(definition: {
  method: string;
  takes: string;
  gives: string;
  run?: (created: Created, input: StageInput) => unknown;
}): StageBinding {
  checkPluginId('defineStage', definition.method);
  for (const key of ['takes', 'gives'] as const) {
    if (typeof definition[key] !== 'string' || definition[key] === '') {
      throw new InvalidArgumentError({
        argument: key,
        value: definition[key],
        message: `defineStage(${definition.method}): \`${key}\` must be a kind name such as 'linear-system'.`,
      });
    }
  }
  return Object.freeze({
    specVersion: SPEC_VERSION,
    ...definition,
    run: definition.run as StageBinding['run'],
  });
}

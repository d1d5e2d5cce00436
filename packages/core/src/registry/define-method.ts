import * as z from 'zod/v4/core';
import { InvalidArgumentError } from '../errors/argmin-error';
import { type MethodMeta, type MethodPlugin, SPEC_VERSION } from '../spec/plugin';

const idPattern = /^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Defines a method plugin. Checks the id format (`<area>/<method>`, kebab-case) and that the options
 * schema is strict, and stamps the spec version.
 *
 * @example
 * export const gradientDescentPlugin = defineMethod({
 *   meta: { id: 'core/gradient-descent', title: 'Gradient descent with Armijo backtracking', references: [], needs: ['value', 'grad'] },
 *   options: gradientDescentOptions,           // z.strictObject({...})
 *   create: (options) => gradientDescent(options),
 * });
 */
export function defineMethod<const Id extends string, Schema extends z.$ZodType, Created>(definition: {
  meta: MethodMeta<Id>;
  options: Schema;
  create: (options: z.output<Schema>) => Created;
  example?: string;
}): MethodPlugin<Id, Schema, Created> {
  const { meta } = definition;
  if (typeof meta?.id !== 'string' || !idPattern.test(meta.id)) {
    throw new InvalidArgumentError({
      argument: 'meta.id',
      value: meta?.id,
      message: `defineMethod: \`meta.id\` must be "<area>/<method>" in kebab-case (e.g. "ot/sinkhorn"); got ${JSON.stringify(meta?.id)}.`,
    });
  }
  if (!(definition.options instanceof z.$ZodObject)) {
    throw new InvalidArgumentError({
      argument: 'options',
      value: typeof definition.options,
      message: `defineMethod(${meta.id}): \`options\` must be a zod object schema; use z.strictObject({...}).`,
    });
  }
  const catchall = (definition.options as z.$ZodObject)._zod.def.catchall;
  if (!catchall || !(catchall instanceof z.$ZodNever)) {
    throw new InvalidArgumentError({
      argument: 'options',
      value: meta.id,
      message: `defineMethod(${meta.id}): the options schema must be strict (unknown keys are errors); build it with z.strictObject({...}).`,
    });
  }
  return Object.freeze({ specVersion: SPEC_VERSION, ...definition, meta: Object.freeze({ ...meta }) });
}

/** The area of an id (`ot` for `ot/sinkhorn`). */
export function areaOf(id: string): string {
  return id.slice(0, id.indexOf('/'));
}

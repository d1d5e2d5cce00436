import type * as z from 'zod/v4/core';
import { InvalidArgumentError } from '../errors/argmin-error';
import type { Rng } from '../rng/rng';
import { type ProblemInstance, type ProblemMeta, type ProblemPlugin, SPEC_VERSION } from '../spec/plugin';

const idPattern = /^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/;

/** Checks an `<area>/<name>` kebab-case id; `what` names the definer in the message. */
export function checkPluginId(what: string, id: unknown): void {
  if (typeof id !== 'string' || !idPattern.test(id)) {
    throw new InvalidArgumentError({
      argument: 'meta.id',
      value: id,
      message: `${what}: \`meta.id\` must be "<area>/<name>" in kebab-case; got ${JSON.stringify(id)}.`,
    });
  }
}

/**
 * Defines a problem plugin (a named generator of problem instances that pipelines can use).
 * `meta.gives` is the kind of `problem` ('oracle' by default when `provides` is not empty).
 */
export function defineProblem<const Id extends string, Schema extends z.$ZodType, P>(definition: {
  meta: ProblemMeta<Id>;
  options: Schema;
  create: (options: z.output<Schema>, rng: Rng) => ProblemInstance<P>;
}): ProblemPlugin<Id, Schema, P> {
  checkPluginId('defineProblem', definition.meta?.id);
  return Object.freeze({ specVersion: SPEC_VERSION, ...definition });
}

/** The kind a problem plugin gives: `meta.gives`, else 'oracle' when it provides capabilities. */
export function problemKind(meta: ProblemMeta): string | undefined {
  return meta.gives ?? (meta.provides.length > 0 ? 'oracle' : undefined);
}

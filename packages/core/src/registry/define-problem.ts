import type { z } from 'zod';
import { InvalidArgumentError } from '../errors/argmin-error';
import type { Rng } from '../rng/rng';
import type { Capability } from '../spec/oracle';
import { type ProblemInstance, type ProblemPlugin, SPEC_VERSION } from '../spec/plugin';

const idPattern = /^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/;

/** Defines a problem plugin (a named generator of problem instances that pipelines can use). */
export function defineProblem<const Id extends string, Schema extends z.ZodType, P>(definition: {
  meta: { id: Id; title: string; description?: string; provides: readonly Capability[] };
  options: Schema;
  create: (options: z.output<Schema>, rng: Rng) => ProblemInstance<P>;
}): ProblemPlugin<Id, Schema, P> {
  if (!idPattern.test(definition.meta.id)) {
    throw new InvalidArgumentError({
      argument: 'meta.id',
      value: definition.meta.id,
      message: `defineProblem: \`meta.id\` must be "<area>/<name>" in kebab-case; got ${JSON.stringify(definition.meta.id)}.`,
    });
  }
  return Object.freeze({ specVersion: SPEC_VERSION, ...definition });
}

import type { z } from 'zod';
import type { Capability } from './oracle';

/** The plugin contract version `defineMethod` stamps; `createRegistry` rejects versions it does not know. */
export const SPEC_VERSION = 1 as const;

/** A paper (or other source) a method implements. */
export interface Reference {
  readonly title: string;
  readonly authors?: string;
  readonly year?: number;
  /** arXiv id, e.g. '2401.12253'. */
  readonly arxiv?: string;
  readonly url?: string;
}

/** Metadata shown by `argmin list`, the docs and pickers. */
export interface MethodMeta<Id extends string = string> {
  /** `<area>/<method>` in kebab-case; renaming it is breaking. */
  readonly id: Id;
  readonly title: string;
  /** One paragraph: what it does and when to use it. */
  readonly description?: string;
  readonly references: readonly Reference[];
  /** Oracle capabilities the method calls; checked on the problem before init. */
  readonly needs?: readonly Capability[];
  /** Draws random numbers: results depend on (and are reproducible from) the seed. */
  readonly stochastic?: boolean;
  /** Unsettled API. */
  readonly experimental?: boolean;
  /** The kind of thing `create` returns: 'optimizer' (default), 'transform', 'solver', 'sampler', ... */
  readonly kind?: string;
}

/**
 * A method plugin: a value (nothing registers on import). `options` is a strict zod schema (unknown
 * keys are an error) and the single source of option types and defaults; `create` receives the parsed
 * options.
 */
export interface MethodPlugin<
  Id extends string = string,
  Schema extends z.ZodType = z.ZodType,
  Created = unknown,
> {
  readonly specVersion: typeof SPEC_VERSION;
  readonly meta: MethodMeta<Id>;
  readonly options: Schema;
  readonly create: (options: z.output<Schema>) => Created;
  /** Path of a runnable example (relative to the package) the docs show and a test executes. */
  readonly example?: string;
}

/** Any plugin. */
export type AnyMethodPlugin = MethodPlugin<string, z.ZodType, unknown>;

/** A problem instance with its default starting point. */
export interface ProblemInstance<P = unknown> {
  readonly problem: P;
  readonly x0: Float64Array;
  /** Known minimizer / solution, if any (for reports). */
  readonly solution?: Float64Array;
  /** Known optimal value, if any. */
  readonly optimalValue?: number;
}

/** A problem plugin: pipelines name problems by id, like methods. */
export interface ProblemPlugin<
  Id extends string = string,
  Schema extends z.ZodType = z.ZodType,
  P = unknown,
> {
  readonly specVersion: typeof SPEC_VERSION;
  readonly meta: {
    readonly id: Id;
    readonly title: string;
    readonly description?: string;
    readonly provides: readonly Capability[];
  };
  readonly options: Schema;
  readonly create: (options: z.output<Schema>, rng: import('../rng/rng').Rng) => ProblemInstance<P>;
}

/** Any problem plugin. */
export type AnyProblemPlugin = ProblemPlugin<string, z.ZodType, unknown>;

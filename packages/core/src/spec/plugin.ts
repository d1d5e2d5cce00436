import type * as z from 'zod/v4/core';
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
  /**
   * Pipelines: the kind of input the method takes (`'oracle'`, `'linear-system'`,
   * `'linear-system-sequence'`, `'ot-problem'`, `'diffusion-model'`, ...). When absent, a method that
   * declares `needs` takes an `'oracle'`; otherwise a stage binding (`defineStage`) may declare it.
   */
  readonly takes?: string;
  /** Pipelines: the kind of result it gives (`'iterate'`, `'ot-plan'`, `'samples'`, ...; default `'iterate'`). */
  readonly gives?: string;
}

/**
 * A method plugin: a value (nothing registers on import). `options` is a strict zod schema (unknown
 * keys are an error) and the single source of option types and defaults; `create` receives the parsed
 * options.
 */
export interface MethodPlugin<
  Id extends string = string,
  Schema extends z.$ZodType = z.$ZodType,
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
export type AnyMethodPlugin = MethodPlugin<string, z.$ZodType, unknown>;

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
  Schema extends z.$ZodType = z.$ZodType,
  P = unknown,
> {
  readonly specVersion: typeof SPEC_VERSION;
  readonly meta: ProblemMeta<Id>;
  readonly options: Schema;
  readonly create: (options: z.output<Schema>, rng: import('../rng/rng').Rng) => ProblemInstance<P>;
}

/** Metadata of a problem plugin. */
export interface ProblemMeta<Id extends string = string> {
  readonly id: Id;
  readonly title: string;
  readonly description?: string;
  /** Oracle capabilities of `problem` (empty when it is not an oracle). */
  readonly provides: readonly Capability[];
  /**
   * The kind of `problem` for pipelines: `'oracle'`, `'linear-system'`, `'linear-system-sequence'`,
   * `'ot-problem'`, `'diffusion-model'`, ... Default: `'oracle'` when `provides` is not empty.
   */
  readonly gives?: string;
  readonly references?: readonly Reference[];
}

/**
 * How a method runs as a pipeline stage, declared next to (or apart from) its plugin: the kind it
 * takes, the kind it gives and, for a method whose `create` does not return an iterative Optimizer
 * (an OT solver, a sequence solver), the function that runs it on a problem. Without `run` the stage
 * is iterative: core's `solve` runs the created Optimizer from x0 under the stage's `stopWhen`.
 */
export interface StageBinding {
  readonly specVersion: typeof SPEC_VERSION;
  /** The method id this binding is for. */
  readonly method: string;
  readonly takes: string;
  readonly gives: string;
  readonly run?: (created: unknown, input: StageInput) => unknown;
}

/** What a non-iterative stage's `run` receives. */
export interface StageInput {
  /** The problem instance the stage runs on (`instance.problem` is of the stage's input kind). */
  readonly instance: ProblemInstance;
  /** The run's seeded Rng. */
  readonly rng: import('../rng/rng').Rng;
}

/** Metadata of a metric plugin. */
export interface MetricMeta<Id extends string = string> {
  readonly id: Id;
  readonly title: string;
  readonly description?: string;
  /** Result kinds the metric reads (`'ot-plan'`, `'samples'`, ...). */
  readonly takes: readonly string[];
  readonly references?: readonly Reference[];
}

/** What a metric's `compute` receives: the stage's result and the problem it ran on. */
export interface MetricInput {
  /** The result of the stage the metric reads (of one of the kinds in `meta.takes`). */
  readonly result: unknown;
  /** The problem instance that stage ran on. */
  readonly instance: ProblemInstance;
  /** A seeded Rng derived from the pipeline's seed (for metrics that draw reference samples). */
  readonly rng: import('../rng/rng').Rng;
}

/**
 * A metric plugin: a named measurement of a previous stage's result (marginal error of a plan, true
 * residual of a solution, Fréchet distance of samples). Returns named numbers.
 */
export interface MetricPlugin<Id extends string = string, Schema extends z.$ZodType = z.$ZodType> {
  readonly specVersion: typeof SPEC_VERSION;
  readonly meta: MetricMeta<Id>;
  readonly options: Schema;
  readonly compute: (input: MetricInput, options: z.output<Schema>) => Record<string, number>;
}

/** Any metric plugin. */
export type AnyMetricPlugin = MetricPlugin<string, z.$ZodType>;

/** Any problem plugin. */
export type AnyProblemPlugin = ProblemPlugin<string, z.$ZodType, unknown>;

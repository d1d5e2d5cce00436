import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  ArgminError,
  InvalidOptionsError,
  type OptionIssue,
  PipelineError,
  UnknownMethodError,
} from '../errors/argmin-error';
import { optionKeys, toOptionIssues } from '../registry/options';
import { createRng } from '../rng/rng';
import type { SolveResult } from '../solve/result';
import { type Observer, solve } from '../solve/solve';
import {
  anyOf,
  maxIterations,
  metricAbove,
  metricBelow,
  oracleCallsAbove,
  relativeChangeBelow,
  type StopCondition,
  wallTimeAbove,
} from '../solve/stop-when';
import type { Optimizer } from '../spec/optimizer';
import type { AnyMethodPlugin, AnyProblemPlugin } from '../spec/plugin';
import { sequence } from './sequence';

/** Stopping rules in a pipeline file; several keys combine with anyOf. */
export const stopWhenSchema = z.strictObject({
  maxIterations: z.number().int().nonnegative().optional(),
  metricBelow: z.record(z.string(), z.number().nonnegative()).optional(),
  metricAbove: z.record(z.string(), z.number()).optional(),
  relativeChangeBelow: z.number().nonnegative().optional(),
  oracleCallsAbove: z.number().int().nonnegative().optional(),
  wallTimeAboveMs: z.number().positive().optional(),
});

/** The pipeline file format (JSON or YAML). */
export const pipelineSchema = z.strictObject({
  /** Optional name shown in summaries. */
  name: z.string().optional(),
  /** Seed of the run's Rng (default 0). */
  seed: z.number().int().nonnegative().default(0),
  problem: z.strictObject({
    id: z.string(),
    options: z.record(z.string(), z.unknown()).default({}),
  }),
  /** Starting point; default: the problem's own x0. */
  x0: z.array(z.number()).optional(),
  stages: z
    .array(
      z.strictObject({
        name: z.string().optional(),
        method: z.string(),
        options: z.record(z.string(), z.unknown()).default({}),
        stopWhen: stopWhenSchema.optional(),
      }),
    )
    .min(1),
  /** Overall stopping rule (default: the last stage's). */
  stopWhen: stopWhenSchema.optional(),
  /** Metrics to print in summaries (default: all the last step reports). */
  metrics: z.array(z.string()).optional(),
  recordEvery: z.number().int().nonnegative().default(1),
});

export type PipelineFile = z.input<typeof pipelineSchema>;
export type Pipeline = z.output<typeof pipelineSchema>;

/** Builds a StopCondition from its pipeline-file form. */
export function stopConditionFrom(spec: z.output<typeof stopWhenSchema>): StopCondition | undefined {
  const parts: StopCondition[] = [];
  if (spec.metricBelow)
    for (const [metric, threshold] of Object.entries(spec.metricBelow))
      parts.push(metricBelow(metric, threshold));
  if (spec.metricAbove)
    for (const [metric, threshold] of Object.entries(spec.metricAbove))
      parts.push(metricAbove(metric, threshold));
  if (spec.relativeChangeBelow !== undefined) parts.push(relativeChangeBelow(spec.relativeChangeBelow));
  if (spec.maxIterations !== undefined) parts.push(maxIterations(spec.maxIterations));
  if (spec.oracleCallsAbove !== undefined) parts.push(oracleCallsAbove(spec.oracleCallsAbove));
  if (spec.wallTimeAboveMs !== undefined) parts.push(wallTimeAbove(spec.wallTimeAboveMs));
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : anyOf(...parts);
}

/** Parses pipeline text; `format` defaults to YAML (a superset of JSON). Throws PipelineError. */
export function parsePipelineText(text: string, format: 'json' | 'yaml' = 'yaml'): unknown {
  try {
    return format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new PipelineError({
      issues: [{ path: '', message: `cannot parse ${format.toUpperCase()}: ${(error as Error).message}` }],
      cause: error,
    });
  }
}

/** A pipeline checked against the registries: every id resolved, every option parsed. Nothing has run. */
export interface ValidatedPipeline {
  readonly pipeline: Pipeline;
  readonly problem: AnyProblemPlugin;
  readonly problemOptions: unknown;
  readonly stages: readonly {
    readonly name: string;
    readonly plugin: AnyMethodPlugin;
    readonly options: unknown;
    readonly stopWhen?: StopCondition;
  }[];
  readonly stopWhen?: StopCondition;
}

/**
 * Validates a parsed pipeline against method and problem plugins, collecting every issue (unknown ids
 * with the registered ones, unknown option keys with the valid ones, wrong types) into one
 * PipelineError. Nothing runs before this passes.
 */
export function validatePipeline(
  input: unknown,
  { methods, problems }: { methods: readonly AnyMethodPlugin[]; problems: readonly AnyProblemPlugin[] },
): ValidatedPipeline {
  const parsed = pipelineSchema.safeParse(input);
  if (!parsed.success) {
    throw new PipelineError({
      issues: toOptionIssues(parsed.error).map((i) => ({
        ...i,
        message:
          i.message === 'unknown option'
            ? `unknown key (valid keys: ${optionKeys(pipelineSchema).join(', ')})`
            : i.message,
      })),
    });
  }
  const pipeline = parsed.data;
  const issues: OptionIssue[] = [];
  const methodIds = methods.map((p) => p.meta.id);
  const problemIds = problems.map((p) => p.meta.id);

  const problem = problems.find((p) => p.meta.id === pipeline.problem.id);
  let problemOptions: unknown;
  if (!problem) {
    issues.push({
      path: 'problem.id',
      message: new UnknownMethodError({ id: pipeline.problem.id, available: problemIds, kind: 'problem' })
        .message,
    });
  } else {
    const result = problem.options.safeParse(pipeline.problem.options);
    if (result.success) problemOptions = result.data;
    else
      issues.push(
        ...toOptionIssues(result.error).map((i) => ({
          path: `problem.options${i.path ? `.${i.path}` : ''}`,
          message: `${i.message} (valid options of ${problem.meta.id}: ${optionKeys(problem.options).join(', ') || 'none'})`,
        })),
      );
  }

  const stages: ValidatedPipeline['stages'][number][] = [];
  pipeline.stages.forEach((stage, index) => {
    const plugin = methods.find((p) => p.meta.id === stage.method);
    if (!plugin) {
      issues.push({
        path: `stages[${index}].method`,
        message: new UnknownMethodError({ id: stage.method, available: methodIds }).message,
      });
      return;
    }
    const result = plugin.options.safeParse(stage.options);
    if (!result.success) {
      const error = new InvalidOptionsError({
        id: plugin.meta.id,
        issues: toOptionIssues(result.error),
        validKeys: optionKeys(plugin.options),
      });
      issues.push(
        ...error.issues.map((i) => ({
          path: `stages[${index}].options${i.path ? `.${i.path}` : ''}`,
          message: `${i.message} (valid options of ${plugin.meta.id}: ${error.validKeys.join(', ') || 'none'})`,
        })),
      );
      return;
    }
    if (problem && plugin.meta.needs) {
      const missing = plugin.meta.needs.filter((c) => !problem.meta.provides.includes(c));
      if (missing.length)
        issues.push({
          path: `stages[${index}].method`,
          message: `${plugin.meta.id} needs ${missing.join(', ')}, which ${problem.meta.id} does not provide`,
        });
    }
    stages.push({
      name: stage.name ?? `${index}:${plugin.meta.id}`,
      plugin,
      options: result.data,
      stopWhen: stage.stopWhen ? stopConditionFrom(stage.stopWhen) : undefined,
    });
  });
  if (issues.length) throw new PipelineError({ issues });
  return {
    pipeline,
    problem: problem as AnyProblemPlugin,
    problemOptions,
    stages,
    stopWhen: pipeline.stopWhen ? stopConditionFrom(pipeline.stopWhen) : undefined,
  };
}

/** Runs a validated pipeline: builds the problem, chains the stages with `sequence`, solves. */
export function runPipeline(
  validated: ValidatedPipeline,
  { observers }: { observers?: readonly Observer[] } = {},
): SolveResult {
  const { pipeline } = validated;
  const rng = createRng(pipeline.seed);
  const instance = validated.problem.create(validated.problemOptions, rng);
  const x0 = pipeline.x0 ? Float64Array.from(pipeline.x0) : instance.x0;
  const optimizers = validated.stages.map((s) => ({
    name: s.name,
    optimizer: s.plugin.create(s.options) as Optimizer<unknown, unknown>,
    stopWhen: s.stopWhen,
  }));
  for (const o of optimizers) {
    if (typeof o.optimizer?.step !== 'function') {
      throw new ArgminError({
        name: 'PipelineError',
        message: `Invalid pipeline: stage "${o.name}" is not an iterative method (its plugin does not create an Optimizer).`,
      });
    }
  }
  const optimizer =
    optimizers.length === 1 ? optimizers[0].optimizer : sequence(optimizers, { id: 'core/pipeline' });
  const lastStop =
    optimizers.length === 1 ? (optimizers[0].stopWhen ?? optimizers[0].optimizer.defaultStopWhen) : undefined;
  return solve(optimizer, instance.problem, x0, {
    stopWhen:
      validated.stopWhen ?? lastStop ?? (optimizers.length > 1 ? maxIterations(1_000_000) : undefined),
    rng,
    recordEvery: pipeline.recordEvery,
    observers: observers as Observer<unknown>[] | undefined,
    needs: validated.stages[0].plugin.meta.needs,
  });
}

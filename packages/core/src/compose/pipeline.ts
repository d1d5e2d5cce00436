import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { safeParse } from 'zod/v4/core';
import {
  ArgminError,
  type OptionIssue,
  PipelineError,
  suggestOption,
  UnknownMethodError,
} from '../errors/argmin-error';
import { problemKind } from '../registry/define-problem';
import { optionKeys, toOptionIssues } from '../registry/options';
import { createRng, deriveRng } from '../rng/rng';
import { now } from '../solve/clock';
import { type ResultBase, type SolveResult, traceOf } from '../solve/result';
import { type Observer, solve } from '../solve/solve';
import {
  anyOf,
  maxIterations,
  metricAbove,
  metricBelow,
  oracleCallsAbove,
  relativeChangeBelow,
  type StopCondition,
  unboundedIterationCap,
  wallTimeAbove,
} from '../solve/stop-when';
import type { Optimizer, SolveStatus, SolveWarning, StepInfo } from '../spec/optimizer';
import type {
  AnyMethodPlugin,
  AnyMetricPlugin,
  AnyProblemPlugin,
  ProblemInstance,
  StageBinding,
} from '../spec/plugin';
import type { Vec } from '../spec/vec';
import { sequence } from './sequence';

/**
 * Largest pipeline file (in bytes) that readers such as the `argmin` CLI accept: 1 MiB. Pipeline
 * files are small; anything larger is refused before it is parsed.
 */
export const MAX_PIPELINE_BYTES = 1_048_576;

/**
 * Iteration cap of a chain of iterative stages without a top-level `stopWhen`: core's
 * `unboundedIterationCap` (10^6 steps), the same cap `solve` puts on any rule without an iteration or
 * time bound.
 */
export const PIPELINE_ITERATION_CAP = unboundedIterationCap;

/** Stopping rules in a pipeline file; several keys combine with anyOf. */
export const stopWhenSchema = z.strictObject({
  maxIterations: z.number().int().nonnegative().optional(),
  metricBelow: z.record(z.string(), z.number().nonnegative()).optional(),
  metricAbove: z.record(z.string(), z.number()).optional(),
  relativeChangeBelow: z.number().nonnegative().optional(),
  oracleCallsAbove: z.number().int().nonnegative().optional(),
  wallTimeAboveMs: z.number().positive().optional(),
});

const stageSchema = z.strictObject({
  /** Name used in summaries and by metric stages' `of` (default `<index>:<id>`). */
  name: z.string().min(1).optional(),
  /** A method id (a method stage). Exactly one of `method` and `metric`. */
  method: z.string().min(1).optional(),
  /** A metric id (a metric stage, measuring the result of the stage named by `of`). */
  metric: z.string().min(1).optional(),
  options: z.record(z.string(), z.unknown()).default({}),
  /** Iterative stages only: when this stage ends. */
  stopWhen: stopWhenSchema.optional(),
  /**
   * Iterative stages only: where the stage starts. 'previous' (default) continues from the iterate of
   * the iterative stage right before it (the two run as one chain); 'x0' starts a separate run from x0.
   */
  from: z.enum(['previous', 'x0']).optional(),
  /** Metric stages only: the name of the earlier method stage to measure (default: the last one). */
  of: z.string().min(1).optional(),
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
  /** Starting point of the iterative stages; default: the problem's own x0. Its length is checked. */
  x0: z.array(z.number()).optional(),
  stages: z.array(stageSchema).min(1),
  /**
   * Stopping rule of every iterative run. With a single-stage run, the stage's own `stopWhen` and this
   * one both apply and the first to fire wins; in a chain, each stage's rule ends that stage and this
   * one ends the chain.
   */
  stopWhen: stopWhenSchema.optional(),
  /** Metrics to print in summaries (default: all). */
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
  if (text.length > MAX_PIPELINE_BYTES) {
    throw new PipelineError({
      issues: [
        {
          path: '',
          message: `the pipeline text has ${text.length} characters, more than the limit of ${MAX_PIPELINE_BYTES}; pipeline files are small: split it or remove inline data`,
        },
      ],
    });
  }
  try {
    return format === 'json' ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new PipelineError({
      issues: [{ path: '', message: `cannot parse ${format.toUpperCase()}: ${(error as Error).message}` }],
      cause: error,
    });
  }
}

const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** Paths of keys that could pollute prototypes (`__proto__`, `constructor`, `prototype`), anywhere. */
function forbiddenKeyPaths(value: unknown, path: string, out: string[], depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 64) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) forbiddenKeyPaths(value[i], `${path}[${i}]`, out, depth + 1);
    return;
  }
  for (const key of Object.getOwnPropertyNames(value)) {
    const child = path ? `${path}.${key}` : key;
    if (forbiddenKeys.has(key)) out.push(child);
    else forbiddenKeyPaths((value as Record<string, unknown>)[key], child, out, depth + 1);
  }
}

/**
 * Issues of an options object at `prefix`: every bad key with the plugin's valid options, and for an
 * unknown key the nearest valid one (scipy/POT/optax spellings too: `maxiter` → `maxIterations`).
 */
function optionIssuesAt(
  prefix: string,
  id: string,
  schema: z.core.$ZodType,
  error: { readonly issues: readonly z.core.$ZodIssue[] },
): OptionIssue[] {
  const keys = optionKeys(schema);
  return toOptionIssues(error).map((i) => {
    const key = i.path.split('.').pop() ?? '';
    const suggestion =
      i.message === 'unknown option' && !i.path.includes('.') ? suggestOption(key, keys) : undefined;
    return {
      path: `${prefix}${i.path ? `.${i.path}` : ''}`,
      message: `${i.message} (valid options of ${id}: ${keys.join(', ') || 'none'}${suggestion ? `; did you mean \`${suggestion}\`?` : ''})`,
    };
  });
}

/** How a method runs as a stage: what it takes and gives, and whether core's `solve` runs it. */
export interface MethodKinds {
  /** Input kind, or undefined when the method declares none. */
  readonly takes: string | undefined;
  readonly gives: string;
  /** Non-iterative stages run through their binding's `run`; iterative ones through `solve`. */
  readonly run?: StageBinding['run'];
}

/**
 * The kinds of a method: its stage binding's, else its `meta.takes` / `meta.gives`, else 'oracle' in
 * and 'iterate' out when it declares oracle `needs`.
 */
export function methodKinds(plugin: AnyMethodPlugin, binding?: StageBinding): MethodKinds {
  if (binding) return { takes: binding.takes, gives: binding.gives, run: binding.run };
  const takes = plugin.meta.takes ?? (plugin.meta.needs !== undefined ? 'oracle' : undefined);
  return { takes, gives: plugin.meta.gives ?? 'iterate' };
}

/** 'an oracle', 'a linear-system', 'samples' (plural kinds take no article). */
const article = (kind: string) =>
  /[^s]s$/.test(kind) ? kind : /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;

/** One validated method stage. */
export interface ValidatedMethodStage {
  readonly type: 'method';
  readonly name: string;
  readonly plugin: AnyMethodPlugin;
  readonly options: unknown;
  readonly kinds: MethodKinds;
  readonly stopWhen?: StopCondition;
  readonly from: 'previous' | 'x0';
}

/** One validated metric stage. */
export interface ValidatedMetricStage {
  readonly type: 'metric';
  readonly name: string;
  readonly plugin: AnyMetricPlugin;
  readonly options: unknown;
  /** Name of the method stage it measures. */
  readonly of: string;
}

/** A pipeline checked against the registries: every id resolved, every option parsed, every kind matched. Nothing has run. */
export interface ValidatedPipeline {
  readonly pipeline: Pipeline;
  readonly problem: AnyProblemPlugin;
  readonly problemOptions: unknown;
  /** The kind of the problem (undefined when its plugin declares none). */
  readonly problemKind: string | undefined;
  readonly stages: readonly (ValidatedMethodStage | ValidatedMetricStage)[];
  readonly stopWhen?: StopCondition;
}

/** What a pipeline is validated against. */
export interface PipelineRegistries {
  readonly methods: readonly AnyMethodPlugin[];
  readonly problems: readonly AnyProblemPlugin[];
  /** Metric plugins (for metric stages). */
  readonly metrics?: readonly AnyMetricPlugin[];
  /** Stage bindings (`defineStage`): kinds and runners of methods that do not declare them. */
  readonly bindings?: readonly StageBinding[];
}

/**
 * Validates a parsed pipeline against method, problem and metric plugins, collecting every issue into
 * one PipelineError: keys that could pollute prototypes, unknown ids (with the registered ones),
 * unknown option keys (with the valid ones), wrong types, a method whose input kind is not the
 * problem's kind (naming the stage and both kinds), missing oracle capabilities, a metric whose input
 * kind is not the measured stage's result kind, `stopWhen`/`from` on non-iterative stages, and x0 of
 * the wrong length. Nothing runs before this passes (it builds the problem only to check x0's length).
 */
export function validatePipeline(input: unknown, registries: PipelineRegistries): ValidatedPipeline {
  const { methods, problems, metrics = [], bindings = [] } = registries;
  const polluting: string[] = [];
  forbiddenKeyPaths(input, '', polluting);
  if (polluting.length) {
    throw new PipelineError({
      issues: polluting.map((path) => ({
        path,
        message: 'this key name is not allowed in a pipeline file (it could modify object prototypes)',
      })),
    });
  }
  const parsed = pipelineSchema.safeParse(input);
  if (!parsed.success) {
    throw new PipelineError({
      issues: toOptionIssues(parsed.error).map((i) => ({
        // zod's `stages.0.name` read as `stages[0].name`, like every other issue
        path: i.path.replace(/\.(\d+)(?=\.|$)/g, '[$1]'),
        message:
          i.message === 'unknown option'
            ? `unknown key (valid keys: ${(
                i.path.startsWith('stages.')
                  ? optionKeys(stageSchema)
                  : i.path.startsWith('problem.')
                    ? ['id', 'options']
                    : i.path.startsWith('stopWhen.')
                      ? optionKeys(stopWhenSchema)
                      : optionKeys(pipelineSchema)
              ).join(', ')})`
            : i.message,
      })),
    });
  }
  const pipeline = parsed.data;
  const issues: OptionIssue[] = [];
  const methodIds = methods.map((p) => p.meta.id);
  const problemIds = problems.map((p) => p.meta.id);
  const metricIds = metrics.map((p) => p.meta.id);

  const problem = problems.find((p) => p.meta.id === pipeline.problem.id);
  let problemOptions: unknown;
  if (!problem) {
    issues.push({
      path: 'problem.id',
      message: new UnknownMethodError({ id: pipeline.problem.id, available: problemIds, kind: 'problem' })
        .message,
    });
  } else {
    const result = safeParse(problem.options, pipeline.problem.options);
    if (result.success) problemOptions = result.data;
    else issues.push(...optionIssuesAt('problem.options', problem.meta.id, problem.options, result.error));
  }
  const kindOfProblem = problem ? problemKind(problem.meta) : undefined;

  const stages: (ValidatedMethodStage | ValidatedMetricStage)[] = [];
  const names = new Map<string, number>();
  const methodStageNames: string[] = [];
  const gives = new Map<string, string>();
  pipeline.stages.forEach((stage, index) => {
    const at = `stages[${index}]`;
    const id = stage.method ?? stage.metric;
    const name = stage.name ?? `${index}:${id ?? '?'}`;
    const label = `${at} ("${name}")`;
    if (names.has(name)) {
      issues.push({
        path: `${at}.name`,
        message: `the name "${name}" is already used by stages[${names.get(name)}]`,
      });
    }
    names.set(name, index);
    if ((stage.method === undefined) === (stage.metric === undefined)) {
      issues.push({
        path: at,
        message: 'a stage names exactly one of `method` (a method id) and `metric` (a metric id)',
      });
      return;
    }
    if (stage.metric !== undefined) {
      const plugin = metrics.find((p) => p.meta.id === stage.metric);
      if (!plugin) {
        issues.push({
          path: `${at}.metric`,
          message: new UnknownMethodError({ id: stage.metric, available: metricIds, kind: 'metric' }).message,
        });
        return;
      }
      for (const key of ['stopWhen', 'from'] as const)
        if (stage[key] !== undefined)
          issues.push({
            path: `${at}.${key}`,
            message: `\`${key}\` applies to iterative method stages, not to metric stages`,
          });
      const of = stage.of ?? methodStageNames[methodStageNames.length - 1];
      if (of === undefined) {
        issues.push({
          path: `${at}.of`,
          message: `metric ${plugin.meta.id} has no earlier method stage to measure; put it after one`,
        });
      } else if (!gives.has(of)) {
        issues.push({
          path: `${at}.of`,
          message: `"${of}" is not an earlier method stage (earlier method stages: ${methodStageNames.join(', ') || 'none'})`,
        });
      } else {
        const kind = gives.get(of) as string;
        if (!plugin.meta.takes.includes(kind))
          issues.push({
            path: `${at}.metric`,
            message: `${label}: metric ${plugin.meta.id} takes ${plugin.meta.takes.map(article).join(' or ')}, but stage "${of}" gives ${article(kind)}`,
          });
      }
      const result = safeParse(plugin.options, stage.options);
      if (!result.success) {
        issues.push(...optionIssuesAt(`${at}.options`, plugin.meta.id, plugin.options, result.error));
        return;
      }
      stages.push({ type: 'metric', name, plugin, options: result.data, of: of ?? '' });
      return;
    }
    const methodId = stage.method as string;
    const plugin = methods.find((p) => p.meta.id === methodId);
    if (!plugin) {
      issues.push({
        path: `${at}.method`,
        message: new UnknownMethodError({ id: methodId, available: methodIds }).message,
      });
      return;
    }
    const kinds = methodKinds(
      plugin,
      bindings.find((b) => b.method === methodId),
    );
    methodStageNames.push(name);
    gives.set(name, kinds.gives);
    const result = safeParse(plugin.options, stage.options);
    if (!result.success)
      issues.push(...optionIssuesAt(`${at}.options`, plugin.meta.id, plugin.options, result.error));
    if (stage.of !== undefined)
      issues.push({
        path: `${at}.of`,
        message: '`of` applies to metric stages; a method stage runs on the problem',
      });
    if (kinds.run) {
      for (const key of ['stopWhen', 'from'] as const)
        if (stage[key] !== undefined)
          issues.push({
            path: `${at}.${key}`,
            message: `${plugin.meta.id} is not iterative (it solves in one call); set its limits in \`options\` instead`,
          });
    }
    if (problem) {
      if (kinds.takes !== undefined && kindOfProblem !== undefined && kinds.takes !== kindOfProblem) {
        issues.push({
          path: `${at}.method`,
          message: `${label}: ${plugin.meta.id} takes ${article(kinds.takes)}, but problem ${problem.meta.id} gives ${article(kindOfProblem)}`,
        });
      } else if (kinds.takes === undefined && kindOfProblem === 'oracle') {
        issues.push({
          path: `${at}.method`,
          message: `${label}: ${plugin.meta.id} declares no input kind and needs no oracle capability, so it cannot run on problem ${problem.meta.id}, which gives an oracle`,
        });
      } else if (kinds.takes === 'oracle' && plugin.meta.needs) {
        const missing = plugin.meta.needs.filter((c) => !problem.meta.provides.includes(c));
        if (missing.length)
          issues.push({
            path: `${at}.method`,
            message: `${label}: ${plugin.meta.id} needs ${missing.join(', ')}, which ${problem.meta.id} does not provide`,
          });
      }
    }
    if (result.success)
      stages.push({
        type: 'method',
        name,
        plugin,
        options: result.data,
        kinds,
        stopWhen: stage.stopWhen ? stopConditionFrom(stage.stopWhen) : undefined,
        from: stage.from ?? 'previous',
      });
  });
  const iterative = stages.some((s) => s.type === 'method' && !s.kinds.run);
  if (!iterative && pipeline.stopWhen)
    issues.push({
      path: 'stopWhen',
      message: 'a top-level `stopWhen` applies to iterative stages, and this pipeline has none',
    });
  if (pipeline.x0 !== undefined) {
    if (!iterative) {
      issues.push({
        path: 'x0',
        message: '`x0` is the start of iterative stages, and this pipeline has none',
      });
    } else if (problem && problemOptions !== undefined && issues.length === 0) {
      let instance: ProblemInstance | undefined;
      try {
        instance = problem.create(problemOptions, createRng(pipeline.seed));
      } catch (error) {
        if (!ArgminError.isInstance(error)) throw error;
        issues.push({ path: 'problem', message: error.message });
      }
      if (instance && instance.x0.length !== pipeline.x0.length)
        issues.push({
          path: 'x0',
          message: `has length ${pipeline.x0.length}, but problem ${problem.meta.id} with these options has dimension ${instance.x0.length}`,
        });
    }
  }
  if (issues.length) throw new PipelineError({ issues });
  return {
    pipeline,
    problem: problem as AnyProblemPlugin,
    problemOptions,
    problemKind: kindOfProblem,
    stages,
    stopWhen: pipeline.stopWhen ? stopConditionFrom(pipeline.stopWhen) : undefined,
  };
}

/** One executed unit of a pipeline: a method run (one stage, or a chain of iterative stages) or a metric. */
export interface PipelineStageRecord {
  readonly type: 'method' | 'metric';
  /** The stage's name (a chain is recorded under its last stage's name). */
  readonly name: string;
  /** Names of the stages this record covers (several for a chain). */
  readonly stages: readonly string[];
  /** Method id ('core/pipeline' for a chain) or metric id. */
  readonly id: string;
  /** Result kind ('iterate', 'ot-plan', ...) or 'metric'. */
  readonly gives: string;
  /** The method's result, read through ResultBase (absent for metrics). */
  readonly result?: ResultBase;
  /** Named numbers: a method result's scalar fields (cost, nfe, matvecs, info.*) or a metric's values. */
  readonly summary: Readonly<Record<string, number>>;
  /** The area's own result object (plan, x, potentials, ...), absent for metrics. */
  readonly raw?: unknown;
  readonly elapsedMs: number;
}

/**
 * What a pipeline run returns: a ResultBase (status: the first failure of any method run, else the
 * last method run's status), every stage's record and the metric values, plus, for compatibility with
 * single-run pipelines, the last iterative run's x, info, seed and method.
 */
export interface PipelineResult extends ResultBase {
  readonly name?: string;
  readonly seed: number;
  readonly records: readonly PipelineStageRecord[];
  /** Metric stage values as `<stage name>.<value name>`. */
  readonly metrics: Readonly<Record<string, number>>;
  /** The last method run's iterate (empty when it has none, e.g. an OT plan). */
  readonly x: Vec;
  /** The last method run's final metrics (empty when it has none). */
  readonly info: StepInfo;
  readonly method: { readonly id: string };
  readonly oracleCalls: number | undefined;
  /** The last iterative run's final state (for warm starts), if any. */
  readonly state: unknown;
  readonly elapsedMs: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value);

const statuses: readonly string[] = [
  'converged',
  'max-iterations',
  'stalled',
  'diverged',
  'numerical-error',
  'stopped-by-observer',
  'aborted',
];

/**
 * Reads any area's result through ResultBase: status, converged, iterations, message, warnings and a
 * columnar trace. A trace whose columns sit beside `iteration` (an older shape, e.g.
 * `{ iteration, error }`) is read into `trace.metrics`. Missing fields get neutral values.
 */
export function asResultBase(raw: unknown): ResultBase {
  const r = isRecord(raw) ? raw : {};
  const status = (
    typeof r.status === 'string' && statuses.includes(r.status) ? r.status : 'converged'
  ) as SolveStatus;
  const iteration: number[] = [];
  const elapsed: number[] = [];
  const metrics: Record<string, number[]> = {};
  if (isRecord(r.trace) && Array.isArray(r.trace.iteration)) {
    iteration.push(...(r.trace.iteration as number[]));
    if (Array.isArray(r.trace.elapsedMs)) elapsed.push(...(r.trace.elapsedMs as number[]));
    if (isRecord(r.trace.metrics))
      for (const [key, column] of Object.entries(r.trace.metrics))
        if (Array.isArray(column)) metrics[key] = column as number[];
    for (const [key, column] of Object.entries(r.trace))
      if (key !== 'iteration' && key !== 'elapsedMs' && key !== 'metrics' && Array.isArray(column))
        metrics[key] = column as number[];
  }
  return {
    status,
    converged: typeof r.converged === 'boolean' ? r.converged : status === 'converged',
    iterations: typeof r.iterations === 'number' ? r.iterations : 0,
    message: typeof r.message === 'string' ? r.message : '',
    warnings: Array.isArray(r.warnings) ? (r.warnings as SolveWarning[]) : [],
    trace: traceOf(iteration, metrics, elapsed.length === iteration.length ? elapsed : undefined),
  };
}

/**
 * The scalar numbers of a result, for reports: its top-level numeric fields and those of its plain
 * nested objects one level down (`info.gradNorm` is listed as `gradNorm`; `totals.matvecs` as
 * `totals.matvecs` when the bare name holds another value, and not at all when it holds the same). Arrays, matrices and the seed are left out.
 */
export function scalarsOf(raw: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (!isRecord(raw)) return out;
  const nested: [string, Record<string, unknown>][] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'seed' || key === 'state' || key === 'trace') continue;
    if (typeof value === 'number') out[key] = value;
    else if (isRecord(value) && !('data' in value && 'rows' in value)) nested.push([key, value]);
  }
  for (const [outer, object] of nested)
    for (const [key, value] of Object.entries(object)) {
      if (typeof value !== 'number' || key === 'seed' || Object.is(out[key], value)) continue;
      out[key in out ? `${outer}.${key}` : key] = value;
    }
  return out;
}

const failureStatuses: readonly SolveStatus[] = ['numerical-error', 'diverged', 'aborted'];

/**
 * Runs a validated pipeline. The problem is built from the seeded Rng; stages run in file order:
 * consecutive iterative stages form one chain (`sequence`, each continuing from the previous one's
 * iterate) unless a stage says `from: x0`; a non-iterative stage (OT solver, sequence solver) runs
 * through its binding; a metric stage measures the result of the stage it names. Numerical trouble
 * is a status on the result, never an exception.
 */
export function runPipeline(
  validated: ValidatedPipeline,
  { observers }: { observers?: readonly Observer[] } = {},
): PipelineResult {
  const { pipeline } = validated;
  const started = now();
  const rng = createRng(pipeline.seed);
  const instance = validated.problem.create(validated.problemOptions, rng) as ProblemInstance;
  const x0 = pipeline.x0 ? Float64Array.from(pipeline.x0) : instance.x0;
  const records: PipelineStageRecord[] = [];
  const rawByStage = new Map<string, unknown>();
  const metricValues: Record<string, number> = {};
  const warnings: SolveWarning[] = [];
  let lastMethod: { raw: unknown; base: ResultBase; id: string } | undefined;
  let lastIterative: SolveResult | undefined;
  let failure: ResultBase | undefined;

  const stages = validated.stages;
  for (let i = 0; i < stages.length; i++) {
    const stage = stages[i];
    const t0 = now();
    if (stage.type === 'metric') {
      const measured = rawByStage.get(stage.of);
      const measuredStatus = asResultBase(measured).status;
      // A failed stage's output (its last finite iterate) is not what the metric is meant to measure.
      const skipped = failureStatuses.includes(measuredStatus);
      if (skipped)
        warnings.push({
          type: 'skipped-metric',
          message: `metric ${stage.plugin.meta.id} (stage "${stage.name}") was not computed: stage "${stage.of}" ended in ${measuredStatus}`,
        });
      const values = skipped
        ? {}
        : stage.plugin.compute({ result: measured, instance, rng: deriveRng(rng) }, stage.options);
      for (const [key, value] of Object.entries(values)) {
        metricValues[`${stage.name}.${key}`] = value;
        if (!Number.isFinite(value))
          warnings.push({
            type: 'numerical',
            message: `metric ${stage.plugin.meta.id} of stage "${stage.of}" gave ${key} = ${value}`,
          });
      }
      records.push({
        type: 'metric',
        name: stage.name,
        stages: [stage.name],
        id: stage.plugin.meta.id,
        gives: 'metric',
        summary: values,
        elapsedMs: now() - t0,
      });
      continue;
    }
    let raw: unknown;
    let id = stage.plugin.meta.id;
    let covered = [stage.name];
    if (stage.kinds.run) {
      raw = stage.kinds.run(stage.plugin.create(stage.options), { instance, rng });
    } else {
      // A chain: this stage and the iterative stages right after it that continue from it.
      const chain: ValidatedMethodStage[] = [stage];
      while (i + 1 < stages.length) {
        const next = stages[i + 1];
        if (next.type !== 'method' || next.kinds.run || next.from === 'x0') break;
        chain.push(next);
        i++;
      }
      covered = chain.map((s) => s.name);
      const optimizers = chain.map((s) => ({
        name: s.name,
        optimizer: s.plugin.create(s.options) as Optimizer<unknown, unknown>,
        stopWhen: s.stopWhen,
      }));
      for (const o of optimizers) {
        if (typeof o.optimizer?.step !== 'function' || typeof o.optimizer?.init !== 'function') {
          throw new PipelineError({
            issues: [
              {
                path: o.name,
                message: `stage "${o.name}" is not iterative (its plugin does not create an Optimizer) and no stage binding says how to run it; register its package's *Stages`,
              },
            ],
          });
        }
      }
      let stopWhen: StopCondition | undefined;
      let optimizer: Optimizer<unknown, unknown>;
      if (optimizers.length === 1) {
        optimizer = optimizers[0].optimizer;
        const own = optimizers[0].stopWhen ?? optimizer.defaultStopWhen;
        stopWhen = own && validated.stopWhen ? anyOf(own, validated.stopWhen) : (own ?? validated.stopWhen);
      } else {
        optimizer = sequence(optimizers, { id: 'core/pipeline' });
        id = 'core/pipeline';
        stopWhen = validated.stopWhen ?? maxIterations(PIPELINE_ITERATION_CAP);
      }
      const result = solve(optimizer, instance.problem, x0, {
        stopWhen,
        rng,
        recordEvery: pipeline.recordEvery,
        observers: observers as Observer<unknown>[] | undefined,
        needs: chain[0].kinds.takes === 'oracle' ? chain[0].plugin.meta.needs : undefined,
      });
      lastIterative = result;
      raw = result;
    }
    const base = asResultBase(raw);
    for (const name of covered) rawByStage.set(name, raw);
    const last = covered[covered.length - 1];
    records.push({
      type: 'method',
      name: last,
      stages: covered,
      id,
      gives: stages[i].type === 'method' ? (stages[i] as ValidatedMethodStage).kinds.gives : 'iterate',
      result: base,
      summary: scalarsOf(raw),
      raw,
      elapsedMs: now() - t0,
    });
    warnings.push(...base.warnings.map((w) => ({ ...w, message: `${last}: ${w.message}` })));
    if (!failure && failureStatuses.includes(base.status)) failure = base;
    lastMethod = { raw, base, id };
  }
  const final = lastMethod as { raw: unknown; base: ResultBase; id: string };
  const status = (failure ?? final.base).status;
  const finalRaw = isRecord(final.raw) ? final.raw : {};
  return {
    name: pipeline.name,
    seed: pipeline.seed,
    status,
    converged: status === 'converged',
    iterations: final.base.iterations,
    message: failure && failure !== final.base ? `a stage failed: ${failure.message}` : final.base.message,
    warnings,
    trace: final.base.trace,
    records,
    metrics: metricValues,
    x: finalRaw.x instanceof Float64Array ? finalRaw.x : new Float64Array(0),
    info: isRecord(finalRaw.info) ? (finalRaw.info as StepInfo) : {},
    method: { id: final.id },
    oracleCalls: lastIterative?.oracleCalls,
    state: lastIterative?.state,
    elapsedMs: now() - started,
  };
}

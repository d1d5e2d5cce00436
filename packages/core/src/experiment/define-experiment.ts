import { InvalidArgumentError } from '../errors/argmin-error';
import { createRng } from '../rng/rng';
import type { Experiment, ExperimentContext, ExperimentReport, Verdict } from '../spec/experiment';

const idPattern = /^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Defines a reproduction of a paper's headline claim, at a size that runs in seconds. `run` returns
 * rows, series and a verdict computed from its own measurements (use `verdictFrom`); never hard-code it.
 */
export function defineExperiment<const Id extends string>(
  definition: Omit<Experiment<Id>, 'specVersion'>,
): Experiment<Id> {
  if (typeof definition !== 'object' || definition === null) {
    throw new InvalidArgumentError({
      argument: 'definition',
      value: definition,
      message: `defineExperiment: \`definition\` must be an object { id, paper, claim, run }; got ${String(definition)}.`,
    });
  }
  if (typeof definition.id !== 'string' || !idPattern.test(definition.id)) {
    throw new InvalidArgumentError({
      argument: 'id',
      value: definition.id,
      message: `defineExperiment: \`id\` must be "<area>/<name>" in kebab-case (e.g. "ot/sns-vs-sinkhorn"); got ${JSON.stringify(definition.id)}.`,
    });
  }
  if (
    typeof definition.claim !== 'string' ||
    !definition.claim ||
    typeof definition.paper?.title !== 'string'
  ) {
    throw new InvalidArgumentError({
      argument: 'claim/paper',
      value: definition.id,
      message: `defineExperiment(${definition.id}): \`claim\` and \`paper.title\` are required: state the paper's claim with its threshold.`,
    });
  }
  if (typeof definition.run !== 'function') {
    throw new InvalidArgumentError({
      argument: 'run',
      value: typeof definition.run,
      message: `defineExperiment(${definition.id}): \`run\` must be a function (context) => report.`,
    });
  }
  return Object.freeze({ specVersion: 1 as const, ...definition });
}

/**
 * Builds a verdict from a measured value and a threshold test. `holds` must come from the
 * measurements; `undefined` or NaN measurements give 'inconclusive'.
 *
 * @example
 * verdictFrom({ value: medianRatio, holds: medianRatio >= 10, measured: `${medianRatio.toFixed(1)}x fewer iterations`, threshold: '>= 10x' })
 */
export function verdictFrom({
  value,
  holds,
  measured,
  threshold,
  claim,
}: {
  value: number | undefined;
  holds: boolean;
  measured: string;
  threshold: string;
  claim?: string;
}): Verdict {
  if (value === undefined || Number.isNaN(value)) {
    return { status: 'inconclusive', measured, threshold, summary: `Could not measure: ${measured}.` };
  }
  return {
    status: holds ? 'reproduced' : 'not-reproduced',
    measured,
    threshold,
    summary: holds
      ? `Reproduced${claim ? `: ${claim}` : ''} (measured ${measured}; threshold ${threshold}).`
      : `Not reproduced${claim ? `: ${claim}` : ''} (measured ${measured}; threshold ${threshold}).`,
  };
}

/** Options for `runExperiment`. */
export interface RunExperimentOptions {
  readonly seed?: number;
  readonly size?: 'quick' | 'full';
  readonly onProgress?: (fraction: number, message?: string) => void;
  readonly signal?: { readonly aborted: boolean };
}

/** Runs an experiment with a seeded context (what the CLI and the docs' Web Worker do). */
export async function runExperiment(
  experiment: Experiment,
  options: RunExperimentOptions = {},
): Promise<ExperimentReport> {
  if (typeof experiment !== 'object' || experiment === null || typeof experiment.run !== 'function') {
    throw new InvalidArgumentError({
      argument: 'experiment',
      value: experiment,
      message: `runExperiment: \`experiment\` must be an experiment from defineExperiment (with a run function); got ${String(experiment)}.`,
    });
  }
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({
      argument: 'options',
      value: options,
      message: `runExperiment(${experiment.id}): \`options\` must be an object { seed?, size?, onProgress?, signal? }; got ${String(options)}.`,
    });
  }
  if (options.size !== undefined && options.size !== 'quick' && options.size !== 'full') {
    throw new InvalidArgumentError({
      argument: 'size',
      value: options.size,
      message: `runExperiment(${experiment.id}): \`size\` must be 'quick' or 'full'; got ${JSON.stringify(options.size)}.`,
    });
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new InvalidArgumentError({
      argument: 'onProgress',
      value: options.onProgress,
      message: `runExperiment(${experiment.id}): \`onProgress\` must be a function (fraction, message?) => void.`,
    });
  }
  if (options.signal !== undefined && (typeof options.signal !== 'object' || options.signal === null)) {
    throw new InvalidArgumentError({
      argument: 'signal',
      value: options.signal,
      message: `runExperiment(${experiment.id}): \`signal\` must be an AbortSignal (or { aborted: boolean }).`,
    });
  }
  const seed = options.seed ?? 0;
  const context: ExperimentContext = {
    seed,
    rng: createRng(seed),
    progress: (fraction, message) => options.onProgress?.(Math.min(1, Math.max(0, fraction)), message),
    signal: options.signal,
    size: options.size ?? 'quick',
  };
  const report = await experiment.run(context);
  options.onProgress?.(1);
  return report;
}

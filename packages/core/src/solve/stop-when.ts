import { InvalidArgumentError } from '../errors/argmin-error';
import type { SolveStatus, StepInfo } from '../spec/optimizer';
import type { Vec } from '../spec/vec';

/** What a stopping rule sees after each step. */
export interface StopContext {
  /** Iterations done so far (1 after the first step). */
  readonly iteration: number;
  readonly x: Vec;
  readonly previousX: Vec;
  readonly info: StepInfo;
  /** Info of the previous step (or the initial info), for relative-change rules. */
  readonly previousInfo: StepInfo | undefined;
  /** Milliseconds since the run started. */
  readonly elapsedMs: number;
  /** Total oracle calls so far if the problem is a `counted` oracle (or holds one), else undefined. */
  readonly oracleCalls: number | undefined;
}

/** The decision of a stopping rule: end the run with this status and message. */
export interface StopDecision {
  readonly status: SolveStatus;
  readonly message: string;
}

/**
 * A composable stopping rule. `description` is shown in results and pipeline summaries.
 *
 * The optional fields let `solve` reason about a rule before running it (the built-in rules and
 * `anyOf` / `allOf` set them; a hand-written rule may omit them):
 * - `iterationLimit`: the rule fires at or before this many iterations (`maxIterations(n)` has `n`);
 *   `solve` takes no step at all when it is 0.
 * - `bounded`: the rule is sure to fire eventually (an iteration or wall-time limit). A run whose
 *   rule is not bounded gets the safety cap `unboundedIterationCap`.
 * - `metrics`: the `info` metrics the rule reads; `solve` warns once on the result when the method
 *   never reports one of them (a misspelt `gradnorm` would otherwise never fire).
 */
export interface StopCondition {
  (context: StopContext): StopDecision | undefined;
  readonly description: string;
  readonly iterationLimit?: number;
  readonly bounded?: boolean;
  readonly metrics?: readonly string[];
}

/**
 * The iteration cap `solve` adds when its stopping rule has no iteration or wall-time bound
 * (e.g. `stopWhen: metricBelow('gradNorm', 1e-12)` alone): the run then ends with 'max-iterations'
 * after this many steps, with a warning saying so. Pass `maxIterations(n)` to choose the limit.
 */
export const unboundedIterationCap = 1_000_000;

function condition(
  description: string,
  test: (context: StopContext) => StopDecision | undefined,
  extra: { iterationLimit?: number; bounded?: boolean; metrics?: readonly string[] } = {},
): StopCondition {
  return Object.assign(test, { description, ...extra });
}

function assertMetricName(where: string, metric: unknown): asserts metric is string {
  if (typeof metric !== 'string' || metric.length === 0) {
    throw new InvalidArgumentError({
      argument: 'metric',
      value: metric,
      message: `${where}: \`metric\` must be a non-empty metric name such as 'gradNorm' or 'residualNorm'; got ${describeValue(metric)}.`,
    });
  }
}

function assertThreshold(
  where: string,
  argument: string,
  value: unknown,
  rule: 'finite' | 'non-negative',
): void {
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (rule === 'finite' ? Number.isFinite(value) : value >= 0);
  if (!ok) {
    throw new InvalidArgumentError({
      argument,
      value,
      message: `${where}: \`${argument}\` must be ${rule === 'finite' ? 'a finite number' : '>= 0'}; got ${describeValue(value)}.`,
    });
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  return String(value);
}

/** Stops with 'max-iterations' after `n` iterations (`n = 0`: `solve` takes no step and returns x0). */
export function maxIterations(n: number): StopCondition {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError({
      argument: 'n',
      value: n,
      message: `maxIterations: \`n\` must be a non-negative integer; got ${describeValue(n)}.`,
    });
  }
  return condition(
    `maxIterations(${n})`,
    ({ iteration }) =>
      iteration >= n
        ? { status: 'max-iterations', message: `reached the iteration limit of ${n}` }
        : undefined,
    { iterationLimit: n, bounded: true },
  );
}

/** Stops with 'converged' once `info[metric] <= threshold` (e.g. gradNorm, residualNorm, marginalError). */
export function metricBelow(metric: string, threshold: number): StopCondition {
  assertMetricName('metricBelow', metric);
  assertThreshold('metricBelow', 'threshold', threshold, 'non-negative');
  return condition(
    `metricBelow(${metric}, ${threshold})`,
    ({ info }) => {
      const value = info[metric];
      return value !== undefined && value <= threshold
        ? { status: 'converged', message: `${metric} = ${value.toExponential(3)} <= ${threshold}` }
        : undefined;
    },
    { metrics: [metric] },
  );
}

/** Stops with 'diverged' once `info[metric] >= threshold` (or it is non-finite). */
export function metricAbove(
  metric: string,
  threshold: number,
  status: SolveStatus = 'diverged',
): StopCondition {
  assertMetricName('metricAbove', metric);
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) {
    throw new InvalidArgumentError({
      argument: 'threshold',
      value: threshold,
      message: `metricAbove: \`threshold\` must be a number (not NaN); got ${describeValue(threshold)}.`,
    });
  }
  if (!solveStatuses.includes(status)) {
    throw new InvalidArgumentError({
      argument: 'status',
      value: status,
      message: `metricAbove: \`status\` must be one of ${solveStatuses.join(', ')}; got ${describeValue(status)}.`,
    });
  }
  return condition(
    `metricAbove(${metric}, ${threshold})`,
    ({ info }) => {
      const value = info[metric];
      return value !== undefined && value >= threshold
        ? { status, message: `${metric} = ${value} >= ${threshold}` }
        : undefined;
    },
    { metrics: [metric] },
  );
}

const solveStatuses: readonly SolveStatus[] = [
  'converged',
  'max-iterations',
  'stalled',
  'diverged',
  'numerical-error',
  'stopped-by-observer',
  'aborted',
];

/**
 * Stops with 'converged' once the relative change is below `tolerance`: of the iterate,
 * ‖x_k − x_{k−1}‖∞ <= tolerance · max(1, ‖x_k‖∞) when `metric` is omitted, or of `info[metric]`,
 * |m_k − m_{k−1}| <= tolerance · max(|m_k|, |m_{k−1}|, 1) (scipy's `ftol` rule).
 */
export function relativeChangeBelow(tolerance: number, metric?: string): StopCondition {
  assertThreshold('relativeChangeBelow', 'tolerance', tolerance, 'non-negative');
  if (metric !== undefined) assertMetricName('relativeChangeBelow', metric);
  return condition(
    `relativeChangeBelow(${tolerance}${metric ? `, ${metric}` : ''})`,
    (context) => {
      if (metric === undefined) {
        const { x, previousX } = context;
        let change = 0;
        let size = 1;
        for (let i = 0; i < x.length; i++) {
          change = Math.max(change, Math.abs(x[i] - previousX[i]));
          size = Math.max(size, Math.abs(x[i]));
        }
        return change <= tolerance * size
          ? {
              status: 'converged',
              message: `relative change of x ${(change / size).toExponential(3)} <= ${tolerance}`,
            }
          : undefined;
      }
      const current = context.info[metric];
      const previous = context.previousInfo?.[metric];
      if (current === undefined || previous === undefined) return undefined;
      const change = Math.abs(current - previous);
      return change <= tolerance * Math.max(Math.abs(current), Math.abs(previous), 1)
        ? {
            status: 'converged',
            message: `relative change of ${metric} ${change.toExponential(3)} <= ${tolerance}`,
          }
        : undefined;
    },
    metric === undefined ? {} : { metrics: [metric] },
  );
}

/** Stops with 'max-iterations' once the oracle has been called more than `n` times (needs a `counted` oracle). */
export function oracleCallsAbove(n: number): StopCondition {
  assertThreshold('oracleCallsAbove', 'n', n, 'non-negative');
  return condition(`oracleCallsAbove(${n})`, ({ oracleCalls }) =>
    oracleCalls !== undefined && oracleCalls > n
      ? { status: 'max-iterations', message: `oracle-call budget of ${n} exhausted (${oracleCalls} calls)` }
      : undefined,
  );
}

/** Stops with 'max-iterations' once the run has taken more than `milliseconds`. */
export function wallTimeAbove(milliseconds: number): StopCondition {
  assertThreshold('wallTimeAbove', 'milliseconds', milliseconds, 'non-negative');
  return condition(
    `wallTimeAbove(${milliseconds}ms)`,
    ({ elapsedMs }) =>
      elapsedMs > milliseconds
        ? { status: 'max-iterations', message: `wall-time budget of ${milliseconds} ms exhausted` }
        : undefined,
    { bounded: Number.isFinite(milliseconds) },
  );
}

function assertConditions(
  where: string,
  conditions: readonly unknown[],
): asserts conditions is StopCondition[] {
  conditions.forEach((c, i) => {
    if (typeof c !== 'function') {
      throw new InvalidArgumentError({
        argument: `conditions[${i}]`,
        value: c,
        message: `${where}: every argument must be a stopping rule such as maxIterations(100) or metricBelow('gradNorm', 1e-6); got ${describeValue(c)} at position ${i}.`,
      });
    }
  });
}

function mergedMetrics(conditions: readonly StopCondition[]): readonly string[] | undefined {
  const metrics = conditions.flatMap((c) => c.metrics ?? []);
  return metrics.length ? [...new Set(metrics)] : undefined;
}

/** Stops when any rule stops (the first one listed wins). */
export function anyOf(...conditions: StopCondition[]): StopCondition {
  assertConditions('anyOf', conditions);
  const limits = conditions.map((c) => c.iterationLimit).filter((l): l is number => l !== undefined);
  return condition(
    `anyOf(${conditions.map((c) => c.description).join(', ')})`,
    (context) => {
      for (const c of conditions) {
        const decision = c(context);
        if (decision) return decision;
      }
      return undefined;
    },
    {
      iterationLimit: limits.length ? Math.min(...limits) : undefined,
      bounded: conditions.some((c) => c.bounded === true),
      metrics: mergedMetrics(conditions),
    },
  );
}

/** Stops when every rule stops; reports the first rule's status and all messages. */
export function allOf(...conditions: StopCondition[]): StopCondition {
  assertConditions('allOf', conditions);
  const limits = conditions.map((c) => c.iterationLimit);
  const allLimited = conditions.length > 0 && limits.every((l) => l !== undefined);
  return condition(
    `allOf(${conditions.map((c) => c.description).join(', ')})`,
    (context) => {
      const decisions: StopDecision[] = [];
      for (const c of conditions) {
        const decision = c(context);
        if (!decision) return undefined;
        decisions.push(decision);
      }
      if (decisions.length === 0) return undefined;
      return { status: decisions[0].status, message: decisions.map((d) => d.message).join(' and ') };
    },
    {
      // allOf fires only when every rule fires: an iteration limit of its own only when all have one
      // (then their largest), and bounded only when all are.
      iterationLimit: allLimited ? Math.max(...(limits as number[])) : undefined,
      bounded: conditions.length > 0 && conditions.every((c) => c.bounded === true),
      metrics: mergedMetrics(conditions),
    },
  );
}

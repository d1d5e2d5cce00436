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

/** A composable stopping rule. `description` is shown in results and pipeline summaries. */
export interface StopCondition {
  (context: StopContext): StopDecision | undefined;
  readonly description: string;
}

function condition(
  description: string,
  test: (context: StopContext) => StopDecision | undefined,
): StopCondition {
  return Object.assign(test, { description });
}

/** Stops with 'max-iterations' after `n` iterations. */
export function maxIterations(n: number): StopCondition {
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError({
      argument: 'n',
      value: n,
      message: `maxIterations: \`n\` must be a non-negative integer; got ${n}.`,
    });
  }
  return condition(`maxIterations(${n})`, ({ iteration }) =>
    iteration >= n ? { status: 'max-iterations', message: `reached the iteration limit of ${n}` } : undefined,
  );
}

/** Stops with 'converged' once `info[metric] <= threshold` (e.g. gradNorm, residualNorm, marginalError). */
export function metricBelow(metric: string, threshold: number): StopCondition {
  if (!(threshold >= 0)) {
    throw new InvalidArgumentError({
      argument: 'threshold',
      value: threshold,
      message: `metricBelow: \`threshold\` must be >= 0; got ${threshold}.`,
    });
  }
  return condition(`metricBelow(${metric}, ${threshold})`, ({ info }) => {
    const value = info[metric];
    return value !== undefined && value <= threshold
      ? { status: 'converged', message: `${metric} = ${value.toExponential(3)} <= ${threshold}` }
      : undefined;
  });
}

/** Stops with 'diverged' once `info[metric] >= threshold` (or it is non-finite). */
export function metricAbove(
  metric: string,
  threshold: number,
  status: SolveStatus = 'diverged',
): StopCondition {
  return condition(`metricAbove(${metric}, ${threshold})`, ({ info }) => {
    const value = info[metric];
    return value !== undefined && value >= threshold
      ? { status, message: `${metric} = ${value} >= ${threshold}` }
      : undefined;
  });
}

/**
 * Stops with 'converged' once the relative change is below `tolerance`: of the iterate,
 * ‖x_k − x_{k−1}‖∞ <= tolerance · max(1, ‖x_k‖∞) when `metric` is omitted, or of `info[metric]`,
 * |m_k − m_{k−1}| <= tolerance · max(|m_k|, |m_{k−1}|, 1) (scipy's `ftol` rule).
 */
export function relativeChangeBelow(tolerance: number, metric?: string): StopCondition {
  return condition(`relativeChangeBelow(${tolerance}${metric ? `, ${metric}` : ''})`, (context) => {
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
  });
}

/** Stops with 'max-iterations' once the oracle has been called more than `n` times (needs a `counted` oracle). */
export function oracleCallsAbove(n: number): StopCondition {
  return condition(`oracleCallsAbove(${n})`, ({ oracleCalls }) =>
    oracleCalls !== undefined && oracleCalls > n
      ? { status: 'max-iterations', message: `oracle-call budget of ${n} exhausted (${oracleCalls} calls)` }
      : undefined,
  );
}

/** Stops with 'max-iterations' once the run has taken more than `milliseconds`. */
export function wallTimeAbove(milliseconds: number): StopCondition {
  return condition(`wallTimeAbove(${milliseconds}ms)`, ({ elapsedMs }) =>
    elapsedMs > milliseconds
      ? { status: 'max-iterations', message: `wall-time budget of ${milliseconds} ms exhausted` }
      : undefined,
  );
}

/** Stops when any rule stops (the first one listed wins). */
export function anyOf(...conditions: StopCondition[]): StopCondition {
  return condition(`anyOf(${conditions.map((c) => c.description).join(', ')})`, (context) => {
    for (const c of conditions) {
      const decision = c(context);
      if (decision) return decision;
    }
    return undefined;
  });
}

/** Stops when every rule stops; reports the first rule's status and all messages. */
export function allOf(...conditions: StopCondition[]): StopCondition {
  return condition(`allOf(${conditions.map((c) => c.description).join(', ')})`, (context) => {
    const decisions: StopDecision[] = [];
    for (const c of conditions) {
      const decision = c(context);
      if (!decision) return undefined;
      decisions.push(decision);
    }
    if (decisions.length === 0) return undefined;
    return { status: decisions[0].status, message: decisions.map((d) => d.message).join(' and ') };
  });
}

import { InvalidArgumentError } from '../errors/argmin-error';
import { capabilitiesOf, oracleCallsOf } from '../oracles/counted';
import { createRng, type Rng } from '../rng/rng';
import type { Optimizer, OptimizerContext, SolveStatus, SolveWarning, StepInfo } from '../spec/optimizer';
import type { Vec } from '../spec/vec';
import { now as defaultNow } from './clock';
import type { SolveResult, Trace } from './result';
import { maxIterations, type StopCondition } from './stop-when';

/** Minimal AbortSignal shape (core has no DOM or Node types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

/**
 * One step, as seen by observers and yielded by `iterate`. `x` and `state` are valid until the next
 * step (methods may double-buffer iterates): copy `x` to keep it.
 */
export interface StepEvent<S = unknown> {
  readonly iteration: number;
  readonly x: Vec;
  readonly info: StepInfo;
  readonly state: S;
  readonly elapsedMs: number;
}

/** Progress hooks. `onStepEnd` may return 'stop' to end the run with 'stopped-by-observer'. */
export interface Observer<S = unknown> {
  onSolveStart?(event: { readonly x0: Vec; readonly methodId: string; readonly seed: number }): void;
  // biome-ignore lint/suspicious/noConfusingVoidType: observers that return nothing must type-check.
  onStepEnd?(event: StepEvent<S>): 'stop' | undefined | void;
  onSolveEnd?(result: SolveResult<S>): void;
}

export interface SolveOptions<S = unknown> {
  /** When to stop; default: the optimizer's `defaultStopWhen`, else maxIterations(1000). */
  readonly stopWhen?: StopCondition;
  /** Seed of the run's Rng (default 0). Ignored when `rng` is given. */
  readonly seed?: number;
  /** Use this generator instead of seeding one (it is advanced by the run). */
  readonly rng?: Rng;
  readonly observers?: readonly Observer<S>[];
  /** Aborting ends the run after the current step with status 'aborted'. */
  readonly signal?: AbortSignalLike;
  /** Record metrics every k-th iteration in `trace` (default 1; 0 records none but the last). */
  readonly recordEvery?: number;
  /** Oracle capabilities to check on the problem before init (a plugin's `meta.needs`). */
  readonly needs?: readonly string[];
  /** Override the clock (for tests); default `performance.now` or `Date.now`. */
  readonly now?: () => number;
}

function allFiniteVec(x: Vec): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false;
  return true;
}

function nonFiniteMetric(info: StepInfo): string | undefined {
  for (const key in info) if (Number.isNaN(info[key])) return key;
  return undefined;
}

function validateStart(
  optimizer: Optimizer<unknown, unknown>,
  problem: unknown,
  x0: Vec,
  options: SolveOptions<unknown>,
): void {
  const where = `solve(${optimizer?.id ?? '?'})`;
  if (!optimizer || typeof optimizer.init !== 'function' || typeof optimizer.step !== 'function') {
    throw new InvalidArgumentError({
      argument: 'optimizer',
      value: optimizer,
      message: `solve: \`optimizer\` must have init and step functions; got ${typeof optimizer}. Create one with a method factory or registry.create(id, options).`,
    });
  }
  if (!(x0 instanceof Float64Array)) {
    throw new InvalidArgumentError({
      argument: 'x0',
      value: x0,
      message: `${where}: \`x0\` must be a Float64Array; got ${Object.prototype.toString.call(x0)}. Convert with Float64Array.from(x0).`,
    });
  }
  for (let i = 0; i < x0.length; i++) {
    if (!Number.isFinite(x0[i])) {
      throw new InvalidArgumentError({
        argument: 'x0',
        value: x0[i],
        message: `${where}: \`x0\` must be finite; got ${x0[i]} at index ${i}.`,
      });
    }
  }
  const dimension = (problem as { dimension?: unknown } | null)?.dimension;
  if (typeof dimension === 'number' && dimension !== x0.length) {
    throw new InvalidArgumentError({
      argument: 'x0',
      value: x0.length,
      message: `${where}: \`x0\` has length ${x0.length} but the problem has dimension ${dimension}.`,
    });
  }
  if (
    options.recordEvery !== undefined &&
    (!Number.isInteger(options.recordEvery) || options.recordEvery < 0)
  ) {
    throw new InvalidArgumentError({
      argument: 'recordEvery',
      value: options.recordEvery,
      message: `${where}: \`recordEvery\` must be a non-negative integer; got ${options.recordEvery}.`,
    });
  }
  if (options.needs?.length) {
    const oracle = (problem as { oracle?: object })?.oracle ?? problem;
    const has = new Set<string>(capabilitiesOf(oracle as object));
    const missing = options.needs.filter((c) => !has.has(c));
    if (missing.length) {
      throw new InvalidArgumentError({
        argument: 'problem',
        value: missing,
        message: `${where}: the problem lacks the oracle capabilities ${missing.join(', ')} that this method needs. Provide them or pick another method.`,
      });
    }
  }
}

class TraceRecorder {
  readonly iteration: number[] = [];
  readonly elapsedMs: number[] = [];
  readonly metrics: Record<string, number[]> = {};

  record(iteration: number, elapsed: number, info: StepInfo): void {
    const row = this.iteration.length;
    if (row > 0 && this.iteration[row - 1] === iteration) return;
    this.iteration.push(iteration);
    this.elapsedMs.push(elapsed);
    for (const key in info) {
      let column = this.metrics[key];
      if (!column) {
        column = new Array<number>(row).fill(Number.NaN);
        this.metrics[key] = column;
      }
      column.push(info[key]);
    }
    for (const key in this.metrics) if (this.metrics[key].length === row) this.metrics[key].push(Number.NaN);
  }

  toTrace(): Trace {
    return { iteration: this.iteration, elapsedMs: this.elapsedMs, metrics: this.metrics };
  }
}

/**
 * Runs `optimizer` on `problem` from `x0`, one step per yield: a generator for UIs that must stay
 * responsive. Each `next()` performs one step and yields its `StepEvent`; the generator's return
 * value is the `SolveResult`.
 */
export function* iterate<P, S>(
  optimizer: Optimizer<P, S>,
  problem: P,
  x0: Vec,
  options: SolveOptions<S> = {},
): Generator<StepEvent<S>, SolveResult<S>, void> {
  validateStart(optimizer as Optimizer<unknown, unknown>, problem, x0, options as SolveOptions<unknown>);
  const now = options.now ?? defaultNow;
  const seed = options.rng?.seed ?? options.seed ?? 0;
  const rng = options.rng ?? createRng(seed);
  const warnings: SolveWarning[] = [];
  const context: OptimizerContext = { rng, warn: (w) => warnings.push(w) };
  const stopWhen = options.stopWhen ?? optimizer.defaultStopWhen ?? maxIterations(1000);
  const recordEvery = options.recordEvery ?? 1;
  const observers = options.observers ?? [];
  const start = now();
  const trace = new TraceRecorder();

  for (const o of observers) o.onSolveStart?.({ x0, methodId: optimizer.id, seed });
  let x: Vec = x0.slice();
  let state = optimizer.init(x, problem, context);
  const initialInfo = optimizer.initialInfo?.(x, state, problem);
  let info: StepInfo = initialInfo ?? {};
  // Iteration 0 is recorded when the method reports metrics of x0 (initialInfo).
  if (recordEvery > 0 && initialInfo) trace.record(0, now() - start, info);

  let iteration = 0;
  let status: SolveStatus | undefined;
  let message = '';
  let previousInfo: StepInfo | undefined = info;

  if (options.signal?.aborted) {
    status = 'aborted';
    message = 'aborted before the first step';
  }
  while (status === undefined) {
    const step = optimizer.step(x, state, problem, context);
    iteration++;
    const elapsed = now() - start;
    const badMetric = nonFiniteMetric(step.info);
    if (!allFiniteVec(step.x) || badMetric !== undefined) {
      status = 'numerical-error';
      message = badMetric
        ? `metric ${badMetric} became NaN at iteration ${iteration}; returning the last finite iterate`
        : `the iterate became non-finite at iteration ${iteration}; returning the last finite iterate`;
      info = step.info;
      if (allFiniteVec(step.x)) x = step.x;
      break;
    }
    const previousX = x;
    x = step.x;
    state = step.state;
    info = step.info;
    if (recordEvery > 0 && iteration % recordEvery === 0) trace.record(iteration, elapsed, info);
    const event: StepEvent<S> = { iteration, x, info, state, elapsedMs: elapsed };
    if (step.status !== undefined) {
      status = step.status;
      message = step.message ?? step.status;
    }
    for (const o of observers) {
      if (o.onStepEnd?.(event) === 'stop' && status === undefined) {
        status = 'stopped-by-observer';
        message = `an observer stopped the run at iteration ${iteration}`;
      }
    }
    if (status === undefined) {
      const decision = stopWhen({
        iteration,
        x,
        previousX,
        info,
        previousInfo,
        elapsedMs: elapsed,
        oracleCalls: oracleCallsOf(problem),
      });
      if (decision) {
        status = decision.status;
        message = decision.message;
      }
    }
    if (status === undefined && options.signal?.aborted) {
      status = 'aborted';
      message = `aborted at iteration ${iteration}`;
    }
    previousInfo = info;
    yield event;
  }
  const elapsedMs = now() - start;
  if (recordEvery !== 1 || status === 'numerical-error') trace.record(iteration, elapsedMs, info);
  const result: SolveResult<S> = {
    x,
    status,
    converged: status === 'converged',
    message,
    iterations: iteration,
    info,
    trace: trace.toTrace(),
    warnings,
    state,
    seed,
    method: { id: optimizer.id },
    oracleCalls: oracleCallsOf(problem),
    elapsedMs,
  };
  for (const o of observers) o.onSolveEnd?.(result);
  return result;
}

/**
 * Runs `optimizer` on `problem` from `x0` until `stopWhen` (or the method itself) ends the run.
 * Never throws for numerical trouble: the outcome is `result.status`, with the last finite iterate.
 * Throws `InvalidArgumentError` for programmer mistakes (x0 not a finite Float64Array, size mismatch).
 *
 * @example
 * const result = solve(lbfgs(), rosenbrock(2), Float64Array.of(-1.2, 1), {
 *   stopWhen: anyOf(metricBelow('gradNorm', 1e-8), maxIterations(200)),
 * });
 * result.status; // 'converged'
 */
export function solve<P, S>(
  optimizer: Optimizer<P, S>,
  problem: P,
  x0: Vec,
  options: SolveOptions<S> = {},
): SolveResult<S> {
  const generator = iterate(optimizer, problem, x0, options);
  for (;;) {
    const next = generator.next();
    if (next.done) return next.value;
  }
}

import {
  ArgminError,
  InvalidArgumentError,
  InvalidOptionsError,
  type OptionIssue,
  suggestOption,
} from '../errors/argmin-error';
import { capabilitiesOf, oracleCallsOf } from '../oracles/counted';
import { createRng, type Rng } from '../rng/rng';
import type { Optimizer, OptimizerContext, SolveStatus, SolveWarning, StepInfo } from '../spec/optimizer';
import type { Vec } from '../spec/vec';
import { now as defaultNow } from './clock';
import type { SolveResult, Trace } from './result';
import { firstNonFinitePath, isDeepFinite, StateSnapshot } from './snapshot';
import { maxIterations, type StopCondition, unboundedIterationCap } from './stop-when';

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

/**
 * An optional promise a method makes to `solve` (read off the optimizer object): with
 * `commitsOnlyFiniteState: true` the method guarantees that a step never writes a non-finite number
 * into the state it returns, and that a step ending in a non-finite iterate or metric leaves the
 * state it was given finite. `solve` then skips its per-step state copy and check (the default
 * guard, which costs one copy of the state per step). Core's L-BFGS and gradient descent make this
 * promise; a method that keeps moments, traces or averages in place should not.
 */
export interface StateGuardHint {
  readonly commitsOnlyFiniteState?: boolean;
}

/** Progress hooks. `onStepEnd` may return 'stop' to end the run with 'stopped-by-observer'. */
export interface Observer<S = unknown> {
  onSolveStart?(event: { readonly x0: Vec; readonly methodId: string; readonly seed: number }): void;
  // biome-ignore lint/suspicious/noConfusingVoidType: observers that return nothing must type-check.
  onStepEnd?(event: StepEvent<S>): 'stop' | undefined | void;
  onSolveEnd?(result: SolveResult<S>): void;
}

export interface SolveOptions<S = unknown> {
  /**
   * When to stop; default: the optimizer's `defaultStopWhen`, else maxIterations(1000).
   * `maxIterations(0)` takes no step and returns x0 with 'max-iterations'. A rule with no iteration
   * or wall-time bound (e.g. `metricBelow` alone) is capped at `unboundedIterationCap` (10^6)
   * iterations, with a warning when the cap ends the run. A metric the rule reads that the method
   * never reports adds a warning to the result. A method's own stop (e.g. a `sequence` stage's
   * `stopWhen`) and this rule both apply: the first to fire ends the run.
   */
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

const solveOptionKeys = [
  'stopWhen',
  'seed',
  'rng',
  'observers',
  'signal',
  'recordEvery',
  'needs',
  'now',
] as const;

/** Other libraries' spellings of what `solve` takes as `stopWhen`, `observers` or `seed`. */
const solveOptionAliases: Readonly<Record<string, string>> = {
  maxiterations: 'stopWhen',
  maxiter: 'stopWhen',
  max_iter: 'stopWhen',
  iterations: 'stopWhen',
  tol: 'stopWhen',
  tolerance: 'stopWhen',
  gtol: 'stopWhen',
  ftol: 'stopWhen',
  xtol: 'stopWhen',
  callback: 'observers',
  callbacks: 'observers',
  observer: 'observers',
  random_state: 'seed',
  randomstate: 'seed',
  abortsignal: 'signal',
};

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') return Object.prototype.toString.call(value);
  return typeof value;
}

function validateOptions(where: string, options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError({
      argument: 'options',
      value: options,
      message: `${where}: \`options\` must be an object such as { stopWhen: maxIterations(100) }; got ${typeName(options)}.`,
    });
  }
  const issues: OptionIssue[] = [];
  for (const key of Object.keys(options)) {
    if ((solveOptionKeys as readonly string[]).includes(key)) continue;
    const suggestion = Object.hasOwn(solveOptionAliases, key.toLowerCase())
      ? solveOptionAliases[key.toLowerCase()]
      : suggestOption(key, solveOptionKeys);
    const hint =
      suggestion === 'stopWhen'
        ? " (did you mean `stopWhen`? e.g. stopWhen: anyOf(maxIterations(100), metricBelow('gradNorm', 1e-6)))"
        : suggestion
          ? ` (did you mean \`${suggestion}\`?)`
          : '';
    issues.push({ path: key, message: `unknown option${hint}` });
  }
  if (issues.length) throw new InvalidOptionsError({ id: where, issues, validKeys: solveOptionKeys });
  const o = options as Record<string, unknown>;
  const bad = (argument: string, rule: string): never => {
    throw new InvalidArgumentError({
      argument,
      value: o[argument],
      message: `${where}: \`${argument}\` must be ${rule}; got ${typeName(o[argument])}.`,
    });
  };
  if (o.stopWhen !== undefined && typeof o.stopWhen !== 'function')
    bad(
      'stopWhen',
      "a stopping rule such as maxIterations(100) or anyOf(metricBelow('gradNorm', 1e-6), maxIterations(500))",
    );
  if (o.seed !== undefined && (typeof o.seed !== 'number' || !Number.isSafeInteger(o.seed) || o.seed < 0))
    bad('seed', 'a non-negative safe integer, e.g. 42');
  if (o.rng !== undefined) {
    const rng = o.rng as Partial<Record<string, unknown>> | null;
    if (
      typeof rng !== 'object' ||
      rng === null ||
      typeof rng.nextUint32 !== 'function' ||
      typeof rng.uniform !== 'function'
    )
      bad('rng', 'an Rng from createRng(seed)');
  }
  if (o.observers !== undefined) {
    if (!Array.isArray(o.observers))
      bad('observers', 'an array of observers, e.g. [{ onStepEnd(event) {} }]');
    (o.observers as unknown[]).forEach((observer, i) => {
      if (typeof observer !== 'object' || observer === null) {
        throw new InvalidArgumentError({
          argument: `observers[${i}]`,
          value: observer,
          message: `${where}: \`observers[${i}]\` must be an object with onSolveStart / onStepEnd / onSolveEnd functions; got ${typeName(observer)}.`,
        });
      }
      for (const hook of ['onSolveStart', 'onStepEnd', 'onSolveEnd'] as const) {
        const fn = (observer as Record<string, unknown>)[hook];
        if (fn !== undefined && typeof fn !== 'function') {
          throw new InvalidArgumentError({
            argument: `observers[${i}].${hook}`,
            value: fn,
            message: `${where}: \`observers[${i}].${hook}\` must be a function; got ${typeName(fn)}.`,
          });
        }
      }
    });
  }
  if (
    o.signal !== undefined &&
    (typeof o.signal !== 'object' || o.signal === null || !('aborted' in o.signal))
  )
    bad('signal', 'an AbortSignal (or an object with a boolean `aborted`)');
  if (
    o.recordEvery !== undefined &&
    (typeof o.recordEvery !== 'number' || !Number.isInteger(o.recordEvery) || o.recordEvery < 0)
  )
    bad('recordEvery', 'a non-negative integer');
  if (o.needs !== undefined && (!Array.isArray(o.needs) || o.needs.some((c) => typeof c !== 'string')))
    bad('needs', "an array of oracle capability names such as ['value', 'grad']");
  if (o.now !== undefined && typeof o.now !== 'function') bad('now', 'a function returning milliseconds');
}

function validateStart(
  optimizer: Optimizer<unknown, unknown>,
  problem: unknown,
  x0: Vec,
  options: SolveOptions<unknown>,
): void {
  const where = `solve(${typeof optimizer?.id === 'string' ? optimizer.id : '?'})`;
  if (
    typeof optimizer !== 'object' ||
    optimizer === null ||
    typeof optimizer.init !== 'function' ||
    typeof optimizer.step !== 'function'
  ) {
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
  validateOptions(where, options);
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
export function iterate<P, S>(
  optimizer: Optimizer<P, S>,
  problem: P,
  x0: Vec,
  options: SolveOptions<S> = {},
): Generator<StepEvent<S>, SolveResult<S>, void> {
  // Validate eagerly: a generator body would only run (and throw) at the first next().
  validateStart(optimizer as Optimizer<unknown, unknown>, problem, x0, options as SolveOptions<unknown>);
  return run(optimizer, problem, x0, options);
}

function* run<P, S>(
  optimizer: Optimizer<P, S>,
  problem: P,
  x0: Vec,
  options: SolveOptions<S>,
): Generator<StepEvent<S>, SolveResult<S>, void> {
  const now = options.now ?? defaultNow;
  const seed = options.rng?.seed ?? options.seed ?? 0;
  const rng = options.rng ?? createRng(seed);
  const warnings: SolveWarning[] = [];
  const context: OptimizerContext = { rng, warn: (w) => warnings.push(w) };
  const rule = options.stopWhen ?? optimizer.defaultStopWhen ?? maxIterations(1000);
  // A rule with no iteration or time bound gets the documented safety cap.
  let capped = false;
  const stopWhen: StopCondition =
    rule.bounded === true
      ? rule
      : Object.assign(
          (c: Parameters<StopCondition>[0]) => {
            const decision = rule(c);
            if (decision || c.iteration < unboundedIterationCap) return decision;
            capped = true;
            return {
              status: 'max-iterations' as const,
              message: `reached the safety cap of ${unboundedIterationCap} iterations`,
            };
          },
          { description: rule.description },
        );
  const watchedMetrics = rule.metrics ?? [];
  const metricSeen = watchedMetrics.map(() => false);
  const recordEvery = options.recordEvery ?? 1;
  const observers = options.observers ?? [];
  const start = now();
  const trace = new TraceRecorder();
  const n = x0.length;

  for (const o of observers) o.onSolveStart?.({ x0, methodId: optimizer.id, seed });
  let x: Vec = x0.slice();
  // Solve-owned copies of the last finite iterate and state: a step may reuse the buffers it gets,
  // so after a numerical error these copies are what the result returns.
  const lastFiniteX = x0.slice();
  const guardState = (optimizer as StateGuardHint).commitsOnlyFiniteState !== true;
  const snapshot = new StateSnapshot();
  let state = optimizer.init(x, problem, context);
  const initialInfo = optimizer.initialInfo?.(x, state, problem);
  let info: StepInfo = initialInfo ?? {};
  const noteMetrics = (reported: StepInfo): void => {
    for (let k = 0; k < watchedMetrics.length; k++) if (watchedMetrics[k] in reported) metricSeen[k] = true;
  };
  noteMetrics(info);
  // Iteration 0 is recorded when the method reports metrics of x0 (initialInfo).
  if (recordEvery > 0 && initialInfo) trace.record(0, now() - start, info);

  let iteration = 0;
  let status: SolveStatus | undefined;
  let message = '';
  let previousInfo: StepInfo | undefined = info;
  let returnedState: S = state;

  const initialBad = initialInfo ? nonFiniteMetric(initialInfo) : undefined;
  if (initialBad !== undefined || !isDeepFinite(state)) {
    status = 'numerical-error';
    message = `the method's ${initialBad !== undefined ? `metric ${initialBad}` : `state (${firstNonFinitePath(state)})`} is not finite at x0; no step was taken, x0 is returned and state is undefined`;
    returnedState = undefined as S;
  } else if (rule.iterationLimit === 0) {
    status = 'max-iterations';
    message = 'reached the iteration limit of 0 (no step taken)';
  } else if (options.signal?.aborted) {
    status = 'aborted';
    message = 'aborted before the first step';
  }
  while (status === undefined) {
    if (guardState) snapshot.take(state);
    const step = optimizer.step(x, state, problem, context);
    iteration++;
    const elapsed = now() - start;
    if (!(step?.x instanceof Float64Array) || step.x.length !== n) {
      throw new ArgminError({
        message: `${optimizer.id}: step ${iteration} returned ${step?.x instanceof Float64Array ? `an iterate of length ${step.x.length}` : 'no Float64Array iterate'}, expected length ${n}. This is a bug in the method's step function.`,
      });
    }
    const badMetric = nonFiniteMetric(step.info);
    const finiteX = allFiniteVec(step.x);
    const finiteState = finiteX && badMetric === undefined && (!guardState || isDeepFinite(step.state));
    if (!finiteState) {
      status = 'numerical-error';
      message = !finiteX
        ? `the iterate became non-finite at iteration ${iteration}; returning the last finite iterate and state`
        : badMetric !== undefined
          ? `metric ${badMetric} became NaN at iteration ${iteration}; returning the last finite iterate and state`
          : `the method's state became non-finite at iteration ${iteration} (${firstNonFinitePath(step.state)}); returning the last finite iterate and state`;
      info = step.info ?? {};
      x = lastFiniteX;
      if (guardState) returnedState = snapshot.release() as S;
      else if (!isDeepFinite(state)) {
        // The method broke its promise: there is no finite state to return.
        returnedState = undefined as S;
        message += ` (the method's state is not finite at ${firstNonFinitePath(state)}, so no state is returned)`;
      }
      break;
    }
    const previousX = x;
    x = step.x;
    state = step.state;
    returnedState = state;
    info = step.info;
    lastFiniteX.set(x);
    noteMetrics(info);
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
  if (capped) {
    warnings.push({
      type: 'iteration-cap',
      message: `the stopping rule ${rule.description} has no iteration or wall-time limit, so the run stopped at the safety cap of ${unboundedIterationCap} iterations; add maxIterations(n) to choose the limit`,
    });
  }
  if (iteration > 0) {
    const reported = Object.keys(info);
    watchedMetrics.forEach((metric, k) => {
      if (metricSeen[k]) return;
      const suggestion = suggestOption(metric, reported);
      warnings.push({
        type: 'unknown-metric',
        message: `the stopping rule reads metric "${metric}", which ${optimizer.id} never reported, so that rule never fired${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; reported metrics: ${reported.length ? reported.join(', ') : '(none)'}`,
      });
    });
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
    state: returnedState,
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

import type { Rng } from '../rng/rng';
import type { Vec } from './vec';

/** Named metrics a step reports: value, gradNorm, residualNorm, stepSize, ... (finite numbers). */
export type StepInfo = Readonly<Record<string, number>>;

/** How a run ended. Numerical outcomes are statuses, never exceptions. */
export type SolveStatus =
  | 'converged'
  | 'max-iterations'
  | 'stalled'
  | 'diverged'
  | 'numerical-error'
  | 'stopped-by-observer'
  | 'aborted';

/** Something a run could not honour or noticed; pushed instead of logged. */
export interface SolveWarning {
  /** e.g. 'unsupported', 'numerical', 'fallback', 'line-search'. */
  readonly type: string;
  readonly message: string;
}

/** What a step may need besides the problem: the seeded Rng and a warning sink. */
export interface OptimizerContext {
  /** The run's seeded generator: all randomness comes from here. */
  readonly rng: Rng;
  /** Records a warning on the result (never logged). */
  warn(warning: SolveWarning): void;
}

/**
 * One step's outcome. `x` is the new iterate (a fresh or state-owned buffer, never the input x
 * mutated in place). A step may end the run itself with `status` (e.g. 'converged' when its own
 * tolerance is met, 'stalled' when a line search fails) and a `message`.
 */
export interface StepResult<S> {
  readonly x: Vec;
  readonly state: S;
  readonly info: StepInfo;
  readonly status?: SolveStatus;
  readonly message?: string;
}

/**
 * An iterative method: `init` builds the state from x0, `step` advances one iteration.
 * State is single-use (a step may reuse the buffers of the state it gets) and holds everything a run
 * needs; no state lives in closures (closures hold options only).
 */
export interface Optimizer<P, S> {
  /** The method id, `<area>/<method>`. */
  readonly id: string;
  init(x0: Vec, problem: P, context: OptimizerContext): S;
  step(x: Vec, state: S, problem: P, context: OptimizerContext): StepResult<S>;
  /**
   * The stopping rule used when `solve` gets no `stopWhen` (usually built from the method's own
   * `tolerance` and `maxIterations` options).
   */
  readonly defaultStopWhen?: import('../solve/stop-when').StopCondition;
  /** Metrics of x0 itself (e.g. initial residual), recorded as iteration 0 in the trace. */
  initialInfo?(x0: Vec, state: S, problem: P): StepInfo;
}

/** Extracts the problem type of an optimizer. */
export type ProblemOf<O> = O extends Optimizer<infer P, unknown> ? P : never;
/** Extracts the state type of an optimizer. */
export type StateOf<O> = O extends Optimizer<unknown, infer S> ? S : never;

/** A reusable vector buffer type for optimizers that ping-pong between two iterates. */
export type VecPair = readonly [Vec, Vec];

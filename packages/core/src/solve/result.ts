import type { SolveStatus, SolveWarning, StepInfo } from '../spec/optimizer';
import type { Vec } from '../spec/vec';

/** Columnar metric history: `metrics[name][k]` was recorded at `iteration[k]` (NaN where absent). */
export interface Trace {
  readonly iteration: number[];
  readonly elapsedMs: number[];
  readonly metrics: Record<string, number[]>;
}

/** The one result shape of every run. No flag changes it. */
export interface SolveResult<S = unknown> {
  /** Final iterate (the last finite one when the run ended in 'numerical-error'). */
  readonly x: Vec;
  readonly status: SolveStatus;
  /** status === 'converged'. */
  readonly converged: boolean;
  readonly message: string;
  readonly iterations: number;
  /** Metrics of the final step. */
  readonly info: StepInfo;
  readonly trace: Trace;
  readonly warnings: readonly { type: string; message: string }[];
  /** Final state, for warm starts (undefined when the last step produced non-finite numbers). */
  readonly state: S;
  /** The seed of the run's Rng. */
  readonly seed: number;
  readonly method: { readonly id: string };
  /** Oracle calls made during the run, if the problem is a counted oracle. */
  readonly oracleCalls: number | undefined;
  readonly elapsedMs: number;
}

export type { SolveWarning };

import type { SolveStatus, SolveWarning, StepInfo } from '../spec/optimizer';
import type { Vec } from '../spec/vec';

/** Columnar metric history: `metrics[name][k]` was recorded at `iteration[k]` (NaN where absent). */
export interface Trace {
  readonly iteration: number[];
  readonly elapsedMs: number[];
  readonly metrics: Record<string, number[]>;
}

/**
 * What every result of every area carries (optimizer runs, linear solves, OT solves, sampler runs):
 * pipelines, the CLI report and the docs read and plot any result through these fields alone.
 * Area fields (x, plan, potentials, matvecs, nfe, ...) sit on top.
 */
export interface ResultBase {
  readonly status: SolveStatus;
  /** status === 'converged'. */
  readonly converged: boolean;
  /** What the area counts as an iteration (its doc comment says which: steps, sweeps, cycles). */
  readonly iterations: number;
  readonly message: string;
  readonly warnings: readonly SolveWarning[];
  /** Columnar history: `trace.metrics[name][k]` at `trace.iteration[k]`. */
  readonly trace: Trace;
}

/**
 * Builds a `Trace` from columns (`elapsedMs` NaN-filled when not measured). Every metric column must
 * have one entry per recorded iteration.
 */
export function traceOf(iteration: number[], metrics: Record<string, number[]>, elapsedMs?: number[]): Trace {
  return {
    iteration,
    elapsedMs: elapsedMs ?? iteration.map(() => Number.NaN),
    metrics,
  };
}

/** The one result shape of every run. No flag changes it. */
export interface SolveResult<S = unknown> extends ResultBase {
  /** Final iterate (the last finite one when the run ended in 'numerical-error'). */
  readonly x: Vec;
  /** Metrics of the final step. */
  readonly info: StepInfo;
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

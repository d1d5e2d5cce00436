import type { Rng } from '../rng/rng';
import type { Reference } from './plugin';

/** A value in a report table. */
export type Cell = string | number | boolean | null;

/** A curve for plots: y against x, grouped into a plot by `plot`. */
export interface Series {
  /** Legend label. */
  readonly name: string;
  /** Which plot this series belongs to (a key of `ExperimentReport.plots`); default 'main'. */
  readonly plot?: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
}

/** How to draw one plot. */
export interface PlotSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly logX?: boolean;
  readonly logY?: boolean;
  /** 'line' (default) or 'scatter' or 'bar'. */
  readonly kind?: 'line' | 'scatter' | 'bar';
}

/** The verdict of a reproduction, computed from the measurements against the claim's threshold. */
export interface Verdict {
  /** 'reproduced' when the measured quantity meets the claim's threshold, 'not-reproduced' otherwise, 'inconclusive' when it could not be measured. */
  readonly status: 'reproduced' | 'not-reproduced' | 'inconclusive';
  /** The measured quantity, formatted (e.g. '23.4x fewer iterations (median of 6 cases)'). */
  readonly measured: string;
  /** The threshold from the claim (e.g. '>= 10x fewer iterations on the majority of cases'). */
  readonly threshold: string;
  /** One sentence for people. */
  readonly summary: string;
}

/** What an experiment returns: a small table, series for plots, and the computed verdict. */
export interface ExperimentReport {
  readonly columns?: readonly string[];
  readonly rows: readonly Readonly<Record<string, Cell>>[];
  readonly series: readonly Series[];
  readonly plots?: Readonly<Record<string, PlotSpec>>;
  readonly verdict: Verdict;
  /** Free-form notes (e.g. deviations from the paper's setup, sizes used). */
  readonly notes?: readonly string[];
}

/** What `run` gets: the seeded Rng, progress reporting and cancellation. */
export interface ExperimentContext {
  readonly seed: number;
  readonly rng: Rng;
  /** Report progress in [0, 1] with an optional short message (drives progress bars). */
  progress(fraction: number, message?: string): void;
  /** Aborted when the user cancels; long experiments should check it between cases. */
  readonly signal?: { readonly aborted: boolean };
  /** 'quick' (seconds, the default: CI, `pnpm repro`, the browser) or 'full' (closer to the paper's sizes). */
  readonly size: 'quick' | 'full';
}

/** A registered reproduction of one paper's headline claim. */
export interface Experiment<Id extends string = string> {
  readonly specVersion: 1;
  /** `<area>/<name>`, kebab-case. */
  readonly id: Id;
  readonly title: string;
  readonly paper: Reference;
  /** The claim, as the paper states it, with the threshold the verdict checks. */
  readonly claim: string;
  /** Method ids this experiment exercises (for docs cross-links). */
  readonly methods?: readonly string[];
  run(context: ExperimentContext): ExperimentReport | Promise<ExperimentReport>;
}

import { type Batch, parseOptions, type Rng, type StepResult, type Vec } from '@argmin/core';
import type { z } from 'zod';
import type { BilevelOracle } from '../problem/bilevel-oracle';

/** Parses options with the plugin's strict schema (InvalidOptionsError naming bad keys, did-you-mean). */
export function parse<S extends z.ZodType>(id: string, schema: S, options: unknown): z.output<S> {
  return parseOptions(id, schema, options ?? {});
}

export function allFinite(v: ArrayLike<number>): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

export function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** The upper/lower batches of one stochastic evaluation (undefined for exact oracles). */
export function drawBatches(
  problem: BilevelOracle,
  rng: Rng,
  stochastic: boolean,
): { upper: Batch | undefined; lower: Batch | undefined } {
  if (!stochastic) return { upper: undefined, lower: undefined };
  return { upper: problem.drawUpperBatch?.(rng), lower: problem.drawLowerBatch?.(rng) };
}

/**
 * The step result for numerical trouble: the input x is returned untouched (the last finite
 * iterate) and the state is not advanced past it.
 */
export function numericalError<S>(x: Vec, state: S, what: string): StepResult<S> {
  return {
    x,
    state,
    info: {},
    status: 'numerical-error',
    message: `${what} is not finite; returning the last finite iterate.`,
  };
}

/** Gradient steps y ← Proj_Y(y − β ∇_y g(x, y)) on the lower level, a fresh batch per step when stochastic. */
export function lowerSteps(
  problem: BilevelOracle,
  x: Vec,
  y: Vec,
  steps: number,
  stepSize: number,
  scratch: Vec,
  rng: Rng,
  stochastic: boolean,
): void {
  for (let t = 0; t < steps; t++) {
    const batch = stochastic ? problem.drawLowerBatch?.(rng) : undefined;
    problem.lowerGradY(x, y, scratch, batch);
    for (let i = 0; i < y.length; i++) y[i] -= stepSize * scratch[i];
    problem.projectY?.(y);
  }
}

export const bilevelArea = 'bilevel';

import { assertInteger, invalidArgument } from '@argmin/core';
import { linspace } from './discrete';
import type { NoiseSchedule } from './schedule';

/** diffusers' `timestep_spacing` values. */
export type TimestepSpacing = 'leading' | 'trailing' | 'linspace';

/** numpy's round (half to even), which diffusers' `.round()` uses. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** numpy.arange(start, stop, step) for floats: `start + i·step`, length ceil((stop - start)/step). */
export function arange(start: number, stop: number, step: number): Float64Array {
  const length = Math.max(0, Math.ceil((stop - start) / step));
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = start + i * step;
  return out;
}

function checkSteps(where: string, numInferenceSteps: number, numTrainTimesteps: number): void {
  assertInteger(where, 'numInferenceSteps', numInferenceSteps, 1);
  if (numInferenceSteps > numTrainTimesteps) {
    invalidArgument(
      where,
      'numInferenceSteps',
      numInferenceSteps,
      `cannot exceed the ${numTrainTimesteps} training timesteps of the schedule; use at most ${numTrainTimesteps} steps`,
    );
  }
}

/**
 * Inference timesteps of diffusers' DDIM/DDPM `set_timesteps` (descending):
 * leading `(arange(N)·(Ntrain//N)).round()[::-1] + stepsOffset`; trailing
 * `round(arange(Ntrain, 0, -Ntrain/N)) - 1`; linspace `linspace(0, Ntrain-1, N).round()[::-1]`.
 */
export function inferenceTimesteps(
  numTrainTimesteps: number,
  numInferenceSteps: number,
  spacing: TimestepSpacing = 'leading',
  stepsOffset = 0,
): number[] {
  const where = 'inferenceTimesteps';
  checkSteps(where, numInferenceSteps, numTrainTimesteps);
  const out: number[] = [];
  if (spacing === 'leading') {
    const ratio = Math.floor(numTrainTimesteps / numInferenceSteps);
    for (let i = numInferenceSteps - 1; i >= 0; i--) out.push(i * ratio + stepsOffset);
  } else if (spacing === 'trailing') {
    for (const t of arange(numTrainTimesteps, 0, -numTrainTimesteps / numInferenceSteps)) {
      out.push(roundHalfEven(t) - 1);
    }
  } else if (spacing === 'linspace') {
    const grid = linspace(0, numTrainTimesteps - 1, numInferenceSteps);
    for (let i = grid.length - 1; i >= 0; i--) out.push(roundHalfEven(grid[i]));
  } else {
    invalidArgument(where, 'spacing', spacing, "must be 'leading', 'trailing' or 'linspace'");
  }
  return out;
}

/**
 * Timesteps of diffusers' `DPMSolverMultistepScheduler.set_timesteps` (N + 1 points, last dropped):
 * linspace `linspace(0, last-1, N+1).round()[::-1][:-1]`, leading
 * `(arange(N+1)·(last//(N+1)))[::-1][:-1] + offset`, trailing `round(arange(last, 0, -Ntrain/N)) - 1`.
 * `lastTimestep` is N_train unless `lambda_min_clipped` removes the tail.
 */
export function dpmSolverMultistepTimesteps(
  numTrainTimesteps: number,
  numInferenceSteps: number,
  spacing: TimestepSpacing = 'linspace',
  stepsOffset = 0,
  lastTimestep = numTrainTimesteps,
): number[] {
  const where = 'dpmSolverMultistepTimesteps';
  checkSteps(where, numInferenceSteps, numTrainTimesteps);
  const out: number[] = [];
  if (spacing === 'linspace') {
    const grid = linspace(0, lastTimestep - 1, numInferenceSteps + 1);
    for (let i = grid.length - 1; i >= 1; i--) out.push(roundHalfEven(grid[i]));
  } else if (spacing === 'leading') {
    const ratio = Math.floor(lastTimestep / (numInferenceSteps + 1));
    for (let i = numInferenceSteps; i >= 1; i--) out.push(i * ratio + stepsOffset);
  } else if (spacing === 'trailing') {
    for (const t of arange(lastTimestep, 0, -numTrainTimesteps / numInferenceSteps)) {
      out.push(roundHalfEven(t) - 1);
    }
  } else {
    invalidArgument(where, 'spacing', spacing, "must be 'leading', 'trailing' or 'linspace'");
  }
  return out;
}

/**
 * diffusers PNDM `set_timesteps`: the ascending base grid, then either PLMS-only timesteps
 * (`skipPrkSteps`, second entry duplicated) or the 12 PRK timesteps (RK4 midpoints at half a step)
 * followed by the PLMS timesteps.
 */
export function pndmTimesteps(
  numTrainTimesteps: number,
  numInferenceSteps: number,
  options: { spacing?: TimestepSpacing; stepsOffset?: number; skipPrkSteps?: boolean } = {},
): { prk: number[]; plms: number[] } {
  const where = 'pndmTimesteps';
  checkSteps(where, numInferenceSteps, numTrainTimesteps);
  const spacing = options.spacing ?? 'leading';
  let base: number[];
  if (spacing === 'linspace') {
    base = Array.from(linspace(0, numTrainTimesteps - 1, numInferenceSteps), roundHalfEven);
  } else if (spacing === 'leading') {
    const ratio = Math.floor(numTrainTimesteps / numInferenceSteps);
    base = Array.from({ length: numInferenceSteps }, (_, i) => i * ratio + (options.stepsOffset ?? 0));
  } else if (spacing === 'trailing') {
    base = Array.from(arange(numTrainTimesteps, 0, -numTrainTimesteps / numInferenceSteps), (t) =>
      roundHalfEven(t),
    )
      .reverse()
      .map((t) => t - 1);
  } else {
    return invalidArgument(where, 'spacing', spacing, "must be 'leading', 'trailing' or 'linspace'");
  }
  if (options.skipPrkSteps ?? false) {
    const plms = [...base.slice(0, -1), ...base.slice(-2, -1), ...base.slice(-1)].reverse();
    return { prk: [], plms };
  }
  if (numInferenceSteps < 4) {
    invalidArgument(
      where,
      'numInferenceSteps',
      numInferenceSteps,
      'F-PNDM (PRK warm-up) needs at least 4 steps; use skipPrkSteps or more steps',
    );
  }
  const half = Math.floor(Math.floor(numTrainTimesteps / numInferenceSteps) / 2);
  const last4 = base.slice(-4);
  const doubled: number[] = [];
  for (const t of last4) doubled.push(t, t + half);
  const trimmed = doubled.slice(0, -1);
  const repeated: number[] = [];
  for (const t of trimmed) repeated.push(t, t);
  const prk = repeated.slice(1, -1).reverse();
  const plms = base.slice(0, -3).reverse();
  return { prk, plms };
}

/**
 * diffusers `LCMScheduler.set_timesteps`: the `originalInferenceSteps`-point skipping grid
 * `[1..K·strength]·(Ntrain//K) - 1` (reversed), indexed by `floor(linspace(0, len, n, endpoint=False))`.
 * n = 4 gives [999, 759, 499, 259].
 */
export function lcmTimesteps(
  numTrainTimesteps: number,
  numInferenceSteps: number,
  options: { originalInferenceSteps?: number; strength?: number } = {},
): number[] {
  const where = 'lcmTimesteps';
  const original = options.originalInferenceSteps ?? 50;
  const strength = options.strength ?? 1;
  checkSteps(where, numInferenceSteps, numTrainTimesteps);
  if (numInferenceSteps > original) {
    invalidArgument(
      where,
      'numInferenceSteps',
      numInferenceSteps,
      `cannot exceed originalInferenceSteps = ${original} (the LCM skipping grid); raise originalInferenceSteps or use fewer steps`,
    );
  }
  const k = Math.floor(numTrainTimesteps / original);
  const count = Math.floor(original * strength);
  const origin: number[] = [];
  for (let i = count; i >= 1; i--) origin.push(i * k - 1);
  const step = origin.length / numInferenceSteps;
  const out: number[] = [];
  for (let i = 0; i < numInferenceSteps; i++) out.push(origin[Math.floor(i * step + 0)]);
  return out;
}

/** The original DDIM code's sequences (ermongroup; reused by PNDM and TS-DPM): ascending. */
export function ddimSequence(
  numTrainTimesteps: number,
  steps: number,
  skipType: 'uniform' | 'quad',
): number[] {
  checkSteps('ddimSequence', steps, numTrainTimesteps);
  if (skipType === 'uniform') {
    const skip = Math.floor(numTrainTimesteps / steps);
    const out: number[] = [];
    for (let t = 0; t < numTrainTimesteps; t += skip) out.push(t);
    return out;
  }
  return Array.from(linspace(0, Math.sqrt(numTrainTimesteps * 0.8), steps), (u) => Math.trunc(u * u));
}

/** DPM-Solver's `skip_type`. */
export type SkipType = 'logSNR' | 'time_uniform' | 'time_quadratic';

/**
 * DPM-Solver `get_time_steps`: N + 1 continuous times from tStart (T) down to tEnd:
 * time_uniform `linspace(T, t0, N+1)`, logSNR `t(linspace(λ_T, λ_0, N+1))`,
 * time_quadratic `linspace(√T, √t0, N+1)²`.
 */
export function continuousTimeGrid(
  schedule: NoiseSchedule,
  numSteps: number,
  skipType: SkipType = 'logSNR',
  tStart = schedule.T,
  tEnd = schedule.tEnd,
): Float64Array {
  assertInteger('continuousTimeGrid', 'numSteps', numSteps, 1);
  if (!(tStart > tEnd && tEnd > 0)) {
    invalidArgument('continuousTimeGrid', 'tStart/tEnd', [tStart, tEnd], 'need tStart > tEnd > 0');
  }
  if (skipType === 'time_uniform') return linspace(tStart, tEnd, numSteps + 1);
  if (skipType === 'time_quadratic')
    return linspace(Math.sqrt(tStart), Math.sqrt(tEnd), numSteps + 1).map((u) => u * u);
  if (skipType === 'logSNR') {
    return linspace(schedule.marginalLambda(tStart), schedule.marginalLambda(tEnd), numSteps + 1).map((l) =>
      schedule.inverseLambda(l),
    );
  }
  return invalidArgument(
    'continuousTimeGrid',
    'skipType',
    skipType,
    "must be 'logSNR', 'time_uniform' or 'time_quadratic'",
  );
}

/**
 * Karras et al. (EDM) sigmas: `σ_i = (σmax^{1/ρ} + i/(N-1)·(σmin^{1/ρ} - σmax^{1/ρ}))^ρ`, ρ = 7
 * (diffusers `_convert_to_karras`).
 */
export function karrasSigmas(sigmaMin: number, sigmaMax: number, numSteps: number, rho = 7): Float64Array {
  const ramp = linspace(0, 1, numSteps);
  const minInv = sigmaMin ** (1 / rho);
  const maxInv = sigmaMax ** (1 / rho);
  return ramp.map((r) => (maxInv + r * (minInv - maxInv)) ** rho);
}

/**
 * diffusers `_sigma_to_t`: a fractional timestep for σ_K by interpolating log σ_K over the training
 * timesteps (`logSigmas` ascending).
 */
export function sigmaToTimestep(sigma: number, logSigmas: Float64Array): number {
  const logSigma = Math.log(Math.max(sigma, 1e-10));
  let low = 0;
  for (let i = 0; i < logSigmas.length; i++) if (logSigma - logSigmas[i] >= 0) low = i;
  low = Math.min(low, logSigmas.length - 2);
  const lo = logSigmas[low];
  const hi = logSigmas[low + 1];
  let w = (lo - logSigma) / (lo - hi);
  w = Math.min(1, Math.max(0, w));
  return (1 - w) * low + w * (low + 1);
}

/** Checks a user-supplied timestep list: integers, strictly descending, inside [0, Ntrain). */
export function checkCustomTimesteps(
  where: string,
  timesteps: readonly number[],
  numTrainTimesteps: number,
): void {
  if (timesteps.length === 0)
    invalidArgument(where, 'timesteps', timesteps, 'must contain at least one timestep');
  for (let i = 0; i < timesteps.length; i++) {
    const t = timesteps[i];
    if (!Number.isInteger(t) || t < 0 || t >= numTrainTimesteps) {
      invalidArgument(
        where,
        `timesteps[${i}]`,
        t,
        `every timestep must be an integer in [0, ${numTrainTimesteps - 1}]`,
      );
    }
    if (i > 0 && !(t < timesteps[i - 1])) {
      invalidArgument(
        where,
        'timesteps',
        `[${timesteps.join(', ')}]`,
        `custom timesteps must be strictly descending (timesteps[${i}] = ${t} follows ${timesteps[i - 1]})`,
      );
    }
  }
}

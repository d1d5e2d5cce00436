import { invalidArgument } from '@argmin/core';

/**
 * A noise level of the VP forward process `x_t = alpha * x0 + sigma * eps` (alpha² + sigma² = 1),
 * with the time the model sees. `lambda = log(alpha / sigma)` is the half log-SNR (DPM-Solver's λ).
 */
export interface NoiseLevel {
  /** The model's time input: an integer training timestep for discrete grids, continuous t otherwise. */
  readonly time: number;
  readonly alpha: number;
  readonly sigma: number;
  readonly lambda: number;
}

/** The `beta_schedule` names of diffusers (plus the alpha-bar transforms it offers). */
export type BetaScheduleName = 'linear' | 'scaled_linear' | 'squaredcos_cap_v2' | 'exp' | 'laplace';

/**
 * A VP noise schedule. Discrete schedules (`kind: 'discrete'`) hold `alphasCumprod` (ᾱ_i for
 * i = 0..N-1, diffusers' `alphas_cumprod`) and also expose DPM-Solver's continuous view (log α
 * piecewise linear through t_i = (i+1)/N). Continuous schedules (VP linear, VP cosine) expose the
 * continuous view only.
 */
export interface NoiseSchedule {
  readonly kind: 'discrete' | 'continuous';
  readonly name: string;
  /** N, the number of training timesteps (1000 for continuous schedules, used to scale model time). */
  readonly numTrainTimesteps: number;
  /** Discrete only: betas and ᾱ (length N). */
  readonly betas?: Float64Array;
  readonly alphasCumprod?: Float64Array;
  /** Continuous view: end time T and the smallest sensible time (DPM-Solver's default t_end). */
  readonly T: number;
  readonly tEnd: number;
  /** log α_t of the continuous view. */
  marginalLogMeanCoeff(t: number): number;
  /** λ_t = log α_t - log σ_t. */
  marginalLambda(t: number): number;
  /** t(λ), the inverse of `marginalLambda`. */
  inverseLambda(lambda: number): number;
  /** The noise level at continuous time t (model time as DPM-Solver's model_wrapper passes it). */
  levelAtTime(t: number): NoiseLevel;
}

/** λ from ᾱ: ½ log(ᾱ / (1 - ᾱ)) (+∞ when ᾱ = 1). */
export function lambdaFromAlphaBar(alphaBar: number): number {
  return 0.5 * (Math.log(alphaBar) - Math.log1p(-alphaBar));
}

/** The noise level of a discrete timestep: α = √ᾱ, σ = √(1 - ᾱ). */
export function levelFromAlphaBar(time: number, alphaBar: number): NoiseLevel {
  return {
    time,
    alpha: Math.sqrt(alphaBar),
    sigma: Math.sqrt(1 - alphaBar),
    lambda: lambdaFromAlphaBar(alphaBar),
  };
}

/** α = √sigmoid(2λ), σ = √sigmoid(-2λ), computed without overflow. */
export function levelFromLambda(time: number, lambda: number): NoiseLevel {
  // log α = -½ log(1 + e^{-2λ}), log σ = -½ log(1 + e^{2λ})
  const logAlpha = -0.5 * logAddExp0(-2 * lambda);
  const logSigma = -0.5 * logAddExp0(2 * lambda);
  return { time, alpha: Math.exp(logAlpha), sigma: Math.exp(logSigma), lambda };
}

/** log(1 + e^x) without overflow (numpy's logaddexp(x, 0)). */
export function logAddExp0(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Throws unless `schedule` is discrete; returns its ᾱ. */
export function requireDiscrete(where: string, schedule: NoiseSchedule): Float64Array {
  if (schedule.kind !== 'discrete' || !schedule.alphasCumprod) {
    invalidArgument(
      where,
      'schedule',
      schedule.name,
      'needs a discrete schedule (discreteSchedule({...})) because it indexes training timesteps; use a continuous time grid sampler (dpm-solver) for continuous schedules',
    );
  }
  return schedule.alphasCumprod;
}

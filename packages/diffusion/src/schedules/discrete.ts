import { assertAllocation, assertFinite, assertInteger, invalidArgument } from '@argmin/core';
import {
  type BetaScheduleName,
  levelFromAlphaBar,
  logAddExp0,
  type NoiseLevel,
  type NoiseSchedule,
} from './schedule';

/** numpy.linspace(start, stop, num) bit for bit: `i * step + start`, last entry exactly `stop`. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  if (num === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/**
 * diffusers `betas_for_alpha_bar`: `β_i = min(1 - ᾱ((i+1)/N)/ᾱ(i/N), maxBeta)` for the transforms
 * cosine (iDDPM, `squaredcos_cap_v2`: ᾱ(u) = cos²((u+0.008)/1.008·π/2)), exp (ᾱ(u) = e^{-12u}) and laplace.
 */
export function betasForAlphaBar(
  numTrainTimesteps: number,
  transform: 'cosine' | 'exp' | 'laplace' = 'cosine',
  maxBeta = 0.999,
): Float64Array {
  const alphaBar =
    transform === 'cosine'
      ? (u: number) => Math.cos(((u + 0.008) / 1.008) * Math.PI * 0.5) ** 2
      : transform === 'exp'
        ? (u: number) => Math.exp(u * -12.0)
        : (u: number) => {
            const lmb = -0.5 * Math.sign(0.5 - u || 1) * Math.log(1 - 2 * Math.abs(0.5 - u) + 1e-6);
            const snr = Math.exp(lmb);
            return Math.sqrt(snr / (1 + snr));
          };
  const betas = new Float64Array(numTrainTimesteps);
  for (let i = 0; i < numTrainTimesteps; i++) {
    const t1 = i / numTrainTimesteps;
    const t2 = (i + 1) / numTrainTimesteps;
    betas[i] = Math.min(1 - alphaBar(t2) / alphaBar(t1), maxBeta);
  }
  return betas;
}

/**
 * Zero-terminal-SNR rescale (Lin et al., "Common Diffusion Noise Schedules and Sample Steps are
 * Flawed", arXiv 2305.08891, Algorithm 1): shift and scale √ᾱ so √ᾱ_{N-1} = 0 while √ᾱ_0 is kept,
 * then recover betas from the ratios. (Schedulers then set ᾱ_{N-1} = 2^-24 so σ/α stays finite.)
 */
export function rescaleZeroTerminalSnr(betas: Float64Array): Float64Array {
  const n = betas.length;
  const sqrtBar = new Float64Array(n);
  let product = 1;
  for (let i = 0; i < n; i++) {
    product *= 1 - betas[i];
    sqrtBar[i] = Math.sqrt(product);
  }
  const first = sqrtBar[0];
  const last = sqrtBar[n - 1];
  const out = new Float64Array(n);
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const s = (sqrtBar[i] - last) * (first / (first - last));
    const bar = s * s;
    out[i] = i === 0 ? 1 - bar : 1 - bar / previous;
    previous = bar;
  }
  return out;
}

/** Options of `discreteSchedule` (diffusers scheduler config names, spelled in camelCase). */
export interface DiscreteScheduleOptions {
  /** Number of training timesteps N (diffusers `num_train_timesteps`). Default 1000. */
  readonly numTrainTimesteps?: number;
  /** Default 'linear' (diffusers' generic default; SD and LCM use 'scaled_linear' 0.00085/0.012). */
  readonly betaSchedule?: BetaScheduleName;
  /** Default 1e-4. */
  readonly betaStart?: number;
  /** Default 0.02. */
  readonly betaEnd?: number;
  /** Custom betas used verbatim (diffusers `trained_betas`; diffusers.js ignored them, we do not). */
  readonly trainedBetas?: ArrayLike<number>;
  /** Rescale to zero terminal SNR and set ᾱ_{N-1} = 2^-24 (diffusers `rescale_betas_zero_snr`). Default false. */
  readonly rescaleBetasZeroSnr?: boolean;
  /**
   * DPM-Solver's `numerical_clip_alpha` for the continuous view: drop the final timesteps whose
   * λ < clippedLambda (cosine drops 4). Default -5.1 as in dpm_solver_pytorch.py; -Infinity disables.
   */
  readonly clippedLambda?: number;
}

/**
 * A discrete VP schedule: `β_i`, `ᾱ_i = Π_{j≤i}(1 - β_j)` (diffusers `alphas_cumprod`), and the
 * continuous view of DPM-Solver's `NoiseScheduleVP('discrete')`: log α piecewise linear through
 * `t_i = (i+1)/N`, extended linearly beyond the ends; model time `(t - 1/N)·1000`.
 *
 * @example
 * const schedule = discreteSchedule({ betaSchedule: 'linear' });
 * schedule.alphasCumprod[999]; // 4.04e-5
 */
export function discreteSchedule(options: DiscreteScheduleOptions = {}): NoiseSchedule {
  const where = 'discreteSchedule';
  const n = options.numTrainTimesteps ?? 1000;
  assertInteger(where, 'numTrainTimesteps', n, 2);
  assertAllocation(
    where,
    `a schedule of ${n} training timesteps (betas, alphas_cumprod and the continuous view)`,
    6 * n,
  );
  if (options.clippedLambda !== undefined && Number.isNaN(options.clippedLambda)) {
    invalidArgument(
      where,
      'clippedLambda',
      options.clippedLambda,
      '`clippedLambda` must be a number (-Infinity disables the clipping)',
    );
  }
  const name = options.trainedBetas ? 'trained' : (options.betaSchedule ?? 'linear');
  let betas: Float64Array;
  if (options.trainedBetas) {
    betas = Float64Array.from(options.trainedBetas);
    assertFinite(where, 'trainedBetas', betas);
    if (betas.length !== n && options.numTrainTimesteps !== undefined) {
      invalidArgument(where, 'trainedBetas.length', betas.length, `must equal numTrainTimesteps = ${n}`);
    }
    for (let i = 0; i < betas.length; i++) {
      if (!(betas[i] > 0 && betas[i] < 1)) {
        invalidArgument(where, `trainedBetas[${i}]`, betas[i], 'every beta must lie in (0, 1)');
      }
    }
  } else {
    const start = options.betaStart ?? 1e-4;
    const end = options.betaEnd ?? 0.02;
    for (const [key, value] of [
      ['betaStart', start],
      ['betaEnd', end],
    ] as const) {
      if (typeof value !== 'number' || !(value > 0 && value < 1)) {
        invalidArgument(
          where,
          key,
          value,
          `\`${key}\` must be a number in (0, 1): betas are per-step noise variances (diffusers defaults 1e-4 and 0.02; SD uses 0.00085 and 0.012)`,
        );
      }
    }
    switch (options.betaSchedule ?? 'linear') {
      case 'linear':
        betas = linspace(start, end, n);
        break;
      case 'scaled_linear':
        betas = linspace(Math.sqrt(start), Math.sqrt(end), n).map((b) => b * b);
        break;
      case 'squaredcos_cap_v2':
        betas = betasForAlphaBar(n, 'cosine');
        break;
      case 'exp':
        betas = betasForAlphaBar(n, 'exp');
        break;
      case 'laplace':
        betas = betasForAlphaBar(n, 'laplace');
        break;
      default:
        invalidArgument(
          where,
          'betaSchedule',
          options.betaSchedule,
          "must be one of 'linear', 'scaled_linear', 'squaredcos_cap_v2', 'exp', 'laplace' (or pass trainedBetas)",
        );
    }
  }
  if (options.rescaleBetasZeroSnr) betas = rescaleZeroTerminalSnr(betas);
  const total = betas.length;
  const alphasCumprod = new Float64Array(total);
  let product = 1;
  for (let i = 0; i < total; i++) {
    product *= 1 - betas[i];
    alphasCumprod[i] = product;
  }
  if (options.rescaleBetasZeroSnr) alphasCumprod[total - 1] = 2 ** -24;
  return continuousViewOfDiscrete(name, betas, alphasCumprod, options.clippedLambda ?? -5.1);
}

/** Piecewise-linear interpolation with linear extrapolation from the end segments (DPM-Solver's interpolate_fn). */
export function interpolateLinear(x: number, xp: Float64Array, yp: Float64Array): number {
  const k = xp.length;
  // xp ascending
  let lo = 0;
  if (x >= xp[k - 2]) lo = k - 2;
  else if (x > xp[0]) {
    let a = 0;
    let b = k - 1;
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if (xp[m] <= x) a = m;
      else b = m;
    }
    lo = a;
  }
  return yp[lo] + ((x - xp[lo]) * (yp[lo + 1] - yp[lo])) / (xp[lo + 1] - xp[lo]);
}

function continuousViewOfDiscrete(
  name: string,
  betas: Float64Array,
  alphasCumprod: Float64Array,
  clippedLambda: number,
): NoiseSchedule {
  const n = alphasCumprod.length;
  // numerical_clip_alpha: drop trailing entries with λ < clippedLambda
  let kept = n;
  while (kept > 2) {
    const bar = alphasCumprod[kept - 1];
    const lambda = 0.5 * (Math.log(bar) - Math.log1p(-bar));
    if (lambda < clippedLambda) kept--;
    else break;
  }
  const logAlpha = new Float64Array(kept);
  const tArray = linspace(0, 1, kept + 1).subarray(1);
  for (let i = 0; i < kept; i++) logAlpha[i] = 0.5 * Math.log(alphasCumprod[i]);
  const logAlphaFlipped = logAlpha.slice().reverse();
  const tFlipped = tArray.slice().reverse();
  const logMean = (t: number) => interpolateLinear(t, tArray, logAlpha);
  const lambdaOf = (t: number) => {
    const l = logMean(t);
    return l - 0.5 * Math.log(-Math.expm1(2 * l));
  };
  return {
    kind: 'discrete',
    name,
    numTrainTimesteps: n,
    betas,
    alphasCumprod,
    T: 1,
    tEnd: 1 / kept,
    marginalLogMeanCoeff: logMean,
    marginalLambda: lambdaOf,
    inverseLambda(lambda) {
      const l = -0.5 * logAddExp0(-2 * lambda);
      return interpolateLinear(l, logAlphaFlipped, tFlipped);
    },
    levelAtTime(t): NoiseLevel {
      const l = logMean(t);
      const alpha = Math.exp(l);
      const sigma = Math.sqrt(-Math.expm1(2 * l));
      return { time: (t - 1 / kept) * 1000, alpha, sigma, lambda: l - Math.log(sigma) };
    },
  };
}

/** ᾱ at an integer timestep, with `finalAlphaCumprod` for timesteps < 0 (diffusers' convention). */
export function discreteLevel(
  alphasCumprod: Float64Array,
  timestep: number,
  finalAlphaCumprod: number,
): NoiseLevel {
  return levelFromAlphaBar(timestep, timestep >= 0 ? alphasCumprod[timestep] : finalAlphaCumprod);
}

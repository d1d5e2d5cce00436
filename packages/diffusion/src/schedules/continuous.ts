import { assertPositive } from '@argmin/core';
import { logAddExp0, type NoiseLevel, type NoiseSchedule } from './schedule';

function build(
  name: string,
  T: number,
  logMean: (t: number) => number,
  inverseLambda: (lambda: number) => number,
): NoiseSchedule {
  const lambdaOf = (t: number) => {
    const l = logMean(t);
    return l - 0.5 * Math.log(-Math.expm1(2 * l));
  };
  return {
    kind: 'continuous',
    name,
    numTrainTimesteps: 1000,
    T,
    tEnd: 1e-3,
    marginalLogMeanCoeff: logMean,
    marginalLambda: lambdaOf,
    inverseLambda,
    levelAtTime(t): NoiseLevel {
      const l = logMean(t);
      const sigma = Math.sqrt(-Math.expm1(2 * l));
      return { time: t, alpha: Math.exp(l), sigma, lambda: l - Math.log(sigma) };
    },
  };
}

/**
 * The linear VP-SDE (Song et al.; DPM-Solver's `NoiseScheduleVP('linear')`):
 * `log α_t = -¼t²(β1 - β0) - ½tβ0`, T = 1, with the closed-form inverse
 * `t(λ) = 2(β1-β0)L / (√(β0² + 2(β1-β0)L) + β0) / (β1-β0)`, `L = log(1 + e^{-2λ})`.
 */
export function vpLinearSchedule(options: { betaMin?: number; betaMax?: number } = {}): NoiseSchedule {
  const b0 = options.betaMin ?? 0.1;
  const b1 = options.betaMax ?? 20;
  assertPositive('vpLinearSchedule', 'betaMin', b0);
  assertPositive('vpLinearSchedule', 'betaMax', b1);
  return build(
    'vp-linear',
    1,
    (t) => -0.25 * t * t * (b1 - b0) - 0.5 * t * b0,
    (lambda) => {
      const tmp = 2 * (b1 - b0) * logAddExp0(-2 * lambda);
      const delta = b0 * b0 + tmp;
      return tmp / (Math.sqrt(delta) + b0) / (b1 - b0);
    },
  );
}

/**
 * The continuous cosine VP schedule (iDDPM; DPM-Solver's `NoiseScheduleVP('cosine')`, s = 0.008):
 * `log α_t = log cos(π/2·(t+s)/(1+s)) - log cos(π/2·s/(1+s))`, with T = 0.9946 as the reference caps it.
 */
export function vpCosineSchedule(options: { s?: number; T?: number } = {}): NoiseSchedule {
  const s = options.s ?? 0.008;
  const logAlpha0 = Math.log(Math.cos((s / (1 + s)) * Math.PI * 0.5));
  return build(
    'vp-cosine',
    options.T ?? 0.9946,
    (t) => Math.log(Math.cos(((t + s) / (1 + s)) * Math.PI * 0.5)) - logAlpha0,
    (lambda) => {
      const logAlpha = -0.5 * logAddExp0(-2 * lambda);
      return (Math.acos(Math.exp(logAlpha + logAlpha0)) * 2 * (1 + s)) / Math.PI - s;
    },
  );
}

import { createRng } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { levelFromAlphaBar, levelFromLambda } from '../schedules/schedule';
import { gaussianFlowMap, probabilityFlow } from './flow-map';
import { gaussianMixture, gaussianModel } from './gaussian-mixture';
import { classifierFreeGuidance, convertPrediction } from './model';

// a 2-D, 3-component mixture with a full, a diagonal and an isotropic covariance
const mixture = gaussianMixture({
  weights: [0.2, 0.5, 0.3],
  means: [
    [1, -0.5],
    [-0.8, 0.3],
    [0.2, 1.2],
  ],
  covariances: [
    [
      [0.09, 0.04],
      [0.04, 0.05],
    ],
    [0.02, 0.1],
    0.03,
  ],
});
const levels = [0.02, 0.3, 0.7, 0.97].map((bar, i) => levelFromAlphaBar(i, bar));
const points = Float64Array.of(0.3, -0.2, 1.4, 0.9, -1.1, 0.4);

describe('exact Gaussian-mixture denoiser', () => {
  it('eps = -sigma * (central finite-difference gradient of log p_t) and score = that gradient', () => {
    const logp = (x: Float64Array, level: (typeof levels)[number]) =>
      mixture.logDensity(x, 1, level, new Float64Array(1))[0];
    for (const level of levels) {
      for (let b = 0; b < 3; b++) {
        const x = points.slice(2 * b, 2 * b + 2);
        const eps = mixture.epsilon(x, 1, level, new Float64Array(2));
        const score = mixture.score(x, 1, level, new Float64Array(2));
        for (let j = 0; j < 2; j++) {
          const h = 1e-5;
          const plus = x.slice();
          const minus = x.slice();
          plus[j] += h;
          minus[j] -= h;
          const fd = (logp(plus, level) - logp(minus, level)) / (2 * h);
          expect(score[j]).toBeCloseTo(fd, 6);
          expect(eps[j]).toBeCloseTo(-level.sigma * fd, 6);
        }
      }
    }
  });

  it('Tweedie: x0 = (x - sigma eps)/alpha where alpha is not tiny; the direct form stays finite as alpha -> 0', () => {
    for (const level of levels) {
      const x0 = mixture.denoise(points, 3, level, new Float64Array(6));
      const eps = mixture.epsilon(points, 3, level, new Float64Array(6));
      for (let i = 0; i < 6; i++)
        expect(x0[i]).toBeCloseTo((points[i] - level.sigma * eps[i]) / level.alpha, 9);
    }
    const noisy = levelFromAlphaBar(0, 1e-16);
    const x0 = mixture.denoise(points, 3, noisy, new Float64Array(6));
    // at alpha -> 0 the posterior mean is the data mean
    const { mean } = mixture.moments();
    for (let b = 0; b < 3; b++) for (let j = 0; j < 2; j++) expect(x0[2 * b + j]).toBeCloseTo(mean[j], 6);
  });

  it('v and the prediction conversions round-trip; responsibilities sum to 1; posterior mean equals denoise', () => {
    const level = levels[1];
    const eps = mixture.epsilon(points, 3, level, new Float64Array(6));
    const v = mixture.withPrediction('v').predict(points, 3, level, new Float64Array(6));
    const back = convertPrediction('v', 'epsilon', points, v, level, new Float64Array(6));
    for (let i = 0; i < 6; i++) expect(back[i]).toBeCloseTo(eps[i], 12);
    const viaSample = convertPrediction(
      'sample',
      'v',
      points,
      mixture.denoise(points, 3, level, new Float64Array(6)),
      level,
      new Float64Array(6),
    );
    for (let i = 0; i < 6; i++) expect(viaSample[i]).toBeCloseTo(v[i], 12);
    const r = mixture.responsibilities(points, 3, level, new Float64Array(9));
    for (let b = 0; b < 3; b++) expect(r[3 * b] + r[3 * b + 1] + r[3 * b + 2]).toBeCloseTo(1, 14);
    const posterior = mixture.posterior(points.subarray(0, 2), level);
    const x0 = mixture.denoise(points.subarray(0, 2), 1, level, new Float64Array(2));
    for (let j = 0; j < 2; j++) {
      let m = 0;
      for (let k = 0; k < 3; k++) m += posterior.weights[k] * posterior.means[k][j];
      expect(m).toBeCloseTo(x0[j], 12);
    }
  });

  it('samples and marginal samples match the exact moments within Monte-Carlo error', () => {
    const n = 40_000;
    const rng = createRng(6);
    const { mean, covariance } = mixture.moments();
    const data = mixture.sample(n, rng);
    for (let j = 0; j < 2; j++) {
      let m = 0;
      for (let b = 0; b < n; b++) m += data[2 * b + j] / n;
      expect(Math.abs(m - mean[j])).toBeLessThan(5 * Math.sqrt(covariance[3 * j] / n));
    }
    const level = levels[1];
    const marginal = mixture.sampleMarginal(n, level, rng);
    let m0 = 0;
    for (let b = 0; b < n; b++) m0 += marginal[2 * b] / n;
    const var0 = level.alpha ** 2 * covariance[0] + level.sigma ** 2;
    expect(Math.abs(m0 - level.alpha * mean[0])).toBeLessThan(5 * Math.sqrt(var0 / n));
  });

  it('the closed-form single-Gaussian flow map equals the numeric probability-flow ODE (~1e-7)', () => {
    const gaussian = gaussianModel({ mean: [0.5, -0.3], covariance: [0.04, 0.25] });
    const from = levelFromLambda(0, -4);
    const to = levelFromLambda(0, 3);
    const x = Float64Array.of(-1.2, 0.4, 2.1, -0.7);
    const exact = gaussianFlowMap([0.5, -0.3], [0.04, 0.25], x, 2, from, to);
    const numeric = probabilityFlow(gaussian, x, 2, from, to).x;
    for (let i = 0; i < 4; i++) expect(numeric[i]).toBeCloseTo(exact[i], 7);
  });

  it('classifier-free guidance: scale 1 is the conditional model; equal-variance Gaussians extrapolate the mean', () => {
    const unconditional = gaussianModel({ mean: [0, 1], covariance: 0.04 });
    const conditional = gaussianModel({ mean: [1, -1], covariance: 0.04 });
    const level = levels[2];
    const one = classifierFreeGuidance(unconditional, conditional, 1).predict(
      points,
      3,
      level,
      new Float64Array(6),
    );
    const cond = conditional.epsilon(points, 3, level, new Float64Array(6));
    for (let i = 0; i < 6; i++) expect(one[i]).toBeCloseTo(cond[i], 14);
    const w = 4;
    const guided = classifierFreeGuidance(unconditional, conditional, w).predict(
      points,
      3,
      level,
      new Float64Array(6),
    );
    const extrapolated = gaussianModel({ mean: [0 + w * (1 - 0), 1 + w * (-1 - 1)], covariance: 0.04 });
    const expected = extrapolated.epsilon(points, 3, level, new Float64Array(6));
    for (let i = 0; i < 6; i++) expect(guided[i]).toBeCloseTo(expected[i], 12);
  });
});

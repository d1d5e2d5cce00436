import { createRng } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { strongError } from '../metrics';
import { gaussianFlowMap } from '../models/flow-map';
import { gaussianModel } from '../models/gaussian-mixture';
import { countCalls, type DenoiserModel } from '../models/model';
import { discreteSchedule } from '../schedules/discrete';
import { levelFromAlphaBar, type NoiseLevel } from '../schedules/schedule';
import type { Sampler } from './common';
import { ddim, ddpm } from './ddim';
import { dpmSolver } from './dpm-solver';
import { lcm, lcmBoundaryScalings } from './lcm';
import { pndm, pndmTransfer } from './pndm';

// Single Gaussian N(mu, tau^2 I): the exact x0(x) is affine in x, so every deterministic sampler maps x_T to an
// affine function a * x_T + b per coordinate (notes §0.5, the moment oracle). Pushing x_T = 0 and x_T = 1 through
// gives (a, b) exactly, hence the exact output mean and variance for x_T from the exact marginal p_T.
const mu = 0.5;
const tau = 0.2;
const model = gaussianModel({ mean: [mu], covariance: tau * tau });
const schedule = discreteSchedule({});

function affineMap(sampler: Sampler, m: DenoiserModel = model): { a: number; b: number; nfe: number } {
  const result = sampler.sample(m, schedule, Float64Array.of(0, 1));
  return { b: result.x[0], a: result.x[1] - result.x[0], nfe: result.nfe };
}

/** Exact output moments for x_T ~ p_T = N(alpha mu, alpha^2 tau^2 + sigma^2) at the sampler's first level. */
function outputMoments(sampler: Sampler): { mean: number; std: number; first: NoiseLevel; last: NoiseLevel } {
  const points = sampler.grid(schedule);
  const first = points[0];
  const last = points[points.length - 1];
  const { a, b } = affineMap(sampler);
  const meanT = first.alpha * mu;
  const varT = first.alpha ** 2 * tau ** 2 + first.sigma ** 2;
  return { mean: a * meanT + b, std: Math.abs(a) * Math.sqrt(varT), first, last };
}

const exactStd = (level: NoiseLevel) => Math.sqrt(level.alpha ** 2 * tau ** 2 + level.sigma ** 2);

const deterministic: [string, (n: number) => Sampler][] = [
  ['DDIM', (n) => ddim({ numInferenceSteps: n, clipSample: false })],
  ['PLMS', (n) => pndm({ numInferenceSteps: n, method: 'plms' })],
  ['S-PNDM', (n) => pndm({ numInferenceSteps: n, method: 's-pndm' })],
  ['F-PNDM', (n) => pndm({ numInferenceSteps: n, method: 'f-pndm' })],
  ['DPM-Solver++ 2M (discrete)', (n) => dpmSolver({ numInferenceSteps: n, order: 2 })],
  ['DPM-Solver++ 3M (discrete)', (n) => dpmSolver({ numInferenceSteps: n, order: 3 })],
  [
    'DPM-Solver 2M noise (discrete, sigma_min)',
    (n) =>
      dpmSolver({ numInferenceSteps: n, order: 2, algorithm: 'dpmsolver', finalSigmasType: 'sigma_min' }),
  ],
  [
    'DPM-Solver++ 2M (continuous, logSNR)',
    (n) => dpmSolver({ grid: 'continuous', skipType: 'logSNR', numInferenceSteps: n, order: 2 }),
  ],
  [
    'DPM-Solver++ 3S singlestep',
    (n) => dpmSolver({ grid: 'continuous', method: 'singlestep', numInferenceSteps: n, order: 3 }),
  ],
  [
    'DPM-Solver-2 singlestep (noise)',
    (n) =>
      dpmSolver({
        grid: 'continuous',
        method: 'singlestep',
        numInferenceSteps: n,
        order: 2,
        algorithm: 'dpmsolver',
      }),
  ],
];

describe('moment oracle on a single Gaussian', () => {
  it('every deterministic sampler gets the output mean exactly (alpha_end * mu)', () => {
    for (const [name, make] of deterministic) {
      for (const n of [5, 10, 20]) {
        const { mean, last } = outputMoments(make(n));
        expect(Math.abs(mean - last.alpha * mu), `${name}, ${n} steps`).toBeLessThan(1e-12);
      }
    }
  });

  it('the std error shrinks with the step count; DDIM under-disperses', () => {
    for (const [name, make] of deterministic) {
      const errors = [10, 40].map((n) => {
        const { std, last } = outputMoments(make(n));
        return Math.abs(std - exactStd(last));
      });
      expect(errors[1], name).toBeLessThan(errors[0]);
    }
    for (const n of [5, 10, 20, 50]) {
      const { std, last } = outputMoments(
        ddim({ numInferenceSteps: n, clipSample: false, timestepSpacing: 'trailing' }),
      );
      expect(std).toBeLessThan(exactStd(last));
    }
  });

  it("strong-error convergence orders on a broad Gaussian (tau = 0.5, logSNR grid): DDIM ~1, 2M ~2, and the reference '3M' ~2", () => {
    const broad = gaussianModel({ mean: [0.3], covariance: 0.25 });
    // 20 -> 80 steps (10 is pre-asymptotic); the reference 3M gives its D2 term half weight, so it is order 2 (notes §3)
    const orders = [1, 2, 3].map((order) => {
      const errors = [20, 80].map((n) => {
        const sampler = dpmSolver({
          grid: 'continuous',
          skipType: 'logSNR',
          numInferenceSteps: n,
          order: order as 1 | 2 | 3,
        });
        const points = sampler.grid(schedule);
        const xT = Float64Array.of(-1.5, -0.2, 0.4, 1.3);
        const exact = gaussianFlowMap([0.3], 0.25, xT, 4, points[0], points[points.length - 1]);
        return strongError(sampler.sample(broad, schedule, xT).x, exact, 1);
      });
      return Math.log(errors[0] / errors[1]) / Math.log(4);
    });
    expect(Math.abs(orders[0] - 1)).toBeLessThan(0.3);
    expect(Math.abs(orders[1] - 2)).toBeLessThan(0.3);
    expect(Math.abs(orders[2] - 2)).toBeLessThan(0.3);
  });

  it('DDIM (eta = 0) == DPM-Solver-1 == PNDM transfer on the same timesteps, to 1e-12', () => {
    const timesteps = [999, 800, 600, 350, 200, 90, 20];
    const xT = createRng(1).fillNormal(new Float64Array(9));
    const three = gaussianModel({ mean: [0.1, -0.4, 0.7], covariance: [0.04, 0.09, 0.01] });
    const a = ddim({ timesteps, clipSample: false }).sample(three, schedule, xT).x;
    const b = dpmSolver({ timesteps, order: 1 }).sample(three, schedule, xT).x;
    const c = dpmSolver({ timesteps, order: 1, algorithm: 'dpmsolver', finalSigmasType: 'sigma_min' }).sample(
      three,
      schedule,
      xT,
    ).x;
    const d = ddim({ timesteps, clipSample: false, setAlphaToOne: false }).sample(three, schedule, xT).x;
    for (let i = 0; i < a.length; i++) {
      expect(b[i]).toBeCloseTo(a[i], 12);
      expect(c[i]).toBeCloseTo(d[i], 12);
    }
    // the PNDM transfer phi(x, t -> t', eps) is the DDIM step sqrt(abar') x0 + sqrt(1 - abar') eps
    const bar = schedule.alphasCumprod as Float64Array;
    const eps = createRng(5).fillNormal(new Float64Array(9));
    for (const [t, tNext] of [
      [999, 800],
      [350, 200],
      [20, -1],
    ]) {
      const from = levelFromAlphaBar(t, bar[t]);
      const to = levelFromAlphaBar(tNext, tNext < 0 ? 1 : bar[tNext]);
      const out = pndmTransfer(xT, from, to, eps, new Float64Array(9));
      for (let i = 0; i < 9; i++) {
        const x0 = (xT[i] - from.sigma * eps[i]) / from.alpha;
        expect(out[i]).toBeCloseTo(to.alpha * x0 + to.sigma * eps[i], 12);
      }
    }
  });

  it('DDIM with eta = 1 is DDPM (fixed_small) given the same noise stream', () => {
    const xT = createRng(2).fillNormal(new Float64Array(300));
    const three = gaussianModel({ mean: [0.1, -0.4, 0.7], covariance: [0.04, 0.09, 0.01] });
    for (const n of [10, 50]) {
      const a = ddim({ numInferenceSteps: n, eta: 1, clipSample: false }).sample(three, schedule, xT, {
        seed: 9,
      }).x;
      const b = ddpm({ numInferenceSteps: n, clipSample: false }).sample(three, schedule, xT, { seed: 9 }).x;
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 12);
    }
  });

  it('NFE: S-PNDM and PLMS N + 1, F-PNDM N + 9, multistep and singlestep DPM-Solver N', () => {
    const cases: [Sampler, number][] = [
      [pndm({ numInferenceSteps: 10, method: 's-pndm' }), 11],
      [pndm({ numInferenceSteps: 10, method: 'plms' }), 11],
      [pndm({ numInferenceSteps: 10, method: 'f-pndm' }), 19],
      [dpmSolver({ numInferenceSteps: 10, order: 3 }), 10],
      [dpmSolver({ grid: 'continuous', method: 'singlestep', numInferenceSteps: 10, order: 3 }), 10],
      [dpmSolver({ grid: 'continuous', method: 'singlestep', numInferenceSteps: 11, order: 2 }), 11],
    ];
    for (const [sampler, nfe] of cases) {
      const counted = countCalls(model);
      const result = sampler.sample(counted, schedule, Float64Array.of(0.3));
      expect(result.nfe).toBe(nfe);
      expect(counted.calls).toBe(nfe);
    }
  });
});

describe('LCM with the exact consistency function of a Gaussian', () => {
  // the ideal consistency function is the flow map to the data, F(x, t) = mu + tau (x - alpha mu) / c
  const consistency: DenoiserModel = {
    dimension: 1,
    prediction: 'sample',
    predict(x, batch, level, out) {
      const data = { time: -1, alpha: 1, sigma: 0, lambda: Number.POSITIVE_INFINITY };
      const flow = gaussianFlowMap([mu], tau * tau, x, batch, level, data);
      const { cSkip, cOut } = lcmBoundaryScalings(level.time);
      for (let i = 0; i < out.length; i++) out[i] = (flow[i] - cSkip * x[i]) / cOut;
      return out;
    },
  };
  const bar = schedule.alphasCumprod as Float64Array;
  const top = levelFromAlphaBar(999, bar[999]);

  it('one step returns F(x_T) exactly: no noise is added on the final step', () => {
    const xT = Float64Array.of(-1, 0, 0.7, 2);
    const out = lcm({ numInferenceSteps: 1 }).sample(consistency, schedule, xT, { seed: 3 }).x;
    const exact = gaussianFlowMap([mu], tau * tau, xT, 4, top, {
      time: -1,
      alpha: 1,
      sigma: 0,
      lambda: Infinity,
    });
    for (let i = 0; i < 4; i++) expect(out[i]).toBeCloseTo(exact[i], 12);
  });

  it('n = 1, 2, 4, 8 steps give exact data moments (Monte Carlo with computed tolerance)', () => {
    const samples = 20_000;
    for (const n of [1, 2, 4, 8]) {
      const xT = model.sampleMarginal(samples, top, createRng(10 + n));
      const out = lcm({ numInferenceSteps: n }).sample(consistency, schedule, xT, { seed: n }).x;
      let mean = 0;
      for (const v of out) mean += v / samples;
      let variance = 0;
      for (const v of out) variance += (v - mean) ** 2 / (samples - 1);
      // 5 standard errors of the sample mean and of the sample variance of a Gaussian
      expect(Math.abs(mean - mu)).toBeLessThan(5 * (tau / Math.sqrt(samples)));
      expect(Math.abs(variance - tau * tau)).toBeLessThan(5 * tau * tau * Math.sqrt(2 / (samples - 1)));
    }
  });

  it('a plain diffusion model in the LCM loop collapses to the mean in one step (posterior mean, not a sample)', () => {
    const xT = model.sampleMarginal(20_000, top, createRng(4));
    const out = lcm({ numInferenceSteps: 1 }).sample(model.withPrediction('sample'), schedule, xT).x;
    let variance = 0;
    for (const v of out) variance += (v - mu) ** 2 / out.length;
    // the exact shortfall: posterior mean E[x0 | x_T] has variance tau^2 * (alpha^2 tau^2) / (alpha^2 tau^2 + sigma^2)
    const a2 = top.alpha ** 2;
    const expected = (tau * tau * a2 * tau * tau) / (a2 * tau * tau + top.sigma ** 2);
    // c_skip at t = 999 is ~2.5e-9: the output is the posterior mean up to that weight
    expect(variance).toBeLessThan(1e-4 * tau * tau);
    expect(variance).toBeLessThan(10 * expected + 1e-12);
  });
});

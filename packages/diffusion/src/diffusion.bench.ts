import { createRng } from '@argmin/core';
import { bench, describe } from 'vitest';
import { randomMixture } from './experiments/test-beds';
import type { DenoiserModel } from './models/model';
import { ddim } from './samplers/ddim';
import { dpmSolver } from './samplers/dpm-solver';
import { discreteSchedule } from './schedules/discrete';

// Sampler overhead per step against one exact-GMM evaluation, n = 10^4 samples of d = 64 (the size).
// A replay model (one copy of the stored output) isolates the sampler's own work. bench/diffusion/overhead.mjs
// prints the same comparison as fractions.
const n = 10_000;
const d = 64;
const steps = 20;
const model = randomMixture(d, 8, 1);
const schedule = discreteSchedule({});
const level = schedule.levelAtTime(0.5);
const xT = createRng(0).fillNormal(new Float64Array(n * d));
const stored = new Float64Array(n * d);
model.predict(xT, n, level, stored);
const replay: DenoiserModel = {
  dimension: d,
  prediction: 'epsilon',
  predict: (_x, _batch, _level, out) => {
    out.set(stored.subarray(0, out.length));
    return out;
  },
};
const check = (v: number) => {
  if (!Number.isFinite(v)) throw new Error('non-finite');
};
const ddimSampler = ddim({ numInferenceSteps: steps, clipSample: false });
const dpm2m = dpmSolver({ numInferenceSteps: steps, order: 2 });

describe(`n = ${n}, d = ${d}`, () => {
  bench('one exact-GMM evaluation (K = 8, diagonal)', () => check(model.predict(xT, n, level, stored)[0]), {
    time: 1000,
  });
  bench(`DDIM, ${steps} steps, replay model`, () => check(ddimSampler.sample(replay, schedule, xT).x[0]), {
    time: 1000,
  });
  bench(
    `DPM-Solver++ 2M, ${steps} steps, replay model`,
    () => check(dpm2m.sample(replay, schedule, xT).x[0]),
    {
      time: 1000,
    },
  );
});

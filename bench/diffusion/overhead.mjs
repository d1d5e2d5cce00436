// Sampler overhead per step (everything except the model), for n = 10^4 samples of d = 64, as a fraction of
// one exact-GMM evaluation (8 diagonal components) on the same batch. The "replay" model returns a stored
// output (one memcpy of n·d doubles, which any model call also pays). Run: pnpm build && node bench/diffusion/overhead.mjs
import { createRng, monotonicNow } from '../../packages/core/dist/index.js';
import {
  ddim,
  discreteSchedule,
  dpmSolver,
  lcm,
  pndm,
  randomMixture,
  timeShift,
} from '../../packages/diffusion/dist/index.js';

const n = 10_000;
const d = 64;
const steps = 20;
const model = randomMixture(d, 8, 1);
const schedule = discreteSchedule({});
const rng = createRng(0);
const level = schedule.levelAtTime(0.5);
const xT = rng.fillNormal(new Float64Array(n * d));
const stored = new Float64Array(n * d);
model.predict(xT, n, level, stored);
const replay = {
  dimension: d,
  prediction: 'epsilon',
  predict: (_x, _b, _l, out) => {
    out.set(stored.subarray(0, out.length));
    return out;
  },
};

function time(f, repeats) {
  f(); // warm-up
  const t0 = monotonicNow();
  for (let r = 0; r < repeats; r++) f();
  return (monotonicNow() - t0) / repeats;
}
// warm-up on an odd size first (V8 de-optimizes some loops on the first shape it sees)
model.predict(xT.subarray(0, 7 * d), 7, level, new Float64Array(7 * d));
const gmm = time(() => model.predict(xT, n, level, stored), 5);
const samplers = [
  ['DDIM (JIT warm-up, not reported)', ddim({ numInferenceSteps: steps, clipSample: false })],
  ['DDIM', ddim({ numInferenceSteps: steps, clipSample: false })],
  ['DDIM + thresholding', ddim({ numInferenceSteps: steps, thresholding: true, sampleMaxValue: 1.5 })],
  ['PNDM (plms)', pndm({ numInferenceSteps: steps, method: 'plms' })],
  ['DPM-Solver++ 2M', dpmSolver({ numInferenceSteps: steps, order: 2 })],
  ['DPM-Solver++ 3M', dpmSolver({ numInferenceSteps: steps, order: 3 })],
  ['SDE-DPM-Solver++ 2M', dpmSolver({ numInferenceSteps: steps, order: 2, algorithm: 'sde-dpmsolver++' })],
  ['LCM', lcm({ numInferenceSteps: 8 })],
  ['Time-Shift DDIM', timeShift({ numInferenceSteps: steps, windowSize: 40 })],
];
console.log(`one exact-GMM evaluation (K = 8, d = ${d}, n = ${n}): ${gmm.toFixed(2)} ms`);
console.log('sampler | overhead per step (ms) | fraction of one GMM evaluation');
for (const [name, sampler] of samplers) {
  const result = sampler.sample(replay, schedule, xT);
  const ms = time(() => sampler.sample(replay, schedule, xT), 3);
  const perStep = ms / result.nfe;
  console.log(`${name} | ${perStep.toFixed(3)} | ${(perStep / gmm).toFixed(3)}`);
}

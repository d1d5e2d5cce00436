// Speed of the synchronous sampling path against a baseline build of @argmin/diffusion (e.g. the commit before
// steps became programs of evaluation requests, 7ae8357). Interleaved repeats, median time per run, ratio
// new / baseline (< 1.05 = unchanged within noise on this machine). Two models: the exact Gaussian mixture
// (what users run; K = 8 diagonal components, d = 64) and a replay model that returns a stored output (isolates
// the sampler's own work, the worst case for any per-evaluation overhead).
//
// Run:
//   git worktree add /tmp/argmin-base 7ae8357 && (cd /tmp/argmin-base && pnpm install --frozen-lockfile && pnpm build)
//   pnpm build && node bench/diffusion/sync-path.mjs /tmp/argmin-base/packages/diffusion/dist/index.js [n] [repeats] [only]
// (n samples, default 2000; repeats, default 15; only: a regular expression selecting rows, e.g. 'replay.*2M')
import { createRng, monotonicNow } from '../../packages/core/dist/index.js';
import * as current from '../../packages/diffusion/dist/index.js';

const [baselinePath, nArg, repeatsArg, only] = process.argv.slice(2);
if (!baselinePath) {
  console.error(
    'pass the dist/index.js of a baseline build as the first argument (see the comment at the top)',
  );
  process.exit(2);
}
const baseline = await import(baselinePath);

const n = Number(nArg ?? 2000);
const d = 64;
const repeats = Number(repeatsArg ?? 15);
const model = current.randomMixture(d, 8, 1);
const schedule = current.discreteSchedule({});
const rng = createRng(0);
const xT = rng.fillNormal(new Float64Array(n * d));
const stored = new Float64Array(n * d);
model.predict(xT, n, schedule.levelAtTime(0.5), stored);
const replay = {
  dimension: d,
  prediction: 'epsilon',
  predict: (_x, _b, _l, out) => {
    out.set(stored.subarray(0, out.length));
    return out;
  },
};

const configs = [
  ['DDIM 20 steps', (m) => m.ddim({ numInferenceSteps: 20, clipSample: false })],
  ['F-PNDM 20 steps', (m) => m.pndm({ numInferenceSteps: 20 })],
  ['DPM-Solver++ 2M 20 steps', (m) => m.dpmSolver({ numInferenceSteps: 20 })],
  [
    'DPM-Solver-3 singlestep 21 NFE',
    (m) => m.dpmSolver({ grid: 'continuous', method: 'singlestep', order: 3, numInferenceSteps: 21 }),
  ],
  ['LCM 8 steps', (m) => m.lcm({ numInferenceSteps: 8 })],
];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

console.log(`n = ${n} samples, d = ${d}, ${repeats} interleaved repeats; median ms per run`);
console.log('model | sampler | baseline ms | current ms | ratio current/baseline');
for (const [modelName, m] of [
  ['exact GMM', model],
  ['replay', replay],
]) {
  for (const [name, make] of configs) {
    if (only && !new RegExp(only).test(`${modelName} ${name}`)) continue;
    const a = make(baseline);
    const b = make(current);
    const first = a.sample(m, schedule, xT).x;
    const second = b.sample(m, schedule, xT).x;
    for (let i = 0; i < first.length; i++) {
      if (first[i] !== second[i]) throw new Error(`${name}: the two builds disagree at ${i}`);
    }
    const times = [[], []];
    for (let r = 0; r < repeats; r++) {
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      for (const k of order) {
        const sampler = k === 0 ? a : b;
        const t0 = monotonicNow();
        sampler.sample(m, schedule, xT);
        times[k].push(monotonicNow() - t0);
      }
    }
    const [ta, tb] = times.map(median);
    console.log(`${modelName} | ${name} | ${ta.toFixed(2)} | ${tb.toFixed(2)} | ${(tb / ta).toFixed(3)}`);
  }
}

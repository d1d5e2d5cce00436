// argmin per-step optimizer overhead (oracle excluded) at d = 1e6 and M-FAC inverse-Fisher products.
// Prints JSON of medians in seconds. Run via bench/stochastic/compare.sh (after `pnpm build`).
import { chain, createRng, scaleByLearningRate } from '../../packages/core/dist/index.js';
import {
  addDecayedWeights,
  mfacApply,
  mfacState,
  mfacUpdate,
  mfacUpdateAndApply,
  scaleByAdam,
  trace,
} from '../../packages/stochastic/dist/index.js';

const d = 1_000_000;
const rng = createRng(0);
const params = rng.fillNormal(new Float64Array(d));
const gradient = rng.fillNormal(new Float64Array(d));
const updates = new Float64Array(d);
const context = { rng, iteration: 0, oracle: {} };
const median = (run, repeats = 5) => {
  for (let i = 0; i < 3; i++) run();
  const samples = [];
  for (let s = 0; s < 7; s++) {
    const start = performance.now();
    for (let i = 0; i < repeats; i++) run();
    samples.push((performance.now() - start) / repeats / 1000);
  }
  return samples.sort((a, b) => a - b)[3];
};
const stepper = (transform) => {
  let state = transform.init(params);
  return () => {
    updates.set(gradient);
    const out = transform.update(updates, state, params, context);
    state = out.state;
    if (!Number.isFinite(out.updates[d - 1])) throw new Error('non-finite');
  };
};
const result = {
  sgdMomentum: median(stepper(chain(trace({ decay: 0.9 }), scaleByLearningRate(0.1)))),
  adam: median(stepper(chain(scaleByAdam(), scaleByLearningRate(1e-3)))),
  adamw: median(stepper(chain(scaleByAdam(), addDecayedWeights(1e-4), scaleByLearningRate(1e-3)))),
  mfac: {},
};
for (const [dimension, window] of [
  [10_000, 32],
  [100_000, 32],
]) {
  let state = mfacState(dimension, { window, damping: 1e-4 });
  const g = new Float64Array(dimension);
  for (let k = 0; k < window; k++) state = mfacUpdate(state, rng.fillNormal(g));
  const x = rng.fillNormal(new Float64Array(dimension));
  const out = new Float64Array(dimension);
  result.mfac[`${dimension},${window}`] = {
    apply: median(() => {
      mfacApply(state, x, out);
      if (!Number.isFinite(out[0])) throw new Error('non-finite');
    }),
    updateAndApply: median(() => {
      state = mfacUpdateAndApply(state, g, out);
      if (!Number.isFinite(out[0])) throw new Error('non-finite');
    }),
  };
}
console.log(JSON.stringify(result));

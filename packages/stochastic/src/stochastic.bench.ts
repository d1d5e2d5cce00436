import { chain, createRng, type GradientTransformation, type Oracle } from '@argmin/core';
import { bench, describe } from 'vitest';
import { mfacApply, mfacState, mfacStatic, mfacStaticApply, mfacUpdate, mfacUpdateAndApply } from './mfac';
import { addDecayedWeights, scaleByAdahessian, scaleByAdam, trace } from './transforms';

// Per-step overhead of each transformation at d = 1e6 (the oracle excluded: gradients are fixed
// buffers; AdaHessian's HVP is a diagonal stand-in), and M-FAC's inverse-Fisher product vs d and m.
const d = 1_000_000;
const rng = createRng(0);
const params = rng.fillNormal(new Float64Array(d));
const gradient = rng.fillNormal(new Float64Array(d));
const updates = new Float64Array(d);
const diagonalHvp: Oracle<'hvp'> = { dimension: d, hvp: (_x, v, out) => out.set(v) ?? out };
const context = { rng, iteration: 0, oracle: diagonalHvp as never };
const check = (v: number) => {
  if (!Number.isFinite(v)) throw new Error('non-finite update');
};

function stepper<S>(transform: GradientTransformation<S>) {
  let state = transform.init(params);
  return () => {
    updates.set(gradient);
    const result = transform.update(updates, state, params, context);
    state = result.state;
    check(result.updates[d - 1]);
  };
}

describe('per-step overhead, d = 1e6', () => {
  bench('sgd momentum', stepper(trace({ decay: 0.9 })), { time: 500 });
  bench('adam', stepper(scaleByAdam()), { time: 500 });
  bench('adamw', stepper(chain(scaleByAdam(), addDecayedWeights(1e-4))), { time: 500 });
  bench('adahessian (HVP excluded)', stepper(scaleByAdahessian()), { time: 500 });
});

describe('M-FAC inverse-Fisher product', () => {
  for (const [dimension, window] of [
    [10_000, 16],
    [10_000, 64],
    [100_000, 16],
    [100_000, 64],
  ] as const) {
    let state = mfacState(dimension, { window, damping: 1e-4 });
    for (let k = 0; k < window; k++) state = mfacUpdate(state, rng.fillNormal(new Float64Array(dimension)));
    const x = rng.fillNormal(new Float64Array(dimension));
    const out = new Float64Array(dimension);
    bench(`apply d=${dimension} m=${window}`, () => check(mfacApply(state, x, out)[0]), { time: 300 });
    const fixed = mfacStatic({ rows: window, cols: dimension, data: state.gradients }, { damping: 1e-4 });
    bench(`static apply d=${dimension} m=${window}`, () => check(mfacStaticApply(fixed, x, out)[0]), {
      time: 300,
    });
    const g = rng.fillNormal(new Float64Array(dimension));
    bench(
      `update+apply d=${dimension} m=${window}`,
      () => {
        state = mfacUpdateAndApply(state, g, out);
        check(out[0]);
      },
      { time: 300 },
    );
  }
});

import {
  createRng,
  defineExperiment,
  type ExperimentContext,
  type ExperimentReport,
  solveDense,
  verdictFrom,
} from '@argmin/core';

/** Browser-safe monotonic clock in ms (core's `monotonicNow` is not in every build of core yet). */
const monotonicNow = (): number =>
  (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();

import { mfacApply, mfacState, mfacStatic, mfacStaticApply, mfacUpdate } from '../mfac';

/**
 * M-FAC (Frantar, Kurtic, Alistarh, NeurIPS 2021): exactness of the dynamic and static inverse-Fisher
 * products against a dense solve, and the cost per product as the dimension grows.
 */
export const mfacIhvpExperiment = defineExperiment({
  id: 'stochastic/m-fac-ihvp',
  title: 'M-FAC inverse-Hessian-vector products are exact and cost O(dm)',
  paper: {
    title: 'M-FAC: Efficient Matrix-Free Approximations of Second-Order Information',
    authors: 'E. Frantar, E. Kurtic, D. Alistarh',
    year: 2021,
    arxiv: '2107.03356',
  },
  claim:
    'The dynamic (sliding-window) and static IHVPs equal (λI + GᵀG/m)⁻¹v computed densely to relative error 1e-9 (d = 200, m = 16, λ = 1e-3, after three window wrap-arounds), and the time per dynamic IHVP grows linearly in d: the log-log slope over d ∈ [1e4, 3e5] (m = 16) lies in [0.8, 1.2].',
  methods: ['stochastic/m-fac'],
  run: (context) => runMfacIhvp(context, mfacIhvpSizes[context.size]),
});

/** Sizes: `quick` (what `pnpm repro` runs) and `full` are the claim's; `test` is reduced for CI. */
export const mfacIhvpSizes = {
  test: { dimension: 100, timedDimensions: [10_000, 30_000, 100_000], batches: 3, work: 3e5 },
  quick: { dimension: 200, timedDimensions: [10_000, 30_000, 100_000, 300_000], batches: 5, work: 1e6 },
  full: { dimension: 200, timedDimensions: [10_000, 30_000, 100_000, 300_000], batches: 9, work: 3e6 },
} as const;
export type MfacIhvpSize = (typeof mfacIhvpSizes)[keyof typeof mfacIhvpSizes];

/** The experiment at a given size (verdict from this run's measurements). */
export function runMfacIhvp(context: ExperimentContext, size: MfacIhvpSize): ExperimentReport {
  const rng = createRng(context.seed);
  const d = size.dimension;
  const m = 16;
  const damping = 1e-3;
  const stream = Array.from({ length: 3 * m + 5 }, () => rng.fillNormal(new Float64Array(d)));
  let state = mfacState(d, { window: m, damping });
  for (const g of stream) state = mfacUpdate(state, g);
  const window = stream.slice(-m);
  const F = { rows: d, cols: d, data: new Float64Array(d * d) };
  for (let i = 0; i < d; i++) F.data[i * d + i] = damping;
  for (const g of window)
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) F.data[i * d + j] += (g[i] * g[j]) / m;
  const v = rng.fillNormal(new Float64Array(d));
  const solved = solveDense(F, v);
  if (!solved.ok) throw new Error('the damped Fisher matrix is singular');
  const exact = solved.x;
  const relative = (a: Float64Array) => {
    let num = 0;
    let den = 0;
    for (let i = 0; i < d; i++) {
      num = Math.max(num, Math.abs(a[i] - exact[i]));
      den = Math.max(den, Math.abs(exact[i]));
    }
    return num / den;
  };
  const dynamicError = relative(mfacApply(state, v, new Float64Array(d)));
  const G = { rows: m, cols: d, data: Float64Array.from(window.flatMap((g) => Array.from(g))) };
  const staticError = relative(mfacStaticApply(mfacStatic(G, { damping }), v, new Float64Array(d)));
  const rows: Record<string, string | number | boolean | null>[] = [
    { check: 'dynamic IHVP vs dense solve (max relative error)', d, value: dynamicError },
    { check: 'static IHVP vs dense solve (max relative error)', d, value: staticError },
  ];
  context.progress(0.2, 'timing');
  const dimensions: readonly number[] = size.timedDimensions;
  const times: number[] = [];
  for (const [k, dimension] of dimensions.entries()) {
    let big = mfacState(dimension, { window: m, damping });
    const g = new Float64Array(dimension);
    for (let i = 0; i < m; i++) big = mfacUpdate(big, rng.fillNormal(g));
    const x = rng.fillNormal(new Float64Array(dimension));
    const out = new Float64Array(dimension);
    mfacApply(big, x, out); // warm-up
    const repeats = Math.max(3, Math.round(size.work / dimension));
    const samples: number[] = [];
    for (let r = 0; r < size.batches; r++) {
      const t0 = monotonicNow();
      for (let q = 0; q < repeats; q++) mfacApply(big, x, out);
      samples.push((monotonicNow() - t0) / repeats);
    }
    if (!Number.isFinite(out[0])) throw new Error('non-finite IHVP');
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(samples.length / 2)];
    times.push(median);
    rows.push({
      check: `time per dynamic IHVP (ms, median of ${size.batches})`,
      d: dimension,
      value: median,
    });
    context.progress(0.2 + (0.8 * (k + 1)) / dimensions.length, `d = ${dimension}`);
  }
  const lx = dimensions.map(Math.log10);
  const ly = times.map(Math.log10);
  const mx = lx.reduce((a, b) => a + b) / lx.length;
  const my = ly.reduce((a, b) => a + b) / ly.length;
  const slope =
    lx.reduce((s, x, i) => s + (x - mx) * (ly[i] - my), 0) / lx.reduce((s, x) => s + (x - mx) ** 2, 0);
  const exactEnough = dynamicError < 1e-9 && staticError < 1e-9;
  const linear = slope >= 0.8 && slope <= 1.2;
  return {
    rows,
    series: [{ name: 'time per IHVP (ms)', plot: 'cost', x: dimensions, y: times }],
    plots: {
      cost: { title: 'Dynamic IHVP cost, m = 16', xLabel: 'd', yLabel: 'ms', logX: true, logY: true },
    },
    verdict: verdictFrom({
      value: Math.max(dynamicError, staticError),
      holds: exactEnough && linear,
      measured: `relative error dynamic ${dynamicError.toExponential(1)}, static ${staticError.toExponential(1)}; time slope in d ${slope.toFixed(2)}`,
      threshold: `errors < 1e-9 and slope in [0.8, 1.2] (d = ${d}; timed d = ${dimensions.join(', ')})`,
    }),
    notes: [
      `Timings are wall-clock on the machine running the experiment (median of ${size.batches} batches).`,
    ],
  };
}

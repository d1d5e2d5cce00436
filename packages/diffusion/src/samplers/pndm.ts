import { invalidArgument, parseOptions, type StepResult, type Vec } from '@argmin/core';
import { z } from 'zod';
import { convertPrediction, type PredictionType } from '../models/model';
import { discreteLevel } from '../schedules/discrete';
import { levelFromAlphaBar, type NoiseLevel, type NoiseSchedule } from '../schedules/schedule';
import {
  addDividedInto,
  advance,
  averageInto,
  type EvaluationRequest,
  evaluate,
  type GridState,
  makeSampler,
  nextBuffer,
  rejectIneffectiveDiscrete,
  type Sampler,
} from './common';
import { alphaToOneGrid, discreteSamplerOptionShape } from './ddim';

const {
  clipSample: _c,
  clipSampleRange: _r,
  thresholding: _t,
  dynamicThresholdingRatio: _d,
  sampleMaxValue: _s,
  ...baseShape
} = discreteSamplerOptionShape;

/** PNDM options (reference method names; diffusers PNDMScheduler config). */
export const pndmOptions = z.strictObject({
  ...baseShape,
  method: z
    .enum(['f-pndm', 's-pndm', 'plms'])
    .default('f-pndm')
    .describe(
      "'f-pndm': pseudo Runge–Kutta (RK4) for the first 3 steps then pseudo AB4 (reference F-PNDM = diffusers skip_prk_steps=false, the class default); 's-pndm': pseudo improved Euler then pseudo AB2 (reference S-PNDM); 'plms': Heun first step then AB2, AB3, AB4 (diffusers skip_prk_steps=true, SD configs).",
    ),
  setAlphaToOne: z
    .boolean()
    .default(false)
    .describe('Final step targets ᾱ = 1 (true) or ᾱ_0 (false, diffusers PNDM default).'),
  alphaIndexing: z
    .enum(['diffusers', 'reference'])
    .default('diffusers')
    .describe(
      "Which ᾱ the transfer reads for a model time t: 'diffusers' ᾱ[t] with the final target ᾱ = 1 or ᾱ_0 (setAlphaToOne); 'reference' luping-liu/PNDM's `alphas_cump[t.long() + 1]` (ᾱ at t + 1, the final target t = -1 reads ᾱ_0, F-PNDM midpoints (t + t')/2 truncated toward zero). 'reference' is for S-PNDM / F-PNDM with setAlphaToOne false and timesteps <= Ntrain - 2.",
    ),
});
export type PndmOptions = z.input<typeof pndmOptions>;
const pndmDefaults = pndmOptions.parse({});

/**
 * The PNDM transfer φ(x, t → t', ε) on the data manifold, in diffusers' stable form
 * `x' = √(a'/a)·x - (a' - a)·ε / (a√(1-a') + √(a(1-a)a'))`, a = ᾱ_t, a' = ᾱ_t' (equal to a DDIM step).
 */
export function pndmTransfer(
  x: Vec,
  from: NoiseLevel,
  to: NoiseLevel,
  epsilon: Vec,
  out: Float64Array,
): Float64Array {
  const a = from.alpha * from.alpha;
  const aNext = to.alpha * to.alpha;
  const sampleCoefficient = Math.sqrt(aNext / a);
  const denominator = a * Math.sqrt(1 - aNext) + Math.sqrt(a * (1 - a) * aNext);
  const epsilonCoefficient = (aNext - a) / denominator;
  for (let i = 0; i < out.length; i++) out[i] = sampleCoefficient * x[i] - epsilonCoefficient * epsilon[i];
  return out;
}

/**
 * The level the PNDM reference's transfer reads for model time t: `alphas_cump[t.long() + 1]` (truncation
 * toward zero, as torch's `.long()`), so t = -1 reads ᾱ_0 and t = -0.5 reads ᾱ_1.
 */
export function referenceTransferLevel(alphasCumprod: Float64Array, time: number): NoiseLevel {
  return levelFromAlphaBar(time, alphasCumprod[Math.trunc(time) + 1]);
}

/** PNDM state: the ε history (newest last) and work buffers. */
export interface PndmState extends GridState {
  /** The levels the transfer reads at each grid point (the grid itself, or ᾱ[t + 1] with reference indexing). */
  readonly transferPoints: NoiseLevel[];
  readonly history: Float64Array[];
  /** The buffer the next ε is evaluated into before it joins the history. */
  spare: Float64Array;
  readonly combined: Float64Array;
  readonly work: [Float64Array, Float64Array, Float64Array];
  /** Model time of the RK midpoint offset (Ntrain//N//2), diffusers' PRK rule. */
  readonly halfStep: number;
}

function* epsilonAt(
  model: { readonly prediction: PredictionType },
  x: Vec,
  batch: number,
  level: NoiseLevel,
  out: Float64Array,
): Generator<EvaluationRequest, Float64Array, void> {
  yield* evaluate(x, batch, level, out);
  if (model.prediction !== 'epsilon') convertPrediction(model.prediction, 'epsilon', x, out, level, out);
  return out;
}

/**
 * Pseudo numerical methods for diffusion models (Liu, Ren, Lin & Zhao, "Pseudo Numerical Methods for
 * Diffusion Models on Manifolds", arXiv 2202.09778; reference luping-liu/PNDM runner/method.py and
 * diffusers PNDMScheduler). Every update is the transfer φ applied with a combined ε':
 * F-PNDM: RK4 `(e1 + 2e2 + 2e3 + e4)/6` with midpoints at t - (Ntrain//N)//2 for 3 steps (e1 kept),
 * then AB4 `(55e_k - 59e_{k-1} + 37e_{k-2} - 9e_{k-3})/24` (NFE = N + 9); S-PNDM: improved Euler
 * `(e1 + e2)/2`, then AB2 `(3e_k - e_{k-1})/2` (NFE = N + 1); PLMS: Heun, AB2, AB3
 * `(23e_k - 16e_{k-1} + 5e_{k-2})/12`, then AB4 (NFE = N + 1).
 *
 * @remarks By default ᾱ is read at the model's timestep with `final_alpha_cumprod` for the last target
 * (diffusers' convention). `alphaIndexing: 'reference'` reproduces luping-liu/PNDM exactly: its transfer
 * reads `alphas_cump[t + 1]` (no prepended 1), so the model is called at t while ᾱ is read one index later
 * and the final target t = -1 uses ᾱ_0 = 1 - β_0; F-PNDM's midpoints are (t + t')/2 as the reference. The
 * model still receives the level of its own time t (ᾱ[⌊t⌋], what a network trained with ᾱ[t] sees at input
 * t), so on an exact mixture the two indexings differ by the reference's one-index mismatch; for a model
 * that reads only `level.time` the trajectory equals the reference's (checked to 1e-12 against a numpy
 * transcription). Non-ε models are converted to ε at each evaluation point (diffusers converts the
 * combined v with the current sample instead). F-PNDM's Runge–Kutta midpoints are t - (Ntrain//N)//2, where
 * diffusers' `step_prk` transfers to; with 'linspace' spacing diffusers' `PNDMScheduler.timesteps` evaluates
 * the model at t_next + (Ntrain//N)//2 instead (the two coincide when the grid gap is Ntrain//N, as for
 * 'leading' and 'trailing'), so our scheduler form lists the transfer's midpoints there. The last step of the leading/uniform grid spans one
 * training index (0 → -1), which the multistep formula treats as a full step: it leaves a small
 * first-order floor at high step counts, as in the reference.
 */
export function pndm(input: PndmOptions = {}): Sampler<PndmState> {
  const id = 'diffusion/pndm';
  const options = parseOptions(id, pndmOptions, input);
  rejectIneffectiveDiscrete(id, options, pndmDefaults);
  const reference = options.alphaIndexing === 'reference';
  if (reference && options.method === 'plms') {
    invalidArgument(
      id,
      'alphaIndexing',
      'reference',
      "`alphaIndexing: 'reference'`: the PNDM reference has S-PNDM and F-PNDM only; use method 's-pndm' or 'f-pndm', or alphaIndexing 'diffusers' for PLMS",
    );
  }
  if (reference && options.setAlphaToOne) {
    invalidArgument(
      id,
      'setAlphaToOne',
      true,
      "`setAlphaToOne` has no effect with alphaIndexing 'reference' (the final target reads ᾱ_0 as the reference does); leave it false",
    );
  }
  const baseGrid = alphaToOneGrid(id, options);
  const grid = (schedule: NoiseSchedule): NoiseLevel[] => {
    const points = baseGrid(schedule);
    if (reference) {
      const limit = schedule.numTrainTimesteps - 2;
      const tooLarge = points.find((p) => p.time > limit);
      if (tooLarge) {
        invalidArgument(
          id,
          'timesteps',
          tooLarge.time,
          `\`timesteps\`: alphaIndexing 'reference' reads ᾱ[t + 1], so timesteps must be <= ${limit}; use 'leading' spacing (the reference's range(0, ${schedule.numTrainTimesteps}, ${schedule.numTrainTimesteps}//N)) or custom timesteps`,
        );
      }
    }
    return points;
  };
  const finish = (x: Vec, state: PndmState, e1: Float64Array, warmUp: boolean) =>
    pndmFinish(options.method, x, state, e1, warmUp);
  return makeSampler<PndmState>({
    id,
    grid,
    init(x0, problem, points, base) {
      const n = x0.length;
      const steps = points.length - 1;
      const bar = problem.schedule.alphasCumprod as Float64Array;
      return {
        ...base,
        transferPoints: reference ? points.map((p) => referenceTransferLevel(bar, p.time)) : points,
        history: [],
        spare: new Float64Array(n),
        combined: new Float64Array(n),
        work: [new Float64Array(n), new Float64Array(n), new Float64Array(n)],
        halfStep: Math.floor(Math.floor(problem.schedule.numTrainTimesteps / steps) / 2),
      };
    },
    *program(x, state, { model, batch, schedule }) {
      const current = state.points[state.index];
      const target = state.points[state.index + 1];
      const from = state.transferPoints[state.index];
      const to = state.transferPoints[state.index + 1];
      const { history, combined, work } = state;
      const method = options.method;
      const warmUp = method === 'f-pndm' ? history.length < 3 : history.length === 0;
      // evaluated into the spare buffer; the history takes it only after the step's evaluations succeeded
      const e1 = yield* epsilonAt(model, x, batch, current, state.spare);
      state.nfe++;
      if (warmUp && method === 'f-pndm') {
        const bar = schedule.alphasCumprod as Float64Array;
        // diffusers' PRK midpoint t - (N_train//N)//2 on its uniform grids; for a custom (possibly non-uniform)
        // timestep list and for the reference indexing the reference's (t + t')/2, with the model's ᾱ read at
        // its floor
        const exactMid = options.timesteps !== undefined || reference;
        const midTime = exactMid
          ? (current.time + target.time) / 2
          : Math.max(0, current.time - state.halfStep);
        const mid = exactMid
          ? { ...discreteLevel(bar, Math.floor(midTime), target.alpha * target.alpha), time: midTime }
          : discreteLevel(bar, midTime, bar[0]);
        const midTransfer = reference ? referenceTransferLevel(bar, midTime) : mid;
        const [x2, e, acc] = work;
        addDividedInto(acc, null, e1, 6);
        pndmTransfer(x, from, midTransfer, e1, x2);
        yield* epsilonAt(model, x2, batch, mid, e);
        addDividedInto(acc, acc, e, 3);
        pndmTransfer(x, from, midTransfer, e, x2);
        yield* epsilonAt(model, x2, batch, mid, e);
        addDividedInto(acc, acc, e, 3);
        pndmTransfer(x, from, to, e, x2);
        yield* epsilonAt(model, x2, batch, target, e);
        addDividedInto(combined, acc, e, 6);
        state.nfe += 3;
      } else if (warmUp) {
        const [x2, e2] = work;
        pndmTransfer(x, from, to, e1, x2);
        yield* epsilonAt(model, x2, batch, target, e2);
        state.nfe++;
        averageInto(combined, e1, e2);
      }
      return finish(x, state, e1, warmUp);
    },
  });
}

/** The end of a PNDM step after its evaluations (a plain function: no loops in generator bodies). */
function pndmFinish(
  method: 'f-pndm' | 's-pndm' | 'plms',
  x: Vec,
  state: PndmState,
  e1: Float64Array,
  warmUp: boolean,
): StepResult<PndmState> {
  const { history, combined } = state;
  const n = x.length;
  const current = state.points[state.index];
  const target = state.points[state.index + 1];
  state.spare = history.length >= 4 ? (history.shift() as Float64Array) : new Float64Array(n);
  history.push(e1);
  if (!warmUp) {
    const k = history.length;
    const e0 = history[k - 1];
    const em1 = history[k - 2];
    if (method === 's-pndm' || k === 2) {
      for (let i = 0; i < n; i++) combined[i] = (3 * e0[i] - em1[i]) / 2;
    } else if (k === 3) {
      const em2 = history[k - 3];
      for (let i = 0; i < n; i++) combined[i] = (23 * e0[i] - 16 * em1[i] + 5 * em2[i]) / 12;
    } else {
      const em2 = history[k - 3];
      const em3 = history[k - 4];
      for (let i = 0; i < n; i++) combined[i] = (55 * e0[i] - 59 * em1[i] + 37 * em2[i] - 9 * em3[i]) / 24;
    }
  }
  const next = nextBuffer(state, x);
  pndmTransfer(x, state.transferPoints[state.index], state.transferPoints[state.index + 1], combined, next);
  return advance(state, next, { timestep: current.time, previousTimestep: target.time });
}

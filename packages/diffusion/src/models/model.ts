import { invalidArgument, type Vec } from '@argmin/core';
import type { NoiseLevel } from '../schedules/schedule';

/** What a denoiser predicts: the noise ε, the clean sample x0 ('sample'), or the velocity v = αε - σx0. */
export type PredictionType = 'epsilon' | 'sample' | 'v';

const predictionTypes: readonly PredictionType[] = ['epsilon', 'sample', 'v'];

/** Throws a named error unless `value` is a prediction type. */
export function assertPredictionType(where: string, value: unknown): asserts value is PredictionType {
  if (!predictionTypes.includes(value as PredictionType)) {
    invalidArgument(
      where,
      'prediction',
      value,
      "must be 'epsilon', 'sample' or 'v' (diffusers' 'v_prediction' is 'v')",
    );
  }
}

/**
 * A denoiser evaluated on a batch `[batch, dimension]` stored row-major in one Float64Array at a
 * single noise level. One `predict` call on a batch is one NFE.
 */
export interface DenoiserModel {
  readonly dimension: number;
  readonly prediction: PredictionType;
  /** Writes the prediction for every row of `x` into `out` (length batch·dimension) and returns `out`. */
  predict(x: Vec, batch: number, level: NoiseLevel, out: Vec): Vec;
}

/**
 * A denoiser whose `predict` may return a Promise (a network run by onnxruntime-web, tfjs or WebGPU). It
 * either fills `out` or resolves to an array of the same length (copied into `out`). Every sampler takes
 * one through `sampleAsync`; synchronous `DenoiserModel`s are `AsyncDenoiserModel`s too.
 */
export interface AsyncDenoiserModel {
  readonly dimension: number;
  readonly prediction: PredictionType;
  predict(x: Vec, batch: number, level: NoiseLevel, out: Vec): Vec | PromiseLike<Vec>;
}

/**
 * Converts a prediction between types at one noise level (`x0 = (x - σε)/α`, `ε = (x - αx0)/σ`,
 * `v = αε - σx0`, `x0 = αx - σv`, `ε = αv + σx`). Writes into `out` (may alias `output`).
 */
export function convertPrediction(
  from: PredictionType,
  to: PredictionType,
  x: Vec,
  output: Vec,
  level: NoiseLevel,
  out: Vec,
): Vec {
  const { alpha: a, sigma: s } = level;
  const n = out.length;
  if (from === to) {
    if (out !== output) out.set(output);
    return out;
  }
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const o = output[i];
    let eps: number;
    let x0: number;
    if (from === 'epsilon') {
      eps = o;
      x0 = (xi - s * o) / a;
    } else if (from === 'sample') {
      x0 = o;
      eps = (xi - a * o) / s;
    } else {
      x0 = a * xi - s * o;
      eps = a * o + s * xi;
    }
    out[i] = to === 'epsilon' ? eps : to === 'sample' ? x0 : a * eps - s * x0;
  }
  return out;
}

/** A model that answers in another prediction type (conversion at the evaluation point). */
export function asPrediction(model: DenoiserModel, prediction: PredictionType): DenoiserModel {
  assertPredictionType('asPrediction', prediction);
  if (model.prediction === prediction) return model;
  return {
    dimension: model.dimension,
    prediction,
    predict(x, batch, level, out) {
      model.predict(x, batch, level, out);
      return convertPrediction(model.prediction, prediction, x, out, level, out);
    },
  };
}

/** A model that counts its calls (NFE: one call per batch evaluation). */
export interface CountedModel extends DenoiserModel {
  readonly calls: number;
  /** Every noise level the model was called at, in order (for spies in tests). */
  readonly levels: readonly NoiseLevel[];
  reset(): void;
}

/** Wraps a model to count NFE and record the levels it is called at. */
export function countCalls(model: DenoiserModel): CountedModel {
  const levels: NoiseLevel[] = [];
  return {
    dimension: model.dimension,
    prediction: model.prediction,
    get calls() {
      return levels.length;
    },
    levels,
    reset() {
      levels.length = 0;
    },
    predict(x, batch, level, out) {
      levels.push(level);
      return model.predict(x, batch, level, out);
    },
  };
}

/**
 * A deliberately biased model for exposure-bias tests: the ε prediction is scaled by
 * `1 + epsilonScale` (ε under- or over-predicted) and optionally evaluated at a shifted time level
 * `timeOffset` in λ. The wrapped model's prediction type is kept.
 */
export function biasedModel(
  model: DenoiserModel,
  options: { epsilonScale?: number; lambdaOffset?: number } = {},
): DenoiserModel {
  const scale = 1 + (options.epsilonScale ?? 0);
  const offset = options.lambdaOffset ?? 0;
  let scratch = new Float64Array(0);
  return {
    dimension: model.dimension,
    prediction: model.prediction,
    predict(x, batch, level, out) {
      let evalLevel = level;
      if (offset !== 0) {
        const lambda = level.lambda + offset;
        const alpha = Math.sqrt(1 / (1 + Math.exp(-2 * lambda)));
        const sigma = Math.sqrt(1 / (1 + Math.exp(2 * lambda)));
        evalLevel = { time: level.time, alpha, sigma, lambda };
      }
      if (scratch.length !== out.length) scratch = new Float64Array(out.length);
      model.predict(x, batch, evalLevel, scratch);
      convertPrediction(model.prediction, 'epsilon', x, scratch, evalLevel, scratch);
      for (let i = 0; i < out.length; i++) scratch[i] *= scale;
      return convertPrediction('epsilon', model.prediction, x, scratch, level, out);
    },
  };
}

/**
 * Classifier-free guidance (Ho & Salimans): `ε = ε_u + w·(ε_c - ε_u)` with w = `guidanceScale`
 * (w = 1 is the conditional model). Both models are converted to ε first; the result is an
 * ε-prediction model. Counts as 2 model calls per evaluation in the wrapped models.
 */
export function classifierFreeGuidance(
  unconditional: DenoiserModel,
  conditional: DenoiserModel,
  guidanceScale: number,
): DenoiserModel {
  if (unconditional.dimension !== conditional.dimension) {
    invalidArgument(
      'classifierFreeGuidance',
      'conditional.dimension',
      conditional.dimension,
      `must equal the unconditional model's dimension ${unconditional.dimension}`,
    );
  }
  if (!Number.isFinite(guidanceScale))
    invalidArgument('classifierFreeGuidance', 'guidanceScale', guidanceScale, 'must be finite');
  let buffer = new Float64Array(0);
  return {
    dimension: unconditional.dimension,
    prediction: 'epsilon',
    predict(x, batch, level, out) {
      if (buffer.length !== out.length) buffer = new Float64Array(out.length);
      unconditional.predict(x, batch, level, out);
      convertPrediction(unconditional.prediction, 'epsilon', x, out, level, out);
      conditional.predict(x, batch, level, buffer);
      convertPrediction(conditional.prediction, 'epsilon', x, buffer, level, buffer);
      for (let i = 0; i < out.length; i++) out[i] += guidanceScale * (buffer[i] - out[i]);
      return out;
    },
  };
}

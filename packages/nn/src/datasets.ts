import { assertAllocation, assertInteger, assertPositive, type Rng } from '@argmin/core';
import type { Dataset } from './oracle';

/**
 * Two interleaved spirals (Lang & Witbrock, 1988), a classic hard case for small MLPs:
 * class c ∈ {0, 1}, t ~ U(0.25, 1) · turns · 2π, x = t/(2π·turns)·(cos(t + cπ), sin(t + cπ)) + noise.
 * Targets are class labels (for 'cross-entropy').
 */
export function twoSpirals(
  samplesPerClass: number,
  { turns = 1.5, noise = 0.02, rng }: { turns?: number; noise?: number; rng: Rng },
): Dataset {
  assertInteger('nn/twoSpirals', 'samplesPerClass', samplesPerClass, 1);
  assertPositive('nn/twoSpirals', 'noise', noise, true);
  assertAllocation('nn/twoSpirals', `${2 * samplesPerClass} points`, 6 * samplesPerClass);
  const n = 2 * samplesPerClass;
  const inputs = new Float64Array(n * 2);
  const targets = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const t = (0.25 + 0.75 * rng.uniform()) * turns * 2 * Math.PI;
    const r = t / (2 * Math.PI * turns);
    inputs[2 * i] = r * Math.cos(t + c * Math.PI) + noise * rng.normal();
    inputs[2 * i + 1] = r * Math.sin(t + c * Math.PI) + noise * rng.normal();
    targets[i] = c;
  }
  return { inputs: { rows: n, cols: 2, data: inputs }, targets };
}

/** k Gaussian clusters in d dimensions with centers ~ N(0, spread²) and unit-variance points; labels 0..k−1. */
export function gaussianClusters(
  samples: number,
  {
    classes = 3,
    dimension = 2,
    spread = 4,
    rng,
  }: { classes?: number; dimension?: number; spread?: number; rng: Rng },
): Dataset {
  assertInteger('nn/gaussianClusters', 'samples', samples, 1);
  assertInteger('nn/gaussianClusters', 'classes', classes, 2);
  assertInteger('nn/gaussianClusters', 'dimension', dimension, 1);
  assertPositive('nn/gaussianClusters', 'spread', spread, true);
  assertAllocation(
    'nn/gaussianClusters',
    `a ${samples} x ${dimension} data matrix`,
    (samples + classes) * dimension,
  );
  const centers = rng.fillNormal(new Float64Array(classes * dimension), 0, spread);
  const inputs = new Float64Array(samples * dimension);
  const targets = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const c = i % classes;
    targets[i] = c;
    for (let j = 0; j < dimension; j++) inputs[i * dimension + j] = centers[c * dimension + j] + rng.normal();
  }
  return { inputs: { rows: samples, cols: dimension, data: inputs }, targets };
}

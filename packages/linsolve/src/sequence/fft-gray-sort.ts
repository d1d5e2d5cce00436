import { denseMatrix, InvalidArgumentError, symmetricEigen, type Vec } from '@argmin/core';
import { invalidGrid } from '../validate';

/** Options of `fftGraySort` (SKR code's `seq_generator`). */
export interface FftGraySortOptions {
  /** Side of the centred low-frequency block kept after fft2 + fftshift (`prm_freq`, default 12). */
  readonly frequencies?: number;
  /** PCA dimensions, one Gray-code bit each (`dim_pca`, default 7). */
  readonly dimensions?: number;
}

/**
 * SKR's cheaper sorter (`seq_generator` in the reference code): for each parameter field (s × s),
 * take the centred `frequencies`² block of fftshift(fft2(P)) (frequencies −f/2 … f/2 − 1 per axis),
 * concatenate real and imaginary parts, reduce to `dimensions` principal components, min–max
 * normalize each, assign each system the orthant cell of bits (coordinate > ½), and visit the cells
 * in reflected-Gray-code order (systems inside a cell keep their input order). Deterministic.
 */
export function fftGraySort(
  parameters: readonly Vec[],
  shape: readonly [number, number],
  { frequencies = 12, dimensions = 7 }: FftGraySortOptions = {},
): number[] {
  const where = 'linsolve/fftGraySort';
  const [rows, cols] = shape;
  const count = parameters.length;
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows < 1 || cols < 1)
    invalidGrid(where, rows, cols);
  if (!Number.isSafeInteger(frequencies) || frequencies < 1) {
    throw new InvalidArgumentError({
      argument: 'frequencies',
      value: frequencies,
      message: `${where}: \`frequencies\` (side of the kept low-frequency block) must be a positive integer; got ${frequencies}.`,
    });
  }
  if (!Number.isSafeInteger(dimensions) || dimensions < 1 || dimensions > 30) {
    throw new InvalidArgumentError({
      argument: 'dimensions',
      value: dimensions,
      message: `${where}: \`dimensions\` (PCA dimensions, one Gray-code bit each) must be an integer in [1, 30]; got ${dimensions}.`,
    });
  }
  for (const p of parameters) {
    if (!(p instanceof Float64Array) || p.length !== rows * cols) {
      throw new InvalidArgumentError({
        argument: 'parameters',
        value: p.length,
        message: `linsolve/fftGraySort: every parameter field must have ${rows} x ${cols} = ${rows * cols} entries; got ${p?.length}.`,
      });
    }
  }
  if (count <= 1) return parameters.map((_, i) => i);
  const f = Math.min(frequencies, rows, cols);
  const low = -Math.floor(f / 2);
  const featureCount = 2 * f * f;
  const features = new Float64Array(count * featureCount);
  // separable DFT restricted to the kept frequencies: F[k1, k2] = Σ_i e^{-2πi k1 i/rows} Σ_j P[i, j] e^{-2πi k2 j/cols}
  const partialRe = new Float64Array(rows * f);
  const partialIm = new Float64Array(rows * f);
  for (let s = 0; s < count; s++) {
    const P = parameters[s];
    for (let i = 0; i < rows; i++)
      for (let b = 0; b < f; b++) {
        const k2 = low + b;
        let re = 0;
        let im = 0;
        for (let j = 0; j < cols; j++) {
          const angle = (-2 * Math.PI * k2 * j) / cols;
          re += P[i * cols + j] * Math.cos(angle);
          im += P[i * cols + j] * Math.sin(angle);
        }
        partialRe[i * f + b] = re;
        partialIm[i * f + b] = im;
      }
    for (let a = 0; a < f; a++) {
      const k1 = low + a;
      for (let b = 0; b < f; b++) {
        let re = 0;
        let im = 0;
        for (let i = 0; i < rows; i++) {
          const angle = (-2 * Math.PI * k1 * i) / rows;
          const c = Math.cos(angle);
          const sn = Math.sin(angle);
          re += c * partialRe[i * f + b] - sn * partialIm[i * f + b];
          im += c * partialIm[i * f + b] + sn * partialRe[i * f + b];
        }
        features[s * featureCount + a * f + b] = re;
        features[s * featureCount + f * f + a * f + b] = im;
      }
    }
  }
  // PCA via the N×N Gram matrix of centred features
  for (let d = 0; d < featureCount; d++) {
    let mean = 0;
    for (let s = 0; s < count; s++) mean += features[s * featureCount + d];
    mean /= count;
    for (let s = 0; s < count; s++) features[s * featureCount + d] -= mean;
  }
  const gram = new Float64Array(count * count);
  for (let a = 0; a < count; a++)
    for (let b = a; b < count; b++) {
      let g = 0;
      for (let d = 0; d < featureCount; d++)
        g += features[a * featureCount + d] * features[b * featureCount + d];
      gram[a * count + b] = g;
      gram[b * count + a] = g;
    }
  const { values, vectors } = symmetricEigen(denseMatrix(count, count, gram));
  const order = Array.from(values, (_, i) => i).sort((x, y) => values[y] - values[x]);
  const dims = Math.min(dimensions, count);
  const cells = new Array<number>(count).fill(0);
  for (let d = 0; d < dims; d++) {
    const column = order[d];
    const scores = Array.from(
      { length: count },
      (_, s) => vectors.data[s * count + column] * Math.sqrt(Math.max(values[column], 0)),
    );
    const min = Math.min(...scores);
    const max = Math.max(...scores);
    for (let s = 0; s < count; s++) {
      const normalized = max > min ? (scores[s] - min) / (max - min) : 0;
      if (normalized > 0.5) cells[s] |= 1 << d;
    }
  }
  // rank of each cell in the reflected Gray-code sequence g(i) = i ^ (i >> 1): inverse Gray code
  const grayRank = (cell: number): number => {
    let rank = cell;
    for (let shift = cell >> 1; shift > 0; shift >>= 1) rank ^= shift;
    return rank;
  };
  return parameters.map((_, i) => i).sort((a, b) => grayRank(cells[a]) - grayRank(cells[b]) || a - b);
}

import { createRng } from '@argmin/core';
import { type GaussianMixtureModel, gaussianMixture } from '../models/gaussian-mixture';

/** The 8-mode 2-D ring: means on the unit circle, isotropic std τ = 0.1, equal weights (notes §0.5). */
export function ringMixture(modes = 8, std = 0.1): GaussianMixtureModel {
  return gaussianMixture({
    weights: Array(modes).fill(1 / modes),
    means: Array.from({ length: modes }, (_, k) => [
      Math.cos((2 * Math.PI * k) / modes),
      Math.sin((2 * Math.PI * k) / modes),
    ]),
    covariances: Array(modes).fill(std * std),
  });
}

/**
 * A d-dimensional mixture with `modes` components: means with i.i.d. N(0, scale²) coordinates (seeded),
 * diagonal covariances with standard deviations uniform in [stdLow, stdHigh], equal weights.
 */
export function randomMixture(
  dimension: number,
  modes: number,
  seed: number,
  options: { scale?: number; stdLow?: number; stdHigh?: number } = {},
): GaussianMixtureModel {
  const rng = createRng(seed);
  const scale = options.scale ?? 0.5;
  const low = options.stdLow ?? 0.1;
  const high = options.stdHigh ?? 0.3;
  const means: Float64Array[] = [];
  const covariances: Float64Array[] = [];
  for (let k = 0; k < modes; k++) {
    means.push(rng.fillNormal(new Float64Array(dimension)).map((v) => v * scale));
    covariances.push(
      Float64Array.from({ length: dimension }, () => (low + (high - low) * rng.uniform()) ** 2),
    );
  }
  return gaussianMixture({ weights: Array(modes).fill(1 / modes), means, covariances });
}

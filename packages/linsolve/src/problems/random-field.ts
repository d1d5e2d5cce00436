import { assertAllocation, InvalidArgumentError, type Rng, type Vec } from '@argmin/core';
import { invalidGrid } from '../validate';

/**
 * Gaussian random field on an s-by-s grid of the unit square with covariance
 * σ²(−Δ + τ²I)^(−α) and Neumann boundary (the FNO / SKR Darcy generator, `GRF(alpha=2.5, tau=7)`):
 * u(x, y) = Σ_{k1,k2} ξ_{k1k2} √λ_{k1k2} cos(π k1 x) cos(π k2 y), with
 * λ = τ^(2α−2) (π²(k1² + k2²) + τ²)^(−α), ξ ~ N(0, 1) from the seeded Rng, the constant mode dropped,
 * truncated to `modes` frequencies per axis. Grid points are cell centres (i + ½)/s.
 */
export function gaussianRandomField(
  size: number,
  rng: Rng,
  { alpha = 2.5, tau = 7, modes = 16 }: { alpha?: number; tau?: number; modes?: number } = {},
): Vec {
  const where = 'linsolve/gaussianRandomField';
  if (!Number.isSafeInteger(size) || size < 1) invalidGrid(where, size, size);
  if (
    !(
      Number.isFinite(alpha) &&
      alpha > 0 &&
      Number.isFinite(tau) &&
      tau > 0 &&
      Number.isSafeInteger(modes) &&
      modes >= 1
    )
  ) {
    throw new InvalidArgumentError({
      argument: 'alpha/tau/modes',
      value: [alpha, tau, modes],
      message: `${where}: \`alpha\` and \`tau\` must be finite positive numbers and \`modes\` a positive integer; got alpha = ${alpha}, tau = ${tau}, modes = ${modes}.`,
    });
  }
  assertAllocation(where, `a ${size} x ${size} field`, size * size + 2 * Math.min(modes, size) * size);
  const K = Math.min(modes, size);
  const cosines = new Float64Array(K * size);
  for (let k = 0; k < K; k++)
    for (let i = 0; i < size; i++) cosines[k * size + i] = Math.cos((Math.PI * k * (i + 0.5)) / size);
  const coefficients = new Float64Array(K * K);
  const scale = tau ** (2 * alpha - 2);
  for (let k1 = 0; k1 < K; k1++)
    for (let k2 = 0; k2 < K; k2++) {
      const xi = rng.normal();
      if (k1 === 0 && k2 === 0) continue;
      const lambda = scale * (Math.PI ** 2 * (k1 * k1 + k2 * k2) + tau * tau) ** -alpha;
      coefficients[k1 * K + k2] =
        xi * Math.sqrt(lambda) * (k1 > 0 ? Math.SQRT2 : 1) * (k2 > 0 ? Math.SQRT2 : 1);
    }
  // separable evaluation: partial[k1, j] = Σ_k2 c[k1, k2] cos(k2, j); field[i, j] = Σ_k1 cos(k1, i) partial[k1, j]
  const partial = new Float64Array(K * size);
  for (let k1 = 0; k1 < K; k1++)
    for (let k2 = 0; k2 < K; k2++) {
      const c = coefficients[k1 * K + k2];
      if (c === 0) continue;
      for (let j = 0; j < size; j++) partial[k1 * size + j] += c * cosines[k2 * size + j];
    }
  const field = new Float64Array(size * size);
  for (let i = 0; i < size; i++)
    for (let k1 = 0; k1 < K; k1++) {
      const c = cosines[k1 * size + i];
      for (let j = 0; j < size; j++) field[i * size + j] += c * partial[k1 * size + j];
    }
  return field;
}

/** Gamma(shape, 1) by Marsaglia–Tsang (shape < 1 via the u^(1/shape) boost), from the seeded Rng. */
export function sampleGamma(rng: Rng, shape: number): number {
  if (shape < 1) return sampleGamma(rng, shape + 1) * rng.uniform() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) as G_a / (G_a + G_b). */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  return x / (x + y);
}

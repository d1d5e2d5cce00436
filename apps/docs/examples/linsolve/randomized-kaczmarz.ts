// Randomized Kaczmarz: row projections sampled with probability ∝ ‖a_i‖², on a consistent tall system.
import { createRng, denseMatrix, gemv } from '@argmin/core';
import { randomizedKaczmarz } from '@argmin/linsolve';

const rng = createRng(0);
const A = denseMatrix(
  200,
  10,
  Float64Array.from({ length: 2000 }, () => rng.normal()),
);
const b = gemv(
  A,
  Float64Array.from({ length: 10 }, (_, j) => j / 10),
  new Float64Array(200),
);
export const result = randomizedKaczmarz(A, b, createRng(1), { rtol: 1e-8 });
console.log(result.status, result.matvecEquivalents, result.x[9]); // x[9] ≈ 0.9

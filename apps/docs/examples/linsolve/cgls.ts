// CGLS (CG on the normal equations) on a consistent tall system A x = b, 200 equations and 10 unknowns.
import { createRng, denseMatrix, gemv } from '@argmin/core';
import { cgls } from '@argmin/linsolve';

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
export const result = cgls(A, b, { rtol: 1e-10 });
console.log(result.status, result.iterations, result.x[9]); // x[9] ≈ 0.9

// Least squares and randomized solvers on a tall system A x ≈ b (300 equations, 20 unknowns).
import { createRng, denseMatrix, gemv } from '@argmin/core';
import { cgls, lsqr, randomizedKaczmarz, sketchAndProject, sketchPreconditionedLsqr } from '../src/index';

const rng = createRng(0);
const A = denseMatrix(
  300,
  20,
  Float64Array.from({ length: 6000 }, () => rng.normal()),
);
const truth = Float64Array.from({ length: 20 }, (_, j) => j / 20);
const b = gemv(A, truth, new Float64Array(300)); // consistent: A truth = b

// LSQR (scipy's lsqr): stopReason is scipy's istop, iterations its itn
const ls = lsqr(A, b, { atol: 1e-10, btol: 1e-10 });
// CGLS: CG on the normal equations, the same Krylov iterates in exact arithmetic
const normal = cgls(A, b, { rtol: 1e-10 });
// randomized Kaczmarz and block Kaczmarz: row projections, work counted in products with A
const kaczmarz = randomizedKaczmarz(A, b, createRng(1), { rtol: 1e-8 });
const block = sketchAndProject(A, b, createRng(1), { rtol: 1e-8, blockSize: 10 });
// sketch-and-precondition: LSQR on A R^-1 with R from a QR of a Gaussian sketch S A
const preconditioned = sketchPreconditionedLsqr(A, b, createRng(2), { atol: 1e-10, btol: 1e-10 });

for (const [name, result] of [
  ['lsqr', ls],
  ['cgls', normal],
  ['sketchPreconditionedLsqr', preconditioned],
] as const)
  console.log(name, result.status, result.iterations, result.x[19].toFixed(6));
console.log(
  'randomizedKaczmarz',
  kaczmarz.status,
  kaczmarz.matvecEquivalents.toFixed(1),
  kaczmarz.x[19].toFixed(6),
);
console.log('sketchAndProject', block.status, block.matvecEquivalents.toFixed(1), block.x[19].toFixed(6));

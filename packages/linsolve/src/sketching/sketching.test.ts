import {
  ArgminError,
  createRng,
  type DenseMatrix,
  denseMatrix,
  gemv,
  InvalidOptionsError,
  qr,
  type Rng,
  svd,
} from '@argmin/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cgls } from '../least-squares/cgls';
import { lsqr } from '../least-squares/lsqr';
import { maxAbsDifference, norm } from '../test-helpers';
import { randomizedKaczmarz, sketchAndProject, sketchPreconditionedLsqr } from './sketching';

function gaussianMatrix(rng: Rng, rows: number, cols: number): DenseMatrix {
  return denseMatrix(
    rows,
    cols,
    Float64Array.from({ length: rows * cols }, () => rng.normal()),
  );
}

/** A consistent system A x* = b with a random x*. */
function consistent(seed: number, rows: number, cols: number) {
  const rng = createRng(seed);
  const A = gaussianMatrix(rng, rows, cols);
  const solution = Float64Array.from({ length: cols }, () => rng.normal());
  return { A, solution, b: gemv(A, solution, new Float64Array(rows)) };
}

describe('sketching solvers converge on random consistent systems', () => {
  it('randomized Kaczmarz (row-norm and uniform) and sketch-and-project (rows, gaussian, count) reach x*', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 25, max: 60 }),
        fc.integer({ min: 3, max: 12 }),
        (seed, rows, cols) => {
          const { A, solution, b } = consistent(seed, rows, cols);
          const runs = [
            randomizedKaczmarz(A, b, createRng(seed), { rtol: 1e-10 }),
            randomizedKaczmarz(A, b, createRng(seed), { rtol: 1e-10, sampling: 'uniform' }),
            sketchAndProject(A, b, createRng(seed), { rtol: 1e-10, blockSize: 4 }),
            sketchAndProject(A, b, createRng(seed), { rtol: 1e-10, blockSize: 4, sketch: 'gaussian' }),
            sketchAndProject(A, b, createRng(seed), { rtol: 1e-10, blockSize: 4, sketch: 'count' }),
          ];
          for (const result of runs) {
            expect(result.status).toBe('converged');
            expect(result.residualNorm).toBeLessThanOrEqual(1e-10 * norm(b));
            expect(maxAbsDifference(result.x, solution) / norm(solution)).toBeLessThan(1e-6);
          }
        },
      ),
      { seed: 21, numRuns: 12 },
    );
  });
  it("randomized Kaczmarz meets Strohmer & Vershynin's bound E||x_k - x*||^2 <= (1 - s_min^2/||A||_F^2)^k ||x*||^2", () => {
    const { A, solution, b } = consistent(5, 40, 8);
    const sigma = svd(A).singularValues;
    const sMin = Math.min(...sigma);
    let frobenius = 0;
    for (const v of A.data) frobenius += v * v;
    const rate = 1 - (sMin * sMin) / frobenius;
    for (const k of [20, 80, 200]) {
      let meanSquaredError = 0;
      const trials = 40;
      for (let t = 0; t < trials; t++) {
        const result = randomizedKaczmarz(A, b, createRng(100 + t), { maxIterations: k, rtol: 0 });
        let e = 0;
        for (let j = 0; j < 8; j++) e += (result.x[j] - solution[j]) ** 2;
        meanSquaredError += e / trials;
      }
      const bound = rate ** k * norm(solution) ** 2;
      expect(meanSquaredError, `k = ${k}`).toBeLessThanOrEqual(bound);
    }
  });
  it('on an underdetermined consistent system Kaczmarz from 0 converges to the minimum-norm solution (as LSQR)', () => {
    const rng = createRng(9);
    const A = gaussianMatrix(rng, 8, 20);
    const b = Float64Array.from({ length: 8 }, () => rng.normal());
    const reference = lsqr(A, b, { atol: 1e-14, btol: 1e-14 });
    const result = randomizedKaczmarz(A, b, createRng(1), { rtol: 1e-12 });
    expect(result.converged).toBe(true);
    expect(maxAbsDifference(result.x, reference.x) / norm(reference.x)).toBeLessThan(1e-8);
  });
  it('block Kaczmarz with every row in the block solves a square nonsingular system in one projection', () => {
    const { A, solution, b } = consistent(3, 12, 12);
    const result = sketchAndProject(A, b, createRng(0), { blockSize: 12, rtol: 1e-9, checkEvery: 1 });
    expect(result.iterations).toBe(1);
    expect(maxAbsDifference(result.x, solution) / norm(solution)).toBeLessThan(1e-8);
  });
  it('is deterministic for a seed, counts work in matvec equivalents, and traces one row per check', () => {
    const { A, b } = consistent(11, 30, 6);
    const first = randomizedKaczmarz(A, b, createRng(4), { rtol: 1e-8 });
    const second = randomizedKaczmarz(A, b, createRng(4), { rtol: 1e-8 });
    expect([...first.x]).toEqual([...second.x]);
    expect(first.iterations % 30 === 0 || first.converged).toBe(true);
    // dense rows: one projection costs 2 n / (m n) = 2/m matvecs, plus one per residual check
    const checks = first.trace.iteration.length - 1;
    expect(first.matvecEquivalents).toBeCloseTo((2 * first.iterations) / 30 + checks, 9);
    expect(first.trace.metrics.residualNorm.at(-1)).toBe(first.residualNorm);
  });
});

describe('sketch-and-precondition LSQR', () => {
  it('solves an ill-conditioned least-squares problem (cond ~1e6) in a few iterations where plain LSQR needs many', () => {
    const rng = createRng(12);
    const rows = 600;
    const cols = 20;
    const A = gaussianMatrix(rng, rows, cols);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) A.data[i * cols + j] *= 10 ** ((6 * j) / (cols - 1));
    const b = Float64Array.from({ length: rows }, () => rng.normal());
    // reference: x = R^-1 Q^T b from a dense QR of A
    const { q, r } = qr(A);
    const qtb = new Float64Array(cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) qtb[j] += q.data[i * cols + j] * b[i];
    const reference = new Float64Array(cols);
    for (let i = cols - 1; i >= 0; i--) {
      let t = qtb[i];
      for (let j = i + 1; j < cols; j++) t -= r.data[i * cols + j] * reference[j];
      reference[i] = t / r.data[i * cols + i];
    }
    const plain = lsqr(A, b, { atol: 1e-12, btol: 1e-12, conlim: 0, maxIterations: 2000 });
    for (const sketch of ['gaussian', 'count'] as const) {
      const result = sketchPreconditionedLsqr(A, b, createRng(3), {
        sketch,
        atol: 1e-12,
        btol: 1e-12,
        conlim: 0,
      });
      expect(result.converged, sketch).toBe(true);
      expect(result.sketchRows).toBe(80);
      expect(maxAbsDifference(result.x, reference) / norm(reference), sketch).toBeLessThan(1e-8);
      expect(result.iterations, sketch).toBeLessThan(60);
      expect(result.iterations, sketch).toBeLessThan(plain.iterations / 3);
    }
  });
  it('refuses a rank-deficient A with a failure status, and bad options with named errors', () => {
    const rng = createRng(2);
    const A = gaussianMatrix(rng, 50, 5);
    for (let i = 0; i < 50; i++) A.data[i * 5 + 4] = A.data[i * 5 + 3]; // two equal columns
    const result = sketchPreconditionedLsqr(A, new Float64Array(50).fill(1), createRng(0));
    expect(result.status).toBe('stalled');
    expect(result.x.every(Number.isFinite)).toBe(true);
    expect(() =>
      sketchPreconditionedLsqr(A, new Float64Array(50), createRng(0), { oversampling: 0.5 }),
    ).toThrow(InvalidOptionsError);
  });
});

describe('CGLS', () => {
  it('follows LSQR iterate for iterate on a well-conditioned least-squares problem (same Krylov minimizer)', () => {
    const rng = createRng(2);
    const A = gaussianMatrix(rng, 40, 10);
    const b = Float64Array.from({ length: 40 }, () => rng.normal());
    for (const k of [1, 3, 6, 10]) {
      const ours = cgls(A, b, { maxIterations: k, rtol: 0 });
      const reference = lsqr(A, b, { maxIterations: k, atol: 0, btol: 0, conlim: 0 });
      expect(ours.iterations).toBe(k);
      expect(maxAbsDifference(ours.x, reference.x) / norm(reference.x), `k = ${k}`).toBeLessThan(1e-9);
    }
  });
  it('damped CGLS solves (A^T A + damp^2 I) x = A^T b', () => {
    const rng = createRng(6);
    const A = gaussianMatrix(rng, 25, 7);
    const b = Float64Array.from({ length: 25 }, () => rng.normal());
    const damp = 0.7;
    const result = cgls(A, b, { damp, rtol: 1e-12 });
    expect(result.converged).toBe(true);
    // normal-equation residual recomputed from scratch
    const r = gemv(A, result.x, new Float64Array(25)).map((v, i) => b[i] - v);
    const g = new Float64Array(7);
    for (let j = 0; j < 7; j++) {
      let t = -damp * damp * result.x[j];
      for (let i = 0; i < 25; i++) t += A.data[i * 7 + j] * r[i];
      g[j] = t;
    }
    expect(norm(g)).toBeLessThan(1e-10 * norm(b) * 25);
    // LSQR with the same damping reaches the same minimizer
    const reference = lsqr(A, b, { damp, atol: 1e-14, btol: 1e-14 });
    expect(maxAbsDifference(result.x, reference.x) / norm(reference.x)).toBeLessThan(1e-9);
  });
});

describe('bad input', () => {
  const { A, b } = consistent(1, 10, 4);
  it('named errors for unknown options, bad sizes, a missing Rng, an operator without applyAdjoint', () => {
    expect(() => randomizedKaczmarz(A, b, createRng(0), { maxiter: 5 } as never)).toThrow(
      /did you mean `maxIterations`/,
    );
    expect(() => sketchAndProject(A, b, createRng(0), { blockSize: 0 })).toThrow(InvalidOptionsError);
    expect(() => sketchAndProject(A, b, createRng(0), { checkEvery: Number.NaN })).toThrow(
      InvalidOptionsError,
    );
    expect(() => randomizedKaczmarz(A, b, undefined as never)).toThrow(/seeded Rng/);
    expect(() => randomizedKaczmarz(A, new Float64Array(3), createRng(0))).toThrow(/length 10/);
    const noAdjoint = { rows: 10, cols: 4, apply: (_x: Float64Array, out: Float64Array) => out };
    expect(() => lsqr(noAdjoint, b)).toThrow(/applyAdjoint/);
    expect(() => cgls(A, b, { tol: 1e-3 } as never)).toThrow(/did you mean `rtol`/);
    for (const call of [() => lsqr(A, b, { damp: -1 }), () => cgls(A, b, { maxIterations: -1 })])
      expect(() => call()).toThrow(ArgminError);
  });
  it('an operator that turns NaN gives numerical-error with a finite x (LSQR, CGLS)', () => {
    let calls = 0;
    const turning = {
      rows: 10,
      cols: 4,
      apply: (x: Float64Array, out: Float64Array) => {
        calls++;
        gemv(A, x, out);
        if (calls >= 3) out.fill(Number.NaN);
        return out;
      },
      applyAdjoint: (y: Float64Array, out: Float64Array) => {
        for (let j = 0; j < 4; j++) {
          let t = 0;
          for (let i = 0; i < 10; i++) t += A.data[i * 4 + j] * y[i];
          out[j] = t;
        }
        return out;
      },
    };
    for (const run of [() => lsqr(turning, b, { atol: 0, btol: 0 }), () => cgls(turning, b, { rtol: 0 })]) {
      calls = 0;
      const result = run();
      expect(result.status).toBe('numerical-error');
      expect(result.x.every(Number.isFinite)).toBe(true);
    }
  });
});

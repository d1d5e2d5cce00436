import {
  type CsrMatrix,
  InvalidArgumentError,
  monotonicNow,
  nrm2,
  parseOptions,
  type ResultBase,
  traceOf,
  type Vec,
} from '@argmin/core';
import { stationaryOptions } from '../options';
import { allFinite, asOperator, validateSystem } from '../validate';

/** Options of the stationary iterations. */
export interface StationaryOptions {
  /** Relaxation ω (SOR/SSOR: (0, 2); weighted Jacobi: (0, 1]). Default 1. */
  readonly omega?: number;
  /** Stop when ‖b − A x‖ / ‖b − A x0‖ < tolerance (Learning to Relax's `sor.m` rule). Default 1e-8. */
  readonly tolerance?: number;
  /** Iteration limit (reference: 10000). */
  readonly maxIterations?: number;
  /** Starting guess (default zeros). */
  readonly x0?: Vec;
}

/**
 * Result of a stationary solve, on core's `ResultBase`. `iterations` counts sweeps (one x ← x + M⁻¹r
 * update; SSOR's forward + backward pair is one): the cost Learning to Relax feeds to its bandits.
 * `trace` holds iteration 0 and the last sweep only (`metrics.residualNorm` = ‖b − A x‖): the sweeps
 * are cheap and the bandit experiments run millions of them, so no per-sweep history is kept.
 */
export interface StationaryResult extends ResultBase {
  readonly x: Vec;
  readonly status: 'converged' | 'max-iterations' | 'diverged';
  readonly residualNorm: number;
}

type Method = 'jacobi' | 'sor' | 'ssor';

function diagonalPositions(A: CsrMatrix, where: string): Int32Array {
  const positions = new Int32Array(A.rows).fill(-1);
  for (let i = 0; i < A.rows; i++) {
    for (let k = A.rowPointers[i]; k < A.rowPointers[i + 1]; k++)
      if (A.columnIndices[k] === i) positions[i] = k;
    if (positions[i] < 0 || A.values[positions[i]] === 0) {
      throw new InvalidArgumentError({
        argument: 'A',
        value: i,
        message: `${where}: row ${i} has a zero or missing diagonal; stationary methods divide by the diagonal.`,
      });
    }
  }
  return positions;
}

function stationary(method: Method, A: CsrMatrix, b: Vec, options: StationaryOptions): StationaryResult {
  const where = `linsolve/${method}`;
  const parsed = parseOptions(where, stationaryOptions, options);
  const { omega, tolerance, maxIterations } = parsed;
  if (!(A && (A as CsrMatrix).rowPointers instanceof Int32Array)) {
    throw new InvalidArgumentError({
      argument: 'A',
      value: typeof A,
      message: `${where}: \`A\` must be a CsrMatrix (the sweeps run over its rows); build one with csrFromTriplets.`,
    });
  }
  validateSystem(where, asOperator(where, 'A', A), b, parsed.x0, tolerance, 0);
  const limit = method === 'jacobi' ? 1 : 2;
  if (!(omega > 0 && (method === 'jacobi' ? omega <= limit : omega < limit))) {
    throw new InvalidArgumentError({
      argument: 'omega',
      value: omega,
      message: `${where}: \`omega\` must lie in ${method === 'jacobi' ? '(0, 1]' : '(0, 2)'}; got ${omega}.`,
    });
  }
  const diagonal = diagonalPositions(A, where);
  const { rowPointers, columnIndices, values } = A;
  const n = A.rows;
  const x = parsed.x0 ? parsed.x0.slice() : new Float64Array(n);
  const previous = x.slice(); // the last finite iterate
  const r = new Float64Array(n);
  const z = new Float64Array(n);
  // r = b − A x; returns ‖r‖ (row bounds hoisted: this loop is the bandit experiments' hot path)
  const residual = (): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let ax = 0;
      const end = rowPointers[i + 1];
      for (let k = rowPointers[i]; k < end; k++) ax += values[k] * x[columnIndices[k]];
      const ri = b[i] - ax;
      r[i] = ri;
      s += ri * ri;
    }
    return Math.sqrt(s);
  };
  const started = monotonicNow();
  const r0 = residual();
  const finish = (
    status: StationaryResult['status'],
    iterations: number,
    finalX: Vec,
    residualNorm: number,
    message: string,
  ): StationaryResult => ({
    x: finalX,
    status,
    converged: status === 'converged',
    iterations,
    residualNorm,
    message,
    warnings: [],
    trace: traceOf(
      iterations === 0 ? [0] : [0, iterations],
      { residualNorm: iterations === 0 ? [r0] : [r0, residualNorm] },
      iterations === 0 ? [0] : [0, monotonicNow() - started],
    ),
  });
  let norm = r0;
  if (r0 === 0) return finish('converged', 0, x, 0, 'x0 solves the system');
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    if (method === 'jacobi') {
      previous.set(x);
      for (let i = 0; i < n; i++) x[i] += (omega * r[i]) / values[diagonal[i]];
    } else {
      // z = M⁻¹ r with M = D/ω + L (forward solve), residual-correction form of sor.m
      for (let i = 0; i < n; i++) {
        let s = r[i];
        const d = diagonal[i];
        for (let k = rowPointers[i]; k < d; k++) s -= values[k] * z[columnIndices[k]];
        z[i] = (omega * s) / values[d];
      }
      if (method === 'ssor') {
        // backward sweep on the updated residual: z += (D/ω + U)⁻¹ (r − A z)
        const rz = new Float64Array(n); // SSOR allocates per iteration; it is not on the bandit hot path
        const rest = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          let ax = 0;
          for (let k = rowPointers[i]; k < rowPointers[i + 1]; k++) ax += values[k] * z[columnIndices[k]];
          rest[i] = r[i] - ax;
        }
        for (let i = n - 1; i >= 0; i--) {
          let s = rest[i];
          for (let k = diagonal[i] + 1; k < rowPointers[i + 1]; k++) s -= values[k] * rz[columnIndices[k]];
          rz[i] = (omega * s) / values[diagonal[i]];
        }
        for (let i = 0; i < n; i++) z[i] += rz[i];
      }
      previous.set(x);
      for (let i = 0; i < n; i++) x[i] += z[i];
    }
    let s = 0;
    for (let i = 0; i < n; i++) {
      let ax = 0;
      const end = rowPointers[i + 1];
      for (let k = rowPointers[i]; k < end; k++) ax += values[k] * x[columnIndices[k]];
      const ri = b[i] - ax;
      r[i] = ri;
      s += ri * ri;
    }
    norm = Math.sqrt(s);
    if (!Number.isFinite(norm) || norm > 1e10 * r0) {
      return finish(
        'diverged',
        iteration,
        allFinite(x) ? x : previous,
        norm,
        `${where} diverged (residual ${norm.toExponential(2)}); omega = ${omega} is outside the convergent range for this matrix`,
      );
    }
    if (norm / r0 < tolerance) {
      return finish(
        'converged',
        iteration,
        x,
        norm,
        `||r||/||r0|| = ${(norm / r0).toExponential(3)} < ${tolerance}`,
      );
    }
  }
  return finish('max-iterations', maxIterations, x, norm, `reached maxIterations = ${maxIterations}`);
}

/**
 * SOR in residual-correction form, as Learning to Relax's `solvers/sor.m`: M = D/ω + L,
 * x ← x + M⁻¹(b − A x), until ‖r‖/‖r0‖ < tolerance (1e-8), at most 10000 iterations. ω = 1 is Gauss–Seidel.
 * `iterations` counts sweeps (the cost Learning to Relax's bandits receive).
 */
export function sor(A: CsrMatrix, b: Vec, options: StationaryOptions = {}): StationaryResult {
  return stationary('sor', A, b, options);
}

/** Gauss–Seidel: SOR with ω = 1. */
export function gaussSeidel(
  A: CsrMatrix,
  b: Vec,
  options: Omit<StationaryOptions, 'omega'> = {},
): StationaryResult {
  return stationary('sor', A, b, { ...options, omega: 1 });
}

/** (Weighted) Jacobi: x ← x + ω D⁻¹ (b − A x). */
export function jacobi(A: CsrMatrix, b: Vec, options: StationaryOptions = {}): StationaryResult {
  return stationary('jacobi', A, b, options);
}

/** SSOR: a forward SOR sweep followed by a backward one per iteration (symmetric for symmetric A). */
export function ssor(A: CsrMatrix, b: Vec, options: StationaryOptions = {}): StationaryResult {
  return stationary('ssor', A, b, options);
}

/**
 * Young's optimal SOR relaxation ω* = 1 + (β / (1 + √(1 − β²)))², β = ρ(I − D⁻¹A) estimated by
 * power iteration (the instance-optimal ω of `omega_opt.m`; exact for consistently ordered matrices).
 */
export function youngOmega(A: CsrMatrix, { iterations = 500 }: { iterations?: number } = {}): number {
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    throw new InvalidArgumentError({
      argument: 'iterations',
      value: iterations,
      message: `linsolve/youngOmega: \`iterations\` (power-iteration steps) must be a positive integer; got ${iterations}.`,
    });
  }
  asOperator('linsolve/youngOmega', 'A', A);
  const diagonal = diagonalPositions(A, 'linsolve/youngOmega');
  const n = A.rows;
  let v = new Float64Array(n).fill(1 / Math.sqrt(n));
  let w = new Float64Array(n);
  let beta = 0;
  // power iteration on (I − D⁻¹A)² (its top eigenvalue is β² even when ±β are both eigenvalues)
  for (let it = 0; it < iterations; it++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = A.rowPointers[i]; k < A.rowPointers[i + 1]; k++)
          s += A.values[k] * v[A.columnIndices[k]];
        w[i] = v[i] - s / A.values[diagonal[i]];
      }
      [v, w] = [w, v];
    }
    const norm = nrm2(v);
    beta = Math.sqrt(norm);
    for (let i = 0; i < n; i++) v[i] /= norm;
  }
  beta = Math.min(beta, 1 - 1e-15);
  return 1 + (beta / (1 + Math.sqrt(1 - beta * beta))) ** 2;
}

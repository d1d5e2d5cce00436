import { type Operator, parseOptions, type Vec } from '@argmin/core';
import { cgCallOptions, cgOptions } from '../options';
import type { MatrixLike } from '../validate';
import {
  type KrylovMachine,
  type KrylovOptions,
  type LinearSolveResult,
  type MachineState,
  machineOptimizer,
  type OptimizerKrylovOptions,
  runMachine,
} from './driver';

/** CG working set: r = b − A x, z = M r, direction p, q = A p, ρ = rᵀz. */
export interface CgState extends MachineState {
  readonly r: Vec;
  readonly z: Vec;
  readonly p: Vec;
  readonly q: Vec;
  rho: number;
}

function dotv(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** The (preconditioned) conjugate-gradient kernel, iteration for iteration as scipy's `cg`. */
export const cgMachine: KrylovMachine<CgState> = {
  id: 'linsolve/cg',
  limits: 'iterations',
  init(A, b, x0, M) {
    const n = b.length;
    const r = new Float64Array(n);
    let any = false;
    for (let i = 0; i < n; i++) if (x0[i] !== 0) any = true;
    if (any) {
      A.apply(x0, r);
      for (let i = 0; i < n; i++) r[i] = b[i] - r[i];
    } else r.set(b);
    return {
      x: x0,
      r,
      z: M ? new Float64Array(n) : r,
      p: new Float64Array(n),
      q: new Float64Array(n),
      rho: 0,
      residualNorm: Math.sqrt(dotv(r, r)),
      residualIsTrue: true,
      iterations: 0,
      cycles: 0,
      matvecs: any ? 1 : 0,
    };
  },
  step(s, A, _b, M: Operator | undefined) {
    const { r, z, p, q, x } = s;
    const n = r.length;
    if (M) M.apply(r, z);
    const rho = dotv(r, z);
    if (M && !(rho > 0)) {
      s.failure = {
        status: 'numerical-error',
        message: `the preconditioner is not positive definite (rᵀMr = ${rho.toExponential(3)} <= 0 at iteration ${s.iterations}); CG needs an SPD preconditioner`,
      };
      return;
    }
    if (s.iterations > 0) {
      const beta = rho / s.rho;
      for (let i = 0; i < n; i++) p[i] = z[i] + beta * p[i];
    } else p.set(z);
    A.apply(p, q);
    s.matvecs++;
    const pq = dotv(p, q);
    if (!(pq > 0)) {
      s.failure = {
        status: Number.isNaN(pq) ? 'numerical-error' : 'diverged',
        message: Number.isNaN(pq)
          ? `pᵀAp is NaN at iteration ${s.iterations}; returning the last finite iterate`
          : `the matrix is not positive definite (indefinite or singular): pᵀAp = ${pq.toExponential(3)} <= 0 at iteration ${s.iterations}. CG needs an SPD matrix; use MINRES for symmetric indefinite or GMRES/BiCGStab for general matrices`,
      };
      return;
    }
    const alpha = rho / pq;
    let rr = 0;
    for (let i = 0; i < n; i++) {
      x[i] += alpha * p[i];
      const ri = r[i] - alpha * q[i];
      r[i] = ri;
      rr += ri * ri;
    }
    s.rho = rho;
    s.iterations++;
    s.cycles++;
    s.residualNorm = Math.sqrt(rr);
    s.residualIsTrue = false;
  },
};

/** Options of `cg`. */
export type CgOptions = KrylovOptions;

/**
 * Conjugate gradient (Hestenes & Stiefel 1952) for symmetric positive-definite A, with optional SPD
 * preconditioner M ≈ A⁻¹ (PCG). Iteration k: z = M r, ρ = rᵀz, p = z + (ρ/ρ₋)p, q = A p,
 * α = ρ/pᵀq, x += αp, r −= αq. scipy's `cg` semantics: rtol = 1e-5, atol = 0,
 * maxIterations = 10n, converged when ‖b − A x‖ ≤ max(rtol·‖b‖, atol) (true residual confirmed).
 * pᵀAp ≤ 0 ends the run with status 'diverged' and a message naming indefiniteness.
 * `iterations` (= `cycles`) counts CG iterations (one product with A each), as scipy's count.
 *
 * @example
 * const { matrix, rhs } = poisson2d(32);
 * const result = cg(matrix, rhs, { rtol: 1e-8 }); // result.converged === true
 */
export function cg(A: MatrixLike, b: Vec, options: CgOptions = {}): LinearSolveResult {
  const parsed = parseOptions('linsolve/cg', cgCallOptions, options);
  const { state: _state, ...result } = runMachine(cgMachine, A, b, parsed);
  return result;
}

/** CG as an Optimizer for `solve`/`iterate` (one step = one iteration). */
export function cgOptimizer(options: OptimizerKrylovOptions = {}) {
  return machineOptimizer(cgMachine, parseOptions('linsolve/cg', cgOptions, options));
}

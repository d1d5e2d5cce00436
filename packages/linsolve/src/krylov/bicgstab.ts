import { parseOptions, type Vec } from '@argmin/core';
import { bicgstabCallOptions, bicgstabOptions } from '../options';
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

/** BiCGStab working set. */
export interface BicgstabState extends MachineState {
  readonly r: Vec;
  readonly rtilde: Vec;
  readonly p: Vec;
  readonly v: Vec;
  readonly phat: Vec;
  readonly shat: Vec;
  readonly t: Vec;
  rhoPrevious: number;
  omega: number;
  alpha: number;
  readonly tolerance: number;
  /** ‖r̃‖², which makes the ρ breakdown test scale-invariant. */
  readonly rtildeNormSquared: number;
}

function dot(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

const breakdownTolerance = Number.EPSILON ** 2; // scipy's rhotol = omegatol = eps²

/** BiCGStab kernel, iteration for iteration as scipy's `bicgstab` (right preconditioning). */
export const bicgstabMachine: KrylovMachine<BicgstabState> = {
  id: 'linsolve/bicgstab',
  limits: 'iterations',
  init(A, b, x0, _M, tolerance) {
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
      rtilde: r.slice(),
      p: new Float64Array(n),
      v: new Float64Array(n),
      phat: new Float64Array(n),
      shat: new Float64Array(n),
      t: new Float64Array(n),
      rhoPrevious: 0,
      omega: 0,
      alpha: 0,
      tolerance,
      rtildeNormSquared: dot(r, r),
      residualNorm: Math.sqrt(dot(r, r)),
      residualIsTrue: true,
      iterations: 0,
      cycles: 0,
      matvecs: any ? 1 : 0,
    };
  },
  step(s, A, _b, M) {
    const { r, rtilde, p, v, phat, shat, t, x } = s;
    const n = r.length;
    const rho = dot(rtilde, r);
    if (Math.abs(rho) < breakdownTolerance * s.rtildeNormSquared) {
      s.failure = {
        status: 'numerical-error',
        message: `BiCGStab breakdown: |r̃ᵀr| = ${Math.abs(rho).toExponential(3)} < eps² (scipy info -10)`,
      };
      return;
    }
    if (s.iterations > 0) {
      if (Math.abs(s.omega) < breakdownTolerance) {
        s.failure = { status: 'numerical-error', message: `BiCGStab breakdown: |ω| < eps² (scipy info -11)` };
        return;
      }
      const beta = (rho / s.rhoPrevious) * (s.alpha / s.omega);
      for (let i = 0; i < n; i++) p[i] = r[i] + beta * (p[i] - s.omega * v[i]);
    } else p.set(r);
    if (M) M.apply(p, phat);
    else phat.set(p);
    A.apply(phat, v);
    s.matvecs++;
    const rv = dot(rtilde, v);
    if (rv === 0) {
      s.failure = { status: 'numerical-error', message: 'BiCGStab breakdown: r̃ᵀv = 0 (scipy info -11)' };
      return;
    }
    const alpha = rho / rv;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const ri = r[i] - alpha * v[i];
      r[i] = ri;
      ss += ri * ri;
    }
    s.alpha = alpha;
    if (Math.sqrt(ss) < s.tolerance) {
      for (let i = 0; i < n; i++) x[i] += alpha * phat[i];
      s.iterations++;
      s.cycles++;
      s.residualNorm = Math.sqrt(ss);
      s.residualIsTrue = false;
      return;
    }
    if (M) M.apply(r, shat);
    else shat.set(r);
    A.apply(shat, t);
    s.matvecs++;
    const omega = dot(t, r) / dot(t, t);
    let rr = 0;
    for (let i = 0; i < n; i++) {
      x[i] += alpha * phat[i] + omega * shat[i];
      const ri = r[i] - omega * t[i];
      r[i] = ri;
      rr += ri * ri;
    }
    s.omega = omega;
    s.rhoPrevious = rho;
    s.iterations++;
    s.cycles++;
    s.residualNorm = Math.sqrt(rr);
    s.residualIsTrue = false;
  },
};

/**
 * BiCGStab (van der Vorst 1992) for general non-symmetric A, right-preconditioned as scipy's
 * `bicgstab`: breakdowns |ρ| < eps²·‖r̃‖², |ω| < eps², r̃ᵀv = 0 end the run with status
 * 'numerical-error'. rtol 1e-5, atol 0, maxIterations 10n. `iterations` (= `cycles`) counts BiCGStab
 * iterations, each with two products with A (`matvecs`), as scipy's iteration count.
 *
 * @remarks scipy tests |ρ| < eps² in absolute terms (its source calls the constant a Fortran
 * leftover), which reports a false breakdown for any b with ‖b‖ ≲ 1e-16; the test here is relative
 * to ‖r̃‖², identical to scipy for ‖b‖ = O(1).
 */
export function bicgstab(A: MatrixLike, b: Vec, options: KrylovOptions = {}): LinearSolveResult {
  const parsed = parseOptions('linsolve/bicgstab', bicgstabCallOptions, options);
  const { state: _state, ...result } = runMachine(bicgstabMachine, A, b, parsed);
  return result;
}

/** BiCGStab as an Optimizer (one step = one iteration, two matvecs). */
export function bicgstabOptimizer(options: OptimizerKrylovOptions = {}) {
  return machineOptimizer(bicgstabMachine, parseOptions('linsolve/bicgstab', bicgstabOptions, options));
}

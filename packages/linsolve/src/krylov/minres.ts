import { operatorFromFunction, parseOptions, type Vec } from '@argmin/core';
import * as z from 'zod/mini';
import { minresCallOptions, minresOptions } from '../options';
import { asOperator, type MatrixLike } from '../validate';
import {
  type KrylovMachine,
  type KrylovOptions,
  type LinearSolveResult,
  type MachineState,
  machineOptimizer,
  type OptimizerKrylovOptions,
  runMachine,
} from './driver';

/** MINRES working set (Paige & Saunders 1975, scipy's port of the SOL code). */
export interface MinresState extends MachineState {
  r1: Vec;
  r2: Vec;
  y: Vec;
  w: Vec;
  w1: Vec;
  w2: Vec;
  v: Vec;
  beta: number;
  oldb: number;
  beta1: number;
  dbar: number;
  epsln: number;
  phibar: number;
  cs: number;
  sn: number;
  shift: number;
}

function dotv(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Creates the MINRES kernel for (A − shift·I) x = b. */
export function minresMachine(shift = 0): KrylovMachine<MinresState> {
  parseOptions('linsolve/minres', z.pick(minresOptions, { shift: true }), { shift });
  return {
    id: 'linsolve/minres',
    limits: 'iterations',
    init(A, b, x0, M) {
      const n = b.length;
      const r1 = new Float64Array(n);
      let any = false;
      for (let i = 0; i < n; i++) if (x0[i] !== 0) any = true;
      if (any) {
        A.apply(x0, r1);
        for (let i = 0; i < n; i++) r1[i] = b[i] - r1[i] + shift * x0[i];
      } else r1.set(b);
      const y = M ? M.apply(r1, new Float64Array(n)) : r1.slice();
      const beta1Squared = dotv(r1, y);
      const state: MinresState = {
        x: x0,
        r1,
        r2: r1.slice(),
        y,
        w: new Float64Array(n),
        w1: new Float64Array(n),
        w2: new Float64Array(n),
        v: new Float64Array(n),
        beta: Math.sqrt(Math.max(beta1Squared, 0)),
        oldb: 0,
        beta1: Math.sqrt(Math.max(beta1Squared, 0)),
        dbar: 0,
        epsln: 0,
        phibar: Math.sqrt(Math.max(beta1Squared, 0)),
        cs: -1,
        sn: 0,
        shift,
        residualNorm: Math.sqrt(dotv(r1, r1)),
        residualIsTrue: true,
        iterations: 0,
        cycles: 0,
        matvecs: any ? 1 : 0,
      };
      if (beta1Squared < 0) {
        state.failure = {
          status: 'numerical-error',
          message: `the preconditioner is indefinite (rᵀMr = ${beta1Squared.toExponential(3)} < 0); MINRES needs an SPD preconditioner`,
        };
      }
      return state;
    },
    step(s, A, _b, M) {
      if (s.failure) return;
      const n = s.x.length;
      const { r1, r2, y, v, x } = s;
      const scale = 1 / s.beta;
      for (let i = 0; i < n; i++) v[i] = scale * y[i];
      A.apply(v, y);
      s.matvecs++;
      if (s.shift !== 0) for (let i = 0; i < n; i++) y[i] -= s.shift * v[i];
      if (s.iterations >= 1) {
        const f = s.beta / s.oldb;
        for (let i = 0; i < n; i++) y[i] -= f * r1[i];
      }
      const alfa = dotv(v, y);
      const g = alfa / s.beta;
      for (let i = 0; i < n; i++) y[i] -= g * r2[i];
      // r1 <- r2, r2 <- y (copy: y is overwritten by the preconditioner next)
      r1.set(r2);
      r2.set(y);
      if (M) M.apply(r2, y);
      s.oldb = s.beta;
      const betaSquared = dotv(r2, y);
      if (betaSquared < 0) {
        s.failure = {
          status: 'numerical-error',
          message: `MINRES: the preconditioner is indefinite or A is not symmetric (β² = ${betaSquared.toExponential(3)} < 0 at iteration ${s.iterations})`,
        };
        return;
      }
      s.beta = Math.sqrt(betaSquared);
      const oldeps = s.epsln;
      const delta = s.cs * s.dbar + s.sn * alfa;
      const gbar = s.sn * s.dbar - s.cs * alfa;
      s.epsln = s.sn * s.beta;
      s.dbar = -s.cs * s.beta;
      const gamma = Math.max(Math.hypot(gbar, s.beta), Number.EPSILON);
      s.cs = gbar / gamma;
      s.sn = s.beta / gamma;
      const phi = s.cs * s.phibar;
      s.phibar = s.sn * s.phibar;
      const denom = 1 / gamma;
      // w1 <- w2, w2 <- w, w = (v − oldeps·w1 − delta·w2)/γ (rotate buffers)
      const oldW1 = s.w1;
      s.w1 = s.w2;
      s.w2 = s.w;
      s.w = oldW1;
      const { w, w1, w2 } = s;
      for (let i = 0; i < n; i++) {
        w[i] = (v[i] - oldeps * w1[i] - delta * w2[i]) * denom;
        x[i] += phi * w[i];
      }
      s.iterations++;
      s.cycles++;
      s.residualNorm = s.phibar;
      s.residualIsTrue = false;
      if (s.beta === 0 && s.residualNorm > 0) {
        // Krylov space exhausted: x is the exact solution of the projected problem
        s.residualNorm = 0;
      }
    },
  };
}

/** Options of `minres`. */
export interface MinresOptions extends KrylovOptions {
  /** Solve (A − shift·I) x = b (scipy's `shift`). Default 0. */
  readonly shift?: number;
}

/**
 * MINRES (Paige & Saunders 1975) for symmetric (possibly indefinite) A with an SPD preconditioner:
 * Lanczos plus Givens QR of the tridiagonal, minimizing ‖b − A x‖ over the Krylov space. The kernel
 * is scipy's `minres` line for line; the stopping rule is the shared one
 * (‖b − A x‖ ≤ max(rtol·‖b‖, atol), true residual confirmed) instead of scipy's
 * ‖r‖/(‖A‖‖x‖) ≤ rtol. maxIterations defaults to 5n (scipy). `iterations` (= `cycles`) counts Lanczos
 * iterations (one product with A each).
 */
export function minres(A: MatrixLike, b: Vec, options: MinresOptions = {}): LinearSolveResult {
  const { shift, ...rest } = parseOptions('linsolve/minres', minresCallOptions, options);
  const operator = asOperator('linsolve/minres', 'A', A);
  const shifted =
    shift === 0
      ? operator
      : operatorFromFunction({
          rows: operator.rows,
          cols: operator.cols,
          apply: (x, out) => {
            operator.apply(x, out);
            for (let i = 0; i < x.length; i++) out[i] -= shift * x[i];
            return out;
          },
        });
  const { state: _state, ...result } = runMachine(minresMachine(0), shifted, b, {
    ...rest,
    maxIterations: rest.maxIterations ?? 5 * b.length,
  });
  return result;
}

/** MINRES as an Optimizer (one step = one Lanczos iteration). */
export function minresOptimizer(options: OptimizerKrylovOptions & { shift?: number } = {}) {
  const parsed = parseOptions('linsolve/minres', minresOptions, options);
  return machineOptimizer(minresMachine(parsed.shift), parsed);
}

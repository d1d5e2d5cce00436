import { assertAllocation, type Operator, parseOptions, type Vec } from '@argmin/core';
import * as z from 'zod/mini';
import { gmresCallOptions, gmresOptions } from '../options';
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

/** LAPACK dlartg (3.10+): c, s, r with [c s; −s c][f; g] = [r; 0]. */
export function lartg(f: number, g: number): [number, number, number] {
  if (g === 0) return [1, 0, f];
  if (f === 0) return [0, Math.sign(g), Math.abs(g)];
  const d = Math.hypot(f, g);
  const c = Math.abs(f) / d;
  const r = Math.sign(f) * d;
  return [c, g / r, r];
}

/** GMRES(m) working set: Arnoldi basis V ((m+1) × n, row-major), Hessenberg columns h, rotations, residual. */
export interface GmresState extends MachineState {
  readonly restart: number;
  readonly V: Float64Array;
  /** h[col*(m+1) + k] = H[k, col] (column-major, as scipy's h[col, k]). */
  readonly h: Float64Array;
  readonly givens: Float64Array;
  readonly S: Float64Array;
  readonly y: Float64Array;
  readonly r: Vec;
  readonly work: Vec;
  readonly bnorm: number;
  readonly tolerance: number;
  ptol: number;
  ptolMaxFactor: number;
  presid: number;
  breakdown: boolean;
}

const eps = Number.EPSILON;

/** Restarted GMRES(m) with left preconditioning, cycle for cycle as scipy's `gmres`. */
export function gmresMachine(restartInput = 20): KrylovMachine<GmresState> {
  parseOptions('linsolve/gmres', z.pick(gmresOptions, { restart: true }), { restart: restartInput });
  return {
    id: 'linsolve/gmres',
    limits: 'cycles',
    init(A, b, x0, M, tolerance, bnorm) {
      const n = b.length;
      const restart = Math.min(restartInput, n);
      assertAllocation(
        'linsolve/gmres',
        `the Arnoldi basis of GMRES(${restart}) for n = ${n}`,
        (restart + 1) * n,
      );
      const r = new Float64Array(n);
      let any = false;
      for (let i = 0; i < n; i++) if (x0[i] !== 0) any = true;
      if (any) {
        A.apply(x0, r);
        for (let i = 0; i < n; i++) r[i] = b[i] - r[i];
      } else r.set(b);
      let mbNorm = bnorm;
      const work = new Float64Array(n);
      if (M) {
        M.apply(b, work);
        mbNorm = Math.sqrt(dot(work, work));
      }
      let rr = 0;
      for (let i = 0; i < n; i++) rr += r[i] * r[i];
      return {
        x: x0,
        restart,
        V: new Float64Array((restart + 1) * n),
        h: new Float64Array(restart * (restart + 1)),
        givens: new Float64Array(2 * restart),
        S: new Float64Array(restart + 1),
        y: new Float64Array(restart),
        r,
        work,
        bnorm,
        tolerance,
        ptol: bnorm > 0 ? mbNorm * Math.min(1, tolerance / bnorm) : 0,
        ptolMaxFactor: 1,
        presid: 0,
        breakdown: false,
        residualNorm: Math.sqrt(rr),
        residualIsTrue: true,
        iterations: 0,
        cycles: 0,
        matvecs: any ? 1 : 0,
      };
    },
    step(s, A, b, M) {
      gmresCycle(s, A, b, M);
    },
  };
}

function dot(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function gmresCycle(s: GmresState, A: Operator, b: Vec, M: Operator | undefined): void {
  const n = b.length;
  const { restart, V, h, givens, S, y, r, work, x } = s;
  const m1 = restart + 1;
  h.fill(0);
  S.fill(0);
  const v0 = V.subarray(0, n);
  if (M) M.apply(r, v0);
  else v0.set(r);
  const beta = Math.sqrt(dot(v0, v0));
  const inv = 1 / beta;
  for (let i = 0; i < n; i++) v0[i] *= inv;
  S[0] = beta;
  let breakdown = false;
  let col = 0;
  for (col = 0; col < restart; col++) {
    const vc = V.subarray(col * n, (col + 1) * n);
    const w = V.subarray((col + 1) * n, (col + 2) * n);
    if (M) {
      A.apply(vc, work);
      M.apply(work, w);
    } else A.apply(vc, w);
    s.matvecs++;
    const h0 = Math.sqrt(dot(w, w));
    for (let k = 0; k <= col; k++) {
      const vk = V.subarray(k * n, (k + 1) * n);
      let t = 0;
      for (let i = 0; i < n; i++) t += vk[i] * w[i];
      h[col * m1 + k] = t;
      for (let i = 0; i < n; i++) w[i] -= t * vk[i];
    }
    const h1 = Math.sqrt(dot(w, w));
    h[col * m1 + col + 1] = h1;
    if (h1 <= eps * h0) {
      h[col * m1 + col + 1] = 0;
      breakdown = true;
    } else {
      const inv1 = 1 / h1;
      for (let i = 0; i < n; i++) w[i] *= inv1;
    }
    for (let k = 0; k < col; k++) {
      const c = givens[2 * k];
      const sn = givens[2 * k + 1];
      const n0 = h[col * m1 + k];
      const n1 = h[col * m1 + k + 1];
      h[col * m1 + k] = c * n0 + sn * n1;
      h[col * m1 + k + 1] = -sn * n0 + c * n1;
    }
    const [c, sn, mag] = lartg(h[col * m1 + col], h[col * m1 + col + 1]);
    givens[2 * col] = c;
    givens[2 * col + 1] = sn;
    h[col * m1 + col] = mag;
    h[col * m1 + col + 1] = 0;
    const t = -sn * S[col];
    S[col] = c * S[col];
    S[col + 1] = t;
    s.presid = Math.abs(t);
    s.iterations++;
    if (s.presid <= s.ptol || breakdown) break;
  }
  if (col === restart) col = restart - 1;
  if (h[col * m1 + col] === 0) S[col] = 0;
  for (let k = 0; k <= col; k++) y[k] = S[k];
  for (let k = col; k > 0; k--) {
    if (y[k] !== 0) {
      y[k] /= h[k * m1 + k];
      const t = y[k];
      for (let j = 0; j < k; j++) y[j] -= t * h[k * m1 + j];
    }
  }
  if (y[0] !== 0) y[0] /= h[0];
  for (let k = 0; k <= col; k++) {
    const vk = V.subarray(k * n, (k + 1) * n);
    const yk = y[k];
    for (let i = 0; i < n; i++) x[i] += yk * vk[i];
  }
  A.apply(x, r);
  s.matvecs++;
  let rr = 0;
  for (let i = 0; i < n; i++) {
    const d = b[i] - r[i];
    r[i] = d;
    rr += d * d;
  }
  const rnorm = Math.sqrt(rr);
  s.cycles++;
  s.residualNorm = rnorm;
  s.residualIsTrue = true;
  s.breakdown = breakdown;
  if (rnorm <= s.tolerance) return;
  if (breakdown) {
    s.failure = {
      status: 'stalled',
      message: `GMRES breakdown (the Krylov space is invariant) but the true residual ${rnorm.toExponential(3)} is above ${s.tolerance.toExponential(3)}`,
    };
    return;
  }
  if (s.presid <= s.ptol) s.ptolMaxFactor = Math.max(eps, 0.25 * s.ptolMaxFactor);
  else s.ptolMaxFactor = Math.min(1, 1.5 * s.ptolMaxFactor);
  s.ptol = s.presid * Math.min(s.ptolMaxFactor, s.tolerance / rnorm);
}

/** Options of `gmres`. */
export interface GmresOptions extends KrylovOptions {
  /** Krylov dimension m per cycle (scipy's `restart`, default 20, capped at n). */
  readonly restart?: number;
}

/**
 * Restarted GMRES(m) (Saad & Schultz 1986) with left preconditioning: each cycle builds an Arnoldi
 * basis by modified Gram–Schmidt, reduces the Hessenberg matrix with Givens rotations (LAPACK
 * `lartg`), and stops the cycle early when the preconditioned residual estimate passes scipy's inner
 * tolerance `ptol` (gh-8400 control). The true residual is computed after every cycle.
 * `maxIterations` counts restart cycles (scipy's `maxiter`, default 10n); `iterations` reports inner steps.
 */
export function gmres(A: MatrixLike, b: Vec, options: GmresOptions = {}): LinearSolveResult {
  const { restart, ...rest } = parseOptions('linsolve/gmres', gmresCallOptions, options);
  const { state: _state, ...result } = runMachine(gmresMachine(restart), A, b, rest);
  return result;
}

/** GMRES(m) as an Optimizer (one step = one restart cycle). */
export function gmresOptimizer(options: OptimizerKrylovOptions & { restart?: number } = {}) {
  const parsed = parseOptions('linsolve/gmres', gmresOptions, options);
  return machineOptimizer(gmresMachine(parsed.restart), parsed);
}

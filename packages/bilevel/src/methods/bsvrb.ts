import { defineMethod, InvalidArgumentError, type Optimizer, type StepResult, type Vec } from '@argmin/core';
import { z } from 'zod';
import { assertVector, type MultiBlockBilevelOracle } from '../problem/bilevel-oracle';
import { allFinite, norm, parse } from './common';

export const bsvrbOptions = z.strictObject({
  variant: z
    .enum(['v1', 'v2', 'rsvrb'])
    .default('v2')
    .describe(
      "'v1': tracks the lower Hessians H_i (low-dimensional lower levels); 'v2': tracks v_i ≈ H_i⁻¹∇_y f_i, no inverse; 'rsvrb': the randomized STORM baseline (Guo & Yang).",
    ),
  blocksPerIteration: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(10)
    .describe('I, blocks sampled per iteration (code `task_batch_size`: 10).'),
  batchSize: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(32)
    .describe('B, samples per sampled block (code `data_batch_size`: 32).'),
  stepSize: z.number().positive().finite().default(0.001).describe('η, the upper step (code `eta`: 1e-3).'),
  lowerStepSize: z.number().positive().finite().default(0.5).describe('τ, the lower step (code `tau`: 0.5).'),
  vStepSize: z
    .number()
    .positive()
    .finite()
    .optional()
    .describe('τ_v, the step of v in v2 (code `tau_v`; default: τ).'),
  alpha: z.number().min(0).max(1).default(0.9).describe('MSVR α (code: 0.9).'),
  gamma: z
    .number()
    .min(0)
    .finite()
    .default(1)
    .describe('MSVR γ (code: 1; theory (m − I)/(I(1 − α)) + (1 − α)).'),
  beta: z.number().min(0).max(1).default(0.9).describe('STORM β of the upper estimator (code: 0.9).'),
  hessianBound: z
    .number()
    .positive()
    .default(10)
    .describe('H_i is rescaled to Frobenius norm ≥ this (code `H_bound`: 10).'),
  vBound: z
    .number()
    .positive()
    .default(10)
    .describe('v_i is projected onto ‖v‖ ≤ this (code `v_bound`: 10).'),
});
export type BsvrbOptions = z.input<typeof bsvrbOptions>;

export interface BsvrbState {
  /** Lower iterates w_i (m rows of dimY), current and previous. */
  readonly w: Float64Array;
  readonly wOld: Float64Array;
  /** MSVR (or STORM) estimates of ∇_y g_i. */
  readonly s: Float64Array;
  /** v2: u_i ≈ H_i v_i − ∇_y f_i; rsvrb: STORM estimates of ∇_y f_i. */
  readonly u: Float64Array;
  /** v2: v_i ≈ H_i⁻¹ ∇_y f_i (current and previous). */
  readonly v: Float64Array;
  readonly vOld: Float64Array;
  /** v1 / rsvrb: tracked Hessians (m blocks of dimY²), current and previous. */
  readonly H: Float64Array;
  readonly HOld: Float64Array;
  /** rsvrb: tracked cross matrices ∇²_xy g_i (m blocks of dimX·dimY), current and previous. */
  readonly V: Float64Array;
  readonly VOld: Float64Array;
  /** STORM estimate of the upper gradient. */
  readonly z: Vec;
  readonly xOld: Vec;
  readonly delay: Int32Array;
  /** v1: H at the start of the iteration (becomes HOld at its end). */
  readonly HStart: Float64Array;
  readonly mark: Uint8Array;
  readonly scratch: Float64Array;
  readonly out: [Vec, Vec];
  iteration: number;
}

/**
 * BSVRB (notes §14): multi-block bilevel optimization min_x (1/m) Σ_i f_i(x, y_i*(x)), sampling I
 * blocks and B samples per block each iteration, with blockwise variance reduction.
 * MSVR for a sampled block i (same sample ξ at the new and the previous point):
 *   s_i ← (1 − α)s_i + (α + γ)∇_y g_i(x_t, y_i^t; ξ) − γ∇_y g_i(x_{t−1}, y_i^{t−1}; ξ)
 * v1: H_i ← lift(MSVR of ∇²_yy g_i), G = −(1/I) Σ ∇²_xy g_i H_i⁻¹ ∇_y f_i; y_i ← y_i − τ s_i for all i.
 * v2: u_i ← MSVR of ∇²_yy g_i v_i − ∇_y f_i, G = −(1/I) Σ ∇²_xy g_i v_i; a sampled block moves by its
 *     delay dc (iterations since last sampled): y_i ← y_i − τ·dc·s_i, v_i ← Proj_{‖v‖≤r}(v_i − τ_v·dc·u_i).
 * Upper (STORM, same samples): z ← (1 − β)(z − G_old) + G_new; x ← x − ηz.
 * 'rsvrb' is the baseline: STORM with (m/I) scaling on s_i, ∇_y f_i, ∇²_xy g_i and H_i, (1 − β) decay
 * for unsampled blocks, G from a second independent block sample.
 *
 * Deviations from the reference code (documented): tasks are sampled without replacement per
 * iteration and data with replacement (the code walks shuffled epochs); the previous point starts
 * equal to the current one (the code draws an unrelated random previous point) and H_i starts at
 * (bound/√dimY)·I (the code: uniform random, non-symmetric); the lower Hessian has the correct sign.
 * w_i, v_i, s_i, u_i and z start uniform in [0, 1) from the run Rng, as the code.
 *
 * Paper: Q. Hu, Z.-H. Qiu, Z. Guo, L. Zhang, Y. Xu, T. Yang, "Blockwise Stochastic Variance-Reduced
 * Methods with Parallel Speedup for Multi-Block Bilevel Optimization", ICML 2023; reference code
 * quanqihu/BSVRB_ICML2023.
 */
export function bsvrb(options: BsvrbOptions = {}): Optimizer<MultiBlockBilevelOracle, BsvrbState> {
  const id = 'bilevel/bsvrb';
  const o = parse(id, bsvrbOptions, options);
  const tauV = o.vStepSize ?? o.lowerStepSize;
  return {
    id,
    init(x0, problem, context) {
      const m = problem?.blocks;
      if (!Number.isInteger(m) || m < 1 || typeof problem.lowerHvpYY !== 'function') {
        throw new InvalidArgumentError({
          argument: 'problem',
          value: m,
          message: `${id}: the problem must be a MultiBlockBilevelOracle with \`blocks\` >= 1 (per-block upper/lower gradients, ∇²_yy g_i·v, ∇²_xy g_i·v, batch draws).`,
        });
      }
      if (o.blocksPerIteration > m) {
        throw new InvalidArgumentError({
          argument: 'blocksPerIteration',
          value: o.blocksPerIteration,
          message: `${id}: \`blocksPerIteration\` (${o.blocksPerIteration}) cannot exceed the number of blocks (${m}).`,
        });
      }
      const { dimX, dimY } = problem;
      assertVector(id, 'x0', x0, dimX);
      const rng = context.rng;
      const uniform = (length: number) => {
        const a = new Float64Array(length);
        for (let i = 0; i < length; i++) a[i] = rng.uniform();
        return a;
      };
      const w = uniform(m * dimY);
      const v = uniform(m * dimY);
      const s = uniform(m * dimY);
      const u = uniform(m * dimY);
      const z0 = uniform(dimX);
      const tracksH = o.variant !== 'v2';
      const H = new Float64Array(tracksH ? m * dimY * dimY : 0);
      const diag = o.hessianBound / Math.sqrt(dimY);
      for (let b = 0; tracksH && b < m; b++)
        for (let i = 0; i < dimY; i++) H[b * dimY * dimY + i * dimY + i] = diag;
      const V = new Float64Array(o.variant === 'rsvrb' ? m * dimX * dimY : 0);
      return {
        w,
        wOld: Float64Array.from(w),
        s,
        u,
        v,
        vOld: Float64Array.from(v),
        H,
        HOld: Float64Array.from(H),
        V,
        VOld: Float64Array.from(V),
        z: z0,
        xOld: Float64Array.from(x0),
        delay: new Int32Array(m),
        HStart: new Float64Array(o.variant === 'v1' ? H.length : 0),
        mark: new Uint8Array(m),
        // gNew, gOld (dimY each), hNew, hOld (dimY² each), cross (dimX), G0, G1 (dimX), sol (dimY), lu (dimY² + dimY), col (dimY), taskOrder (m)
        scratch: new Float64Array(6 * dimY + 4 * dimY * dimY + 3 * dimX + m + dimX * dimY * 2),
        out: [new Float64Array(dimX), new Float64Array(dimX)],
        iteration: 0,
      };
    },
    step(x, state, problem, context): StepResult<BsvrbState> {
      const rng = context.rng;
      const m = problem.blocks;
      const { dimX, dimY } = problem;
      const I = o.blocksPerIteration;
      const B = o.batchSize;
      const { w, wOld, s, u, v, vOld, H, HOld, V, VOld, z, xOld, delay, scratch } = state;
      const d2 = dimY * dimY;
      let off = 0;
      const take = (n: number) => {
        const a = scratch.subarray(off, off + n);
        off += n;
        return a;
      };
      const gNew = take(dimY);
      const gOld = take(dimY);
      const fNew = take(dimY);
      const fOld = take(dimY);
      const sol = take(dimY);
      const col = take(dimY);
      const hNew = take(d2);
      const hOld = take(d2);
      const lu = take(d2);
      const hTmp = take(d2);
      const cross = take(dimX);
      const G0 = take(dimX);
      const G1 = take(dimX);
      const order = take(m);
      const vNew = take(dimX * dimY);
      const vOldM = take(dimX * dimY);
      G0.fill(0);
      G1.fill(0);
      const row = (a: Float64Array, b: number, width: number) => a.subarray(b * width, (b + 1) * width);
      // Sample I distinct blocks (partial Fisher-Yates on the block order).
      const sample = (): Float64Array => {
        for (let i = 0; i < m; i++) order[i] = i;
        for (let i = 0; i < I; i++) {
          const j = i + rng.integer(m - i);
          const t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
        return order;
      };
      const hessian = (
        b: number,
        px: Vec,
        wb: Vec,
        batch: Parameters<typeof problem.lowerHvpYY>[5],
        out: Float64Array,
      ) => {
        for (let j = 0; j < dimY; j++) {
          col.fill(0);
          col[j] = 1;
          problem.lowerHvpYY(b, px, wb, col, sol, batch);
          for (let i = 0; i < dimY; i++) out[i * dimY + j] = sol[i];
        }
        return out;
      };
      const crossMatrix = (
        b: number,
        px: Vec,
        wb: Vec,
        batch: Parameters<typeof problem.lowerHvpYY>[5],
        out: Float64Array,
      ) => {
        // out is dimX x dimY: column j = ∇²_xy g · e_j.
        for (let j = 0; j < dimY; j++) {
          col.fill(0);
          col[j] = 1;
          problem.lowerCrossXY(b, px, wb, col, cross, batch);
          for (let i = 0; i < dimX; i++) out[i * dimY + j] = cross[i];
        }
        return out;
      };
      const frob = (a: Float64Array) => norm(a);
      /** Solves M x = rhs (dimY x dimY, partial pivoting) into sol; false if singular. */
      const solveSmall = (M: Float64Array, rhs: Float64Array): boolean => {
        lu.set(M);
        sol.set(rhs);
        const n = dimY;
        for (let k = 0; k < n; k++) {
          let p = k;
          for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]) > Math.abs(lu[p * n + k])) p = i;
          if (lu[p * n + k] === 0 || !Number.isFinite(lu[p * n + k])) return false;
          if (p !== k) {
            for (let j = 0; j < n; j++) {
              const t = lu[k * n + j];
              lu[k * n + j] = lu[p * n + j];
              lu[p * n + j] = t;
            }
            const t = sol[k];
            sol[k] = sol[p];
            sol[p] = t;
          }
          for (let i = k + 1; i < n; i++) {
            const f = lu[i * n + k] / lu[k * n + k];
            if (f === 0) continue;
            for (let j = k; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
            sol[i] -= f * sol[k];
          }
        }
        for (let i = n - 1; i >= 0; i--) {
          let t = sol[i];
          for (let j = i + 1; j < n; j++) t -= lu[i * n + j] * sol[j];
          sol[i] = t / lu[i * n + i];
        }
        return true;
      };
      const mark = state.mark;

      if (o.variant === 'rsvrb') {
        const scale = m / I;
        const picked = mark;
        picked.fill(0);
        sample();
        for (let k = 0; k < I; k++) picked[order[k]] = 1;
        // Snapshot the tracked quantities before this iteration (for G_0).
        HOld.set(H);
        VOld.set(V);
        vOld.set(u);
        for (let b = 0; b < m; b++) {
          const sb = row(s, b, dimY);
          const fb = row(u, b, dimY);
          const Hb = row(H, b, d2);
          const Vb = row(V, b, dimX * dimY);
          if (picked[b]) {
            const lower = problem.drawLowerBatch(b, rng, B);
            const upper = problem.drawUpperBatch(b, rng, B);
            const wb = row(w, b, dimY);
            const wob = row(wOld, b, dimY);
            problem.lowerGradY(b, x, wb, gNew, lower);
            problem.lowerGradY(b, xOld, wob, gOld, lower);
            for (let i = 0; i < dimY; i++) sb[i] = (1 - o.beta) * (sb[i] - scale * gOld[i]) + scale * gNew[i];
            problem.upperGradY(b, x, wb, fNew, upper);
            problem.upperGradY(b, xOld, wob, fOld, upper);
            for (let i = 0; i < dimY; i++) fb[i] = (1 - o.beta) * (fb[i] - scale * fOld[i]) + scale * fNew[i];
            crossMatrix(b, x, wb, lower, vNew);
            crossMatrix(b, xOld, wob, lower, vOldM);
            for (let i = 0; i < dimX * dimY; i++)
              Vb[i] = (1 - o.beta) * (Vb[i] - scale * vOldM[i]) + scale * vNew[i];
            hessian(b, x, wb, lower, hNew);
            hessian(b, xOld, wob, lower, hOld);
            for (let i = 0; i < d2; i++) Hb[i] = (1 - o.beta) * (Hb[i] - scale * hOld[i]) + scale * hNew[i];
            const fn = frob(Hb);
            if (fn < o.hessianBound && fn > 0) for (let i = 0; i < d2; i++) Hb[i] *= o.hessianBound / fn;
          } else {
            for (let i = 0; i < dimY; i++) {
              sb[i] *= 1 - o.beta;
              fb[i] *= 1 - o.beta;
            }
            for (let i = 0; i < dimX * dimY; i++) Vb[i] *= 1 - o.beta;
            for (let i = 0; i < d2; i++) Hb[i] *= 1 - o.beta;
          }
        }
        // G from a second, independent block sample: old tracked quantities vs new.
        sample();
        for (let k = 0; k < I; k++) {
          const b = order[k];
          for (const [Hm, Vm, fm, G] of [
            [HOld, VOld, vOld, G0],
            [H, V, u, G1],
          ] as const) {
            if (!solveSmall(row(Hm, b, d2), row(fm, b, dimY))) continue;
            const Vb = row(Vm, b, dimX * dimY);
            for (let i = 0; i < dimX; i++) {
              let t = 0;
              for (let j = 0; j < dimY; j++) t += Vb[i * dimY + j] * sol[j];
              G[i] -= t;
            }
          }
        }
        wOld.set(w);
        for (let i = 0; i < w.length; i++) w[i] -= o.lowerStepSize * s[i];
      } else {
        sample();
        const picked = order;
        if (o.variant === 'v1') state.HStart.set(H);
        for (let k = 0; k < I; k++) {
          const b = picked[k];
          const lower = problem.drawLowerBatch(b, rng, B);
          const upper = problem.drawUpperBatch(b, rng, B);
          const wb = row(w, b, dimY);
          const wob = row(wOld, b, dimY);
          const sb = row(s, b, dimY);
          problem.lowerGradY(b, x, wb, gNew, lower);
          problem.lowerGradY(b, xOld, wob, gOld, lower);
          for (let i = 0; i < dimY; i++)
            sb[i] = (1 - o.alpha) * sb[i] + (o.alpha + o.gamma) * gNew[i] - o.gamma * gOld[i];
          problem.upperGradY(b, x, wb, fNew, upper);
          problem.upperGradY(b, xOld, wob, fOld, upper);
          if (o.variant === 'v2') {
            const ub = row(u, b, dimY);
            const vb = row(v, b, dimY);
            const vob = row(vOld, b, dimY);
            problem.lowerHvpYY(b, x, wb, vb, gNew, lower);
            problem.lowerHvpYY(b, xOld, wob, vob, gOld, lower);
            for (let i = 0; i < dimY; i++)
              ub[i] =
                (1 - o.alpha) * ub[i] +
                (o.alpha + o.gamma) * (gNew[i] - fNew[i]) -
                o.gamma * (gOld[i] - fOld[i]);
            problem.lowerCrossXY(b, xOld, wob, vob, cross, lower);
            for (let i = 0; i < dimX; i++) G0[i] -= cross[i];
            problem.lowerCrossXY(b, x, wb, vb, cross, lower);
            for (let i = 0; i < dimX; i++) G1[i] -= cross[i];
          } else {
            // v1 (as the code): G at the new point uses H at the start of the iteration, at the old
            // point the H of the iteration before.
            const Hb = row(H, b, d2);
            const Hob = row(HOld, b, d2);
            if (solveSmall(Hob, fOld)) {
              problem.lowerCrossXY(b, xOld, wob, sol, cross, lower);
              for (let i = 0; i < dimX; i++) G0[i] -= cross[i];
            }
            if (solveSmall(Hb, fNew)) {
              problem.lowerCrossXY(b, x, wb, sol, cross, lower);
              for (let i = 0; i < dimX; i++) G1[i] -= cross[i];
            }
            hessian(b, x, wb, lower, hNew);
            hessian(b, xOld, wob, lower, hOld);
            // The new H goes to a temporary so that G above used the start-of-iteration H.
            for (let i = 0; i < d2; i++)
              hTmp[i] = (1 - o.alpha) * Hb[i] + (o.alpha + o.gamma) * hNew[i] - o.gamma * hOld[i];
            const fn = frob(hTmp);
            if (fn < o.hessianBound && fn > 0) for (let i = 0; i < d2; i++) hTmp[i] *= o.hessianBound / fn;
            Hb.set(hTmp);
          }
        }
        wOld.set(w);
        if (o.variant === 'v1') {
          HOld.set(state.HStart);
          for (let i = 0; i < w.length; i++) w[i] -= o.lowerStepSize * s[i];
        } else {
          vOld.set(v);
          const isPicked = mark;
          isPicked.fill(0);
          for (let k = 0; k < I; k++) isPicked[picked[k]] = 1;
          for (let b = 0; b < m; b++) {
            if (!isPicked[b]) {
              delay[b]++;
              continue;
            }
            const dc = delay[b] + 1;
            const wb = row(w, b, dimY);
            const sb = row(s, b, dimY);
            const vb = row(v, b, dimY);
            const ub = row(u, b, dimY);
            for (let i = 0; i < dimY; i++) {
              wb[i] -= o.lowerStepSize * dc * sb[i];
              vb[i] -= tauV * dc * ub[i];
            }
            const vn = norm(vb);
            if (vn > o.vBound) for (let i = 0; i < dimY; i++) vb[i] *= o.vBound / vn;
            delay[b] = 0;
          }
        }
      }
      const out = state.out[state.iteration % 2];
      for (let i = 0; i < dimX; i++) {
        z[i] = (1 - o.beta) * (z[i] - G0[i] / I) + G1[i] / I;
        out[i] = x[i] - o.stepSize * z[i];
      }
      if (!allFinite(out) || !allFinite(w)) {
        return {
          x,
          state,
          info: {},
          status: 'numerical-error',
          message:
            'a BSVRB iterate is not finite; returning the last finite upper iterate (reduce the step sizes).',
        };
      }
      let step = 0;
      for (let i = 0; i < dimX; i++) step += (out[i] - x[i]) ** 2;
      xOld.set(x);
      state.iteration++;
      return { x: out, state, info: { upperEstimateNorm: norm(z), stepNorm: Math.sqrt(step) } };
    },
  };
}

export const bsvrbPlugin = defineMethod({
  meta: {
    id: 'bilevel/bsvrb',
    title: 'BSVRB: blockwise variance-reduced multi-block bilevel optimization',
    description:
      'For m lower-level problems sharing one upper variable: samples I blocks and B samples per block per iteration, tracks lower-level gradients and Hessians (v1) or Hessian-inverse-vector products (v2) with MSVR, and the upper gradient with STORM; parallel speedup in I and B.',
    references: [
      {
        title:
          'Blockwise Stochastic Variance-Reduced Methods with Parallel Speedup for Multi-Block Bilevel Optimization',
        authors: 'Q. Hu, Z.-H. Qiu, Z. Guo, L. Zhang, Y. Xu, T. Yang',
        year: 2023,
        arxiv: '2305.18730',
      },
    ],
    needs: [],
    stochastic: true,
    kind: 'optimizer',
  },
  options: bsvrbOptions,
  create: (options) => bsvrb(options),
});

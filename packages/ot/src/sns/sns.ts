import { parseOptions, type SolveStatus, type SolveWarning, traceOf } from '@argmin/core';
import * as z from 'zod/mini';
import { monotonicNow } from '../internal/clock';
import { allFiniteValues, linearCost, marginalError, type OtResult } from '../result';
import { sinkhornOptions, sinkhornParsed } from '../sinkhorn/sinkhorn';
import { type CostInput, checkRegularization, prepareProblem, type WeightsInput } from '../validate';

export const snsOptions = z.strictObject({
  regularization: z
    .number()
    .check(z.positive())
    .check(z.describe('Entropic regularization ε = 1/η (the paper’s η is 1/ε).')),
  sinkhornIterations: z
    ._default(z.int().check(z.minimum(0), z.maximum(1e7)), 20)
    .check(
      z.describe(
        'Stage 1: Sinkhorn warm-up sweeps N₁ (paper default 20; 700 for L1 costs), run by the stabilized method (the log-domain iterates at kernel speed). With switchTolerance, the cap on the warm-up.',
      ),
    ),
  switchTolerance: z
    .optional(z.number().check(z.positive()))
    .check(
      z.describe(
        'Switch to Newton as soon as the warm-up’s marginal error ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ is <= this (checked every 5 sweeps), instead of after exactly sinkhornIterations sweeps.',
      ),
    ),
  maxNewtonIterations: z
    ._default(z.int().check(z.minimum(1), z.maximum(1e6)), 200)
    .check(z.describe('Stage 2: maximum Newton steps.')),
  tolerance: z
    ._default(z.number().check(z.nonnegative()), 1e-9)
    .check(z.describe('Stop when the marginal error (in marginalNorm) is <= tolerance.')),
  marginalNorm: z
    ._default(z.enum(['l1', 'l2']), 'l1')
    .check(
      z.describe(
        "Stopping error: 'l1' = ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ (the marginalError reported), 'l2' = ‖Pᵀ1 − b‖₂ (POT's).",
      ),
    ),
  density: z
    .optional(z.number().check(z.positive(), z.maximum(1)))
    .check(
      z.describe(
        'λ: the fraction of the n·m entries of P (not of the Hessian) kept in the sparsified Hessian, i.e. about λ·n·m entries. Default 2/n (the paper’s stated λ = 2/n: about 2 entries per row); random assignment at the paper’s n = 500, η = 1200 needs 4-5/n to match its 9 Newton steps; L1 costs 15/n. With adaptiveDensity, the cap.',
      ),
    ),
  adaptiveDensity: z
    ._default(z.boolean(), false)
    .check(
      z.describe(
        'RegOT’s robust variant (sinkhorn_sparse_newton.cpp, sinkhorn_sparsify4.cpp): start at 0.1·density, stay within [0.01, 1]·density; after each step multiply by 2 if ‖∇‖ rose by more than 10% (once below its initial value), else by 0.9; the first row and column of P are always kept, as RegOT does. Give it a generous cap (e.g. 50/n): with 10/n it starts at 1/n and rarely grows.',
      ),
    ),
  levenbergShift: z
    ._default(z.number().check(z.nonnegative()), 0)
    .check(
      z.describe(
        'Robust variant: add min(‖∇‖, levenbergShift) to the diagonal of the sparsified Hessian (0 = the paper’s plain Newton).',
      ),
    ),
  cgTolerance: z
    ._default(z.union([z.literal('inexact'), z.number().check(z.positive())]), 'inexact')
    .check(
      z.describe(
        "Relative residual tolerance of each Newton system's preconditioned CG: 'inexact' = min(0.1, √‖∇‖₂) (inexact Newton), or a fixed number (1e-10 = the tight solve).",
      ),
    ),
  maxCgIterations: z
    .optional(z.int().check(z.minimum(1), z.maximum(1e7)))
    .check(z.describe('CG iteration cap per Newton step (default 2(n + m)).')),
  maxLineSearchSteps: z
    ._default(z.int().check(z.minimum(1), z.maximum(1000)), 30)
    .check(z.describe('Backtracking steps of the line search.')),
  sufficientIncrease: z
    ._default(z.number().check(z.gt(0), z.lt(1)), 1e-4)
    .check(z.describe('Armijo constant of the line search on the concave dual.')),
});
export type SnsOptions = z.input<typeof snsOptions>;

/** Extra per-phase counts of SNS. `trace.metrics` has `error`, `density`, `cgIterations` and `stepSize`. */
export interface SnsResult extends OtResult {
  /** Warm-up sweeps performed (N₁, or fewer with switchTolerance). */
  readonly sinkhornIterations: number;
  readonly newtonIterations: number;
  readonly cgIterations: number;
  /** Newton steps whose CG met pᵀMp <= 0 (breakdown; the iterate at breakdown was used). */
  readonly cgBreakdowns: number;
  /** Marginal error (in marginalNorm) after each Newton step. */
  readonly newtonErrors: readonly number[];
  /** Fraction of the entries of P kept at each Newton step. */
  readonly densities: readonly number[];
}

/** k-th largest value of `values` (quickselect on a scratch copy). */
function kthLargest(values: Float64Array, k: number, scratch: Float64Array): number {
  scratch.set(values);
  let left = 0;
  let right = scratch.length - 1;
  const target = k - 1;
  while (left < right) {
    const pivot = scratch[(left + right) >> 1];
    let i = left;
    let j = right;
    while (i <= j) {
      while (scratch[i] > pivot) i++;
      while (scratch[j] < pivot) j--;
      if (i <= j) {
        const t = scratch[i];
        scratch[i] = scratch[j];
        scratch[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) right = j;
    else if (target >= i) left = i;
    else break;
  }
  return scratch[target];
}

/**
 * Sinkhorn-Newton-Sparse (Tang, Shavlovsky, Rahmanian, Tardini, Thekumparampil, Xiao, Ying;
 * "Accelerating Sinkhorn Algorithm with Sparse Newton Iterations", ICLR 2024).
 *
 * Maximizes the concave dual L(f, g) = ⟨a, f⟩ + ⟨b, g⟩ − ε Σ_ij exp((f_i + g_j − C_ij)/ε)
 * (the paper's f(x, y) with η = 1/ε, x = f, y = g), whose gradient is ∇L = (a − P1, b − Pᵀ1) and
 * whose negative Hessian is (1/ε)[[diag(P1), P], [Pᵀ, diag(Pᵀ1)]], with null vector (1, −1).
 *
 * Stage 1 (the paper's N₁ Sinkhorn steps): stabilized Sinkhorn sweeps (POT's sinkhorn_stabilized:
 * the log-domain iterates at kernel cost; log-domain sweeps if the kernel underflows), N₁ of them or,
 * with `switchTolerance`, until the marginal error is small.
 * Stage 2 (Newton): M = Sparsify(−∇²L, ρ) keeps the ⌈λnm⌉ largest entries of P (λ = `density`
 * counts entries of P) and the diagonal from the full row and column sums (so M stays diagonally
 * dominant). The gradient is projected off the null vector before CG,
 * ĝ = (g_f − s, g_g + s), s = (Σg_f − Σg_g)/(n + m), so the right-hand side is consistent when the kept
 * entries hold all the mass and M is singular; Δ = M⁻¹ĝ by Jacobi-preconditioned CG from 0
 * (a breakdown pᵀMp <= 0, or the cap, stops CG with its smallest-residual iterate; breakdowns are
 * counted and reported as a warning), to the
 * relative tolerance `cgTolerance` ('inexact': min(0.1, √‖g‖)). The step α comes from backtracking
 * Armijo on L with the raw gradient's slope ⟨g, Δ⟩, falling back near machine precision
 * (|ΔL| <= 1e-13|L|) to accepting a step that lowers the marginal error, as the notes' probe found
 * necessary. `adaptiveDensity` follows RegOT's rule (see the option).
 *
 * @example
 * const result = sns([], [], cost, { regularization: 1 / 200, density: 5 / n });
 * result.sinkhornIterations + result.newtonIterations; // tens, where Sinkhorn needs thousands
 */
export function sns(
  aInput: WeightsInput,
  bInput: WeightsInput,
  costInput: CostInput,
  input: SnsOptions,
): SnsResult {
  const started = monotonicNow();
  const options = parseOptions('ot/sns', snsOptions, input);
  const epsilon = options.regularization;
  checkRegularization('ot/sns', epsilon);
  const { a, b, cost } = prepareProblem('ot/sns', aInput, bInput, costInput, { buffers: 4 });
  const n = a.length;
  const m = b.length;
  const nm = n * m;
  const C = cost.data;
  const warnings: SolveWarning[] = [];
  const N1 = options.sinkhornIterations;
  if (N1 === 0 && options.switchTolerance !== undefined)
    warnings.push({
      type: 'ignored-option',
      message:
        'ot/sns: `switchTolerance` has no effect with sinkhornIterations = 0 (no warm-up); it was ignored.',
    });
  const f = new Float64Array(n);
  const g = new Float64Array(m);
  let sinkhornIterations = 0;
  if (N1 > 0) {
    const warmup = (method: 'stabilized' | 'log') =>
      sinkhornParsed(
        a,
        b,
        cost,
        parseOptions('ot/sns (warm-up)', sinkhornOptions, {
          regularization: epsilon,
          method,
          maxIterations: N1,
          tolerance: options.switchTolerance ?? 0,
          marginalNorm: 'l1',
          checkEvery: options.switchTolerance === undefined ? N1 + 1 : 5,
        }),
      );
    let started1 = warmup('stabilized');
    if (started1.status === 'numerical-error') {
      warnings.push({
        type: 'fallback',
        message: `ot/sns: the stabilized warm-up underflowed at ε = ${epsilon}; the warm-up ran log-domain sweeps instead (same iterates, slower).`,
      });
      started1 = warmup('log');
    }
    sinkhornIterations = started1.iterations;
    f.set(started1.potentials.f);
    g.set(started1.potentials.g);
  }

  const P = new Float64Array(nm);
  const scratch = new Float64Array(nm);
  const rowSums = new Float64Array(n);
  const columnSums = new Float64Array(m);
  const gradient = new Float64Array(n + m);
  const projected = new Float64Array(n + m);
  const step = new Float64Array(n + m);
  const bestStep = new Float64Array(n + m);
  const trialF = new Float64Array(n);
  const trialG = new Float64Array(m);
  const cgResidual = new Float64Array(n + m);
  const cgDirection = new Float64Array(n + m);
  const cgProduct = new Float64Array(n + m);
  const cgPreconditioned = new Float64Array(n + m);
  const diagonal = new Float64Array(n + m);
  const maxCg = options.maxCgIterations ?? 2 * (n + m);
  const maxDensity = options.density ?? Math.min(1, 2 / n);
  const minDensity = 0.01 * maxDensity;
  let density = options.adaptiveDensity ? 0.1 * maxDensity : maxDensity;
  // RegOT's sparsification also keeps the first row and column of P (a star that connects the kept graph).
  const preserve = options.adaptiveDensity;

  /** Fills P, its row and column sums; returns L(f, g). */
  const evaluate = (fv: Float64Array, gv: Float64Array): number => {
    rowSums.fill(0);
    columnSums.fill(0);
    let mass = 0;
    for (let i = 0; i < n; i++) {
      const fi = fv[i];
      const o = i * m;
      let row = 0;
      for (let j = 0; j < m; j++) {
        const p = Math.exp((fi + gv[j] - C[o + j]) / epsilon);
        P[o + j] = p;
        row += p;
        columnSums[j] += p;
      }
      rowSums[i] = row;
      mass += row;
    }
    let value = -epsilon * mass;
    for (let i = 0; i < n; i++) value += a[i] * fv[i];
    for (let j = 0; j < m; j++) value += b[j] * gv[j];
    return value;
  };
  /** The stopping error of the current P (from its row and column sums). */
  const errorOf = (): number => {
    let e = 0;
    if (options.marginalNorm === 'l2') {
      for (let j = 0; j < m; j++) e += (columnSums[j] - b[j]) ** 2;
      return Math.sqrt(e);
    }
    for (let i = 0; i < n; i++) e += Math.abs(rowSums[i] - a[i]);
    for (let j = 0; j < m; j++) e += Math.abs(columnSums[j] - b[j]);
    return e;
  };
  const gradientNormOf = (): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (a[i] - rowSums[i]) ** 2;
    for (let j = 0; j < m; j++) s += (b[j] - columnSums[j]) ** 2;
    return Math.sqrt(s);
  };

  let value = evaluate(f, g);
  let error = errorOf();
  let gradientNorm = gradientNormOf();
  const initialGradientNorm = gradientNorm;
  const newtonErrors: number[] = [];
  const densities: number[] = [];
  const traceIteration: number[] = [sinkhornIterations];
  const traceError: number[] = [error];
  const traceDensity: number[] = [Number.NaN];
  const traceCg: number[] = [0];
  const traceStep: number[] = [Number.NaN];
  const traceElapsed: number[] = [monotonicNow() - started];
  let newtonIterations = 0;
  let cgIterations = 0;
  let cgBreakdowns = 0;
  let status: SolveStatus = 'max-iterations';
  let message = `reached maxNewtonIterations = ${options.maxNewtonIterations}`;
  let cgCapped = 0;
  // Sparse pattern (CSR over the kept entries of P), reused across Newton steps.
  const rowPointers = new Int32Array(n + 1);
  let columns = new Int32Array(0);
  let values = new Float64Array(0);

  const applyM = (x: Float64Array, out: Float64Array, shift: number): void => {
    // out = (1/ε)[diag(r) x_f + Ps x_g ; Psᵀ x_f + diag(c) x_g] + shift x
    for (let i = 0; i < n; i++) out[i] = (rowSums[i] / epsilon + shift) * x[i];
    for (let j = 0; j < m; j++) out[n + j] = (columnSums[j] / epsilon + shift) * x[n + j];
    for (let i = 0; i < n; i++) {
      let s = 0;
      const xi = x[i];
      for (let k = rowPointers[i]; k < rowPointers[i + 1]; k++) {
        const p = values[k] / epsilon;
        const j = columns[k];
        s += p * x[n + j];
        out[n + j] += p * xi;
      }
      out[i] += s;
    }
  };

  if (!Number.isFinite(value) || !Number.isFinite(error)) {
    status = 'numerical-error';
    message = 'the dual is not finite after the warm-up';
  }
  while (status !== 'numerical-error' && error > options.tolerance) {
    if (newtonIterations >= options.maxNewtonIterations) break;
    newtonIterations++;
    for (let i = 0; i < n; i++) gradient[i] = a[i] - rowSums[i];
    for (let j = 0; j < m; j++) gradient[n + j] = b[j] - columnSums[j];
    // Project the right-hand side off the null vector (1, −1) of the (possibly singular) M.
    let sumF = 0;
    let sumG = 0;
    for (let i = 0; i < n; i++) sumF += gradient[i];
    for (let j = 0; j < m; j++) sumG += gradient[n + j];
    const s = (sumF - sumG) / (n + m);
    for (let i = 0; i < n; i++) projected[i] = gradient[i] - s;
    for (let j = 0; j < m; j++) projected[n + j] = gradient[n + j] + s;
    let projectedNorm = 0;
    for (let k = 0; k < n + m; k++) projectedNorm += projected[k] * projected[k];
    projectedNorm = Math.sqrt(projectedNorm);
    const shift = Math.min(gradientNorm, options.levenbergShift);
    // Sparsify: keep P_ij >= ρ, ρ the ⌈λnm⌉-th largest entry.
    const keep = Math.min(nm, Math.max(1, Math.ceil(density * nm)));
    const rho = keep >= nm ? 0 : kthLargest(P, keep, scratch);
    let count = preserve ? n + m : 0;
    for (let k = 0; k < nm; k++) if (P[k] >= rho) count++;
    if (columns.length < count) {
      columns = new Int32Array(count);
      values = new Float64Array(count);
    }
    let index = 0;
    for (let i = 0; i < n; i++) {
      rowPointers[i] = index;
      for (let j = 0; j < m; j++) {
        const p = P[i * m + j];
        if (p >= rho || (preserve && (i === 0 || j === 0))) {
          columns[index] = j;
          values[index] = p;
          index++;
        }
      }
    }
    rowPointers[n] = index;
    densities.push(index / nm);
    // Preconditioned CG on M Δ = ĝ from Δ = 0.
    for (let i = 0; i < n; i++) diagonal[i] = rowSums[i] / epsilon + shift;
    for (let j = 0; j < m; j++) diagonal[n + j] = columnSums[j] / epsilon + shift;
    step.fill(0);
    cgResidual.set(projected);
    let rz = 0;
    for (let k = 0; k < n + m; k++) {
      cgPreconditioned[k] = cgResidual[k] / diagonal[k];
      rz += cgResidual[k] * cgPreconditioned[k];
    }
    cgDirection.set(cgPreconditioned);
    const relative =
      options.cgTolerance === 'inexact' ? Math.min(0.1, Math.sqrt(gradientNorm)) : options.cgTolerance;
    const target = relative * projectedNorm;
    let iterationsHere = 0;
    let brokeDown = false;
    // The iterate with the smallest residual so far: what a breakdown or the cap returns (on an
    // ill-conditioned M, rounding can make later CG iterates diverge before pᵀMp turns <= 0).
    let bestResidual = Number.POSITIVE_INFINITY;
    for (; iterationsHere < maxCg; iterationsHere++) {
      let rr = 0;
      for (let k = 0; k < n + m; k++) rr += cgResidual[k] * cgResidual[k];
      if (rr < bestResidual) {
        bestResidual = rr;
        bestStep.set(step);
      }
      if (Math.sqrt(rr) <= target) break;
      applyM(cgDirection, cgProduct, shift);
      let pAp = 0;
      for (let k = 0; k < n + m; k++) pAp += cgDirection[k] * cgProduct[k];
      if (!(pAp > 0)) {
        brokeDown = true;
        break;
      }
      const alpha = rz / pAp;
      let rzNext = 0;
      for (let k = 0; k < n + m; k++) {
        step[k] += alpha * cgDirection[k];
        cgResidual[k] -= alpha * cgProduct[k];
        cgPreconditioned[k] = cgResidual[k] / diagonal[k];
        rzNext += cgResidual[k] * cgPreconditioned[k];
      }
      const beta = rzNext / rz;
      rz = rzNext;
      for (let k = 0; k < n + m; k++) cgDirection[k] = cgPreconditioned[k] + beta * cgDirection[k];
    }
    cgIterations += iterationsHere;
    step.set(bestStep);
    if (brokeDown) cgBreakdowns++;
    if (iterationsHere >= maxCg) cgCapped++;
    // Line search on the concave dual L along Δ (ascent), slope from the raw gradient.
    let slope = 0;
    for (let k = 0; k < n + m; k++) slope += gradient[k] * step[k];
    if (!(slope > 0)) {
      // CG broke down before any progress: fall back to the Jacobi-scaled projected gradient.
      slope = 0;
      for (let k = 0; k < n + m; k++) {
        step[k] = projected[k] / diagonal[k];
        slope += gradient[k] * step[k];
      }
    }
    let alpha = 1;
    let accepted = false;
    const previousValue = value;
    const previousError = error;
    for (let t = 0; t < options.maxLineSearchSteps; t++) {
      for (let i = 0; i < n; i++) trialF[i] = f[i] + alpha * step[i];
      for (let j = 0; j < m; j++) trialG[j] = g[j] + alpha * step[n + j];
      const trialValue = evaluate(trialF, trialG);
      const trialError = errorOf();
      const flat = Math.abs(trialValue - previousValue) <= 1e-13 * Math.abs(previousValue);
      if (
        Number.isFinite(trialValue) &&
        Number.isFinite(trialError) &&
        (trialValue >= previousValue + options.sufficientIncrease * alpha * slope ||
          (flat && trialError < previousError))
      ) {
        f.set(trialF);
        g.set(trialG);
        value = trialValue;
        error = trialError;
        accepted = true;
        break;
      }
      alpha /= 2;
    }
    if (!accepted) {
      value = evaluate(f, g);
      error = errorOf();
      if (options.adaptiveDensity && density < maxDensity) {
        // Not in RegOT (whose Wolfe search always returns a step): retry with a denser Hessian.
        density = Math.min(maxDensity, density * 2);
        continue;
      }
      status = 'stalled';
      message = `the line search found no ascent after ${options.maxLineSearchSteps} halvings (marginal error ${error.toExponential(3)})`;
      break;
    }
    const previousGradientNorm = gradientNorm;
    gradientNorm = gradientNormOf();
    if (options.adaptiveDensity) {
      const badMove = previousGradientNorm < initialGradientNorm && gradientNorm > 1.1 * previousGradientNorm;
      density = Math.min(maxDensity, Math.max(minDensity, density * (badMove ? 2 : 0.9)));
    }
    newtonErrors.push(error);
    traceIteration.push(sinkhornIterations + newtonIterations);
    traceError.push(error);
    traceDensity.push(index / nm);
    traceCg.push(iterationsHere);
    traceStep.push(alpha);
    traceElapsed.push(monotonicNow() - started);
  }
  if (status !== 'numerical-error' && error <= options.tolerance) {
    status = 'converged';
    message = `marginal error (${options.marginalNorm}) ${error.toExponential(3)} <= ${options.tolerance} after ${sinkhornIterations} Sinkhorn and ${newtonIterations} Newton steps`;
  }
  if (status !== 'numerical-error' && !(allFiniteValues(P) && allFiniteValues(f) && allFiniteValues(g))) {
    status = 'numerical-error';
    message = 'the plan or potentials are not finite';
  }
  if (status === 'numerical-error')
    warnings.push({
      type: 'numerical',
      message: `ot/sns: ${message}; try a larger regularization or more warm-up sweeps.`,
    });
  if (cgCapped > 0)
    warnings.push({
      type: 'cg-cap',
      message: `ot/sns: CG hit its cap of ${maxCg} iterations in ${cgCapped} Newton steps; raise sinkhornIterations, levenbergShift or maxCgIterations.`,
    });
  if (cgBreakdowns > 0)
    warnings.push({
      type: 'cg-breakdown',
      message: `ot/sns: CG broke down (pᵀMp <= 0 on the sparsified Hessian) in ${cgBreakdowns} of ${newtonIterations} Newton steps; the CG iterate at breakdown was used. A levenbergShift > 0 or a larger density makes M definite.`,
    });
  if (status === 'max-iterations')
    warnings.push({ type: 'convergence', message: `ot/sns: did not converge: ${message}.` });
  const plan = { rows: n, cols: m, data: Float64Array.from(P) };
  return {
    plan,
    cost: linearCost(plan, cost),
    potentials: { f, g },
    iterations: sinkhornIterations + newtonIterations,
    marginalError: marginalError(plan, a, b),
    status,
    converged: status === 'converged',
    message,
    warnings,
    trace: traceOf(
      traceIteration,
      { error: traceError, density: traceDensity, cgIterations: traceCg, stepSize: traceStep },
      traceElapsed,
    ),
    method: 'ot/sns',
    sinkhornIterations,
    newtonIterations,
    cgIterations,
    cgBreakdowns,
    newtonErrors,
    densities,
  };
}

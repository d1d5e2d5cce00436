import { type DenseMatrix, parseOptions, type SolveStatus, type SolveWarning, type Vec } from '@argmin/core';
import { z } from 'zod';
import { linearCost, marginalError, type OtResult } from '../result';
import { sinkhorn } from '../sinkhorn/sinkhorn';
import { checkProblem, checkRegularization } from '../validate';

export const snsOptions = z.strictObject({
  regularization: z.number().positive().describe('Entropic regularization ε = 1/η (the paper’s η is 1/ε).'),
  sinkhornIterations: z
    .number()
    .int()
    .min(0)
    .default(20)
    .describe('Stage 1: log-domain Sinkhorn warm-up steps N₁ (paper default 20).'),
  maxNewtonIterations: z.number().int().min(1).default(200).describe('Stage 2: maximum Newton steps.'),
  tolerance: z
    .number()
    .nonnegative()
    .default(1e-9)
    .describe('Stop when ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ <= tolerance.'),
  density: z
    .number()
    .positive()
    .max(1)
    .optional()
    .describe(
      'Fraction λ of the nm entries of P kept in the sparsified Hessian; default 2/n (the paper’s λ = 2/n: about 2 entries per row).',
    ),
  adaptiveDensity: z
    .boolean()
    .default(false)
    .describe(
      'Robust variant (RegOT): double the density after a bad step, shrink it by 0.9 after a good one, within [0.01, 1]·max.',
    ),
  levenbergShift: z
    .number()
    .nonnegative()
    .default(0)
    .describe(
      'Robust variant: add min(‖∇‖, levenbergShift) to the diagonal of the sparsified Hessian (0 = the paper’s plain Newton).',
    ),
  cgTolerance: z
    .number()
    .positive()
    .default(1e-10)
    .describe('Relative residual tolerance of the preconditioned CG solve of each Newton system.'),
  maxCgIterations: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('CG iteration cap per Newton step (default 2(n + m)).'),
  maxLineSearchSteps: z.number().int().min(1).default(30).describe('Backtracking steps of the line search.'),
  sufficientIncrease: z
    .number()
    .gt(0)
    .lt(1)
    .default(1e-4)
    .describe('Armijo constant of the line search on the concave dual.'),
});
export type SnsOptions = z.input<typeof snsOptions>;

/** Extra per-phase counts of SNS. */
export interface SnsResult extends OtResult {
  readonly sinkhornIterations: number;
  readonly newtonIterations: number;
  readonly cgIterations: number;
  /** Marginal error after each Newton step. */
  readonly newtonErrors: readonly number[];
  /** Fraction of entries kept at each Newton step. */
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
 * (the paper's f(x, y) with η = 1/ε), whose gradient is (a − P1, b − Pᵀ1) and whose negative
 * Hessian is (1/ε)[[diag(P1), P], [Pᵀ, diag(Pᵀ1)]].
 * Stage 1: N₁ log-domain Sinkhorn steps. Stage 2: Newton steps z ← z + α Δz with
 * Δz = M⁻¹ ∇L, M the negative Hessian with P sparsified to its ⌈λnm⌉ largest entries (the diagonal
 * keeps the full row and column sums, so M stays diagonally dominant), solved by Jacobi-preconditioned
 * CG (the system is singular with null vector (1, −1) and consistent); α from backtracking on L,
 * falling back near machine precision (|ΔL| <= 1e-13|L|) to accepting a step that lowers the
 * marginal error, as the notes' probe found necessary.
 *
 * @example
 * const result = sns(a, b, cost, { regularization: 0.005 });
 * result.sinkhornIterations + result.newtonIterations; // tens, where Sinkhorn needs thousands
 */
export function sns(a: Vec, b: Vec, cost: DenseMatrix, input: SnsOptions): SnsResult {
  const options = parseOptions('ot/sns', snsOptions, input);
  const epsilon = options.regularization;
  checkRegularization('ot/sns', epsilon);
  checkProblem('ot/sns', a, b, cost);
  const n = a.length;
  const m = b.length;
  const nm = n * m;
  const C = cost.data;
  const warnings: SolveWarning[] = [];
  const started = sinkhorn(a, b, cost, {
    regularization: epsilon,
    method: 'log',
    maxIterations: Math.max(1, options.sinkhornIterations),
    tolerance: 0,
    checkEvery: options.sinkhornIterations + 1,
  });
  const sinkhornIterations = options.sinkhornIterations === 0 ? 0 : started.iterations;
  const f = options.sinkhornIterations === 0 ? new Float64Array(n) : Float64Array.from(started.potentials.f);
  const g = options.sinkhornIterations === 0 ? new Float64Array(m) : Float64Array.from(started.potentials.g);

  const P = new Float64Array(nm);
  const scratch = new Float64Array(nm);
  const rowSums = new Float64Array(n);
  const columnSums = new Float64Array(m);
  const gradient = new Float64Array(n + m);
  const step = new Float64Array(n + m);
  const trialF = new Float64Array(n);
  const trialG = new Float64Array(m);
  const cgResidual = new Float64Array(n + m);
  const cgDirection = new Float64Array(n + m);
  const cgProduct = new Float64Array(n + m);
  const cgPreconditioned = new Float64Array(n + m);
  const diagonal = new Float64Array(n + m);
  const maxCg = options.maxCgIterations ?? 2 * (n + m);
  const maxDensity = 1;
  let density = options.density ?? Math.min(1, 2 / n);

  /** Fills P, its row and column sums; returns L(f, g). */
  const evaluate = (fv: Vec, gv: Vec): number => {
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
  const errorOf = (): number => {
    let e = 0;
    for (let i = 0; i < n; i++) e += Math.abs(rowSums[i] - a[i]);
    for (let j = 0; j < m; j++) e += Math.abs(columnSums[j] - b[j]);
    return e;
  };

  let value = evaluate(f, g);
  let error = errorOf();
  const newtonErrors: number[] = [];
  const densities: number[] = [];
  const trace = { iteration: [sinkhornIterations] as number[], error: [error] as number[] };
  let newtonIterations = 0;
  let cgIterations = 0;
  let status: SolveStatus = 'max-iterations';
  let message = `reached maxNewtonIterations = ${options.maxNewtonIterations}`;
  let cgCapped = 0;
  // Sparse pattern (CSR over the kept entries of P), reused across Newton steps.
  let rowPointers = new Int32Array(n + 1);
  let columns = new Int32Array(0);
  let values = new Float64Array(0);

  const applyM = (x: Vec, out: Vec, shift: number): void => {
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

  while (error > options.tolerance) {
    if (newtonIterations >= options.maxNewtonIterations) break;
    newtonIterations++;
    for (let i = 0; i < n; i++) gradient[i] = a[i] - rowSums[i];
    for (let j = 0; j < m; j++) gradient[n + j] = b[j] - columnSums[j];
    let gradientNorm = 0;
    for (let k = 0; k < n + m; k++) gradientNorm += gradient[k] * gradient[k];
    gradientNorm = Math.sqrt(gradientNorm);
    const shift = Math.min(gradientNorm, options.levenbergShift);
    // Sparsify: keep P_ij >= ρ, ρ the ⌈λnm⌉-th largest entry.
    const keep = Math.min(nm, Math.max(1, Math.ceil(density * nm)));
    const rho = keep >= nm ? 0 : kthLargest(P, keep, scratch);
    let count = 0;
    for (let k = 0; k < nm; k++) if (P[k] >= rho) count++;
    if (columns.length < count) {
      columns = new Int32Array(count);
      values = new Float64Array(count);
    }
    if (rowPointers.length !== n + 1) rowPointers = new Int32Array(n + 1);
    let index = 0;
    for (let i = 0; i < n; i++) {
      rowPointers[i] = index;
      for (let j = 0; j < m; j++) {
        const p = P[i * m + j];
        if (p >= rho) {
          columns[index] = j;
          values[index] = p;
          index++;
        }
      }
    }
    rowPointers[n] = index;
    densities.push(index / nm);
    // Preconditioned CG on M Δ = ∇L from Δ = 0.
    for (let i = 0; i < n; i++) diagonal[i] = rowSums[i] / epsilon + shift;
    for (let j = 0; j < m; j++) diagonal[n + j] = columnSums[j] / epsilon + shift;
    step.fill(0);
    cgResidual.set(gradient);
    let rz = 0;
    for (let k = 0; k < n + m; k++) {
      cgPreconditioned[k] = cgResidual[k] / diagonal[k];
      rz += cgResidual[k] * cgPreconditioned[k];
    }
    cgDirection.set(cgPreconditioned);
    const target = options.cgTolerance * gradientNorm;
    let iterationsHere = 0;
    for (; iterationsHere < maxCg; iterationsHere++) {
      let rr = 0;
      for (let k = 0; k < n + m; k++) rr += cgResidual[k] * cgResidual[k];
      if (Math.sqrt(rr) <= target) break;
      applyM(cgDirection, cgProduct, shift);
      let pAp = 0;
      for (let k = 0; k < n + m; k++) pAp += cgDirection[k] * cgProduct[k];
      if (!(pAp > 0)) break;
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
    if (iterationsHere >= maxCg) cgCapped++;
    // Line search on the concave dual L along Δ (ascent), with the near-machine-precision fallback.
    let slope = 0;
    for (let k = 0; k < n + m; k++) slope += gradient[k] * step[k];
    let alpha = 1;
    let accepted = false;
    const previousValue = value;
    const previousError = error;
    for (let s = 0; s < options.maxLineSearchSteps; s++) {
      for (let i = 0; i < n; i++) trialF[i] = f[i] + alpha * step[i];
      for (let j = 0; j < m; j++) trialG[j] = g[j] + alpha * step[n + j];
      const trialValue = evaluate(trialF, trialG);
      const trialError = errorOf();
      const flat = Math.abs(trialValue - previousValue) <= 1e-13 * Math.abs(previousValue);
      if (
        Number.isFinite(trialValue) &&
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
        density = Math.min(maxDensity, density * 2);
        continue;
      }
      status = 'stalled';
      message = `the line search found no ascent after ${options.maxLineSearchSteps} halvings (marginal error ${error.toExponential(3)})`;
      break;
    }
    if (options.adaptiveDensity)
      density = Math.max(0.01 * maxDensity, Math.min(maxDensity, alpha < 1 ? density * 2 : density * 0.9));
    newtonErrors.push(error);
    trace.iteration.push(sinkhornIterations + newtonIterations);
    trace.error.push(error);
  }
  if (error <= options.tolerance) {
    status = 'converged';
    message = `marginal error ${error.toExponential(3)} <= ${options.tolerance} after ${sinkhornIterations} Sinkhorn and ${newtonIterations} Newton steps`;
  }
  if (cgCapped > 0)
    warnings.push({
      type: 'cg-cap',
      message: `ot/sns: CG hit its cap of ${maxCg} iterations in ${cgCapped} Newton steps; raise sinkhornIterations, levenbergShift or maxCgIterations.`,
    });
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
    trace,
    method: 'ot/sns',
    sinkhornIterations,
    newtonIterations,
    cgIterations,
    newtonErrors,
    densities,
  };
}

import {
  type DenseMatrix,
  InvalidArgumentError,
  parseOptions,
  type SolveStatus,
  type SolveWarning,
  traceOf,
  type Vec,
} from '@argmin/core';
import * as z from 'zod/mini';
import { monotonicNow } from '../internal/clock';
import { allFiniteValues, linearCost, marginalError, type OtResult } from '../result';
import {
  type CostInput,
  checkFinite,
  checkRegularization,
  prepareProblem,
  toCost,
  toWeights,
  type WeightsInput,
} from '../validate';

export const sinkhornMethods = ['standard', 'log', 'stabilized', 'epsilon-scaling'] as const;
export type SinkhornMethod = (typeof sinkhornMethods)[number];

export const sinkhornOptions = z.strictObject({
  regularization: z
    .number()
    .check(z.positive())
    .check(z.describe('Entropic regularization ε > 0 (POT `reg`; no default, as in POT).')),
  method: z
    ._default(z.enum(sinkhornMethods), 'standard')
    .check(
      z.describe(
        "'standard' (POT sinkhorn_knopp), 'log' (sinkhorn_log), 'stabilized' (sinkhorn_stabilized), 'epsilon-scaling' (sinkhorn_epsilon_scaling).",
      ),
    ),
  maxIterations: z
    .optional(z.int().check(z.minimum(1)))
    .check(z.describe('POT `numItermax`: 1000, except 100 outer steps for epsilon-scaling.')),
  tolerance: z
    ._default(z.number().check(z.nonnegative()), 1e-9)
    .check(z.describe('POT `stopThr` on the marginal error (see the method for the norm).')),
  checkEvery: z
    .optional(z.int().check(z.minimum(1)))
    .check(
      z.describe(
        'Check the error every k iterations: POT uses 10 (20 for stabilized, 10 outer steps for epsilon-scaling).',
      ),
    ),
  warmStart: z
    .optional(
      z.strictObject({
        f: z.custom<ArrayLike<number>>(isNumberArrayLike, 'expected a Float64Array or number[]'),
        g: z.custom<ArrayLike<number>>(isNumberArrayLike, 'expected a Float64Array or number[]'),
      }),
    )
    .check(
      z.describe(
        'Initial dual potentials (f, g), e.g. result.potentials of a previous solve (POT `warmstart` = (f/ε, g/ε)).',
      ),
    ),
  marginalNorm: z
    ._default(z.enum(['l2', 'l1']), 'l2')
    .check(
      z.describe(
        "Stopping error of every method: 'l2' = POT's (‖Pᵀ1 − b‖₂; epsilon-scaling: ‖Pᵀ1 − b‖₂² + ‖P1 − a‖₂²), 'l1' = ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ (the marginalError reported).",
      ),
    ),
  absorbThreshold: z
    ._default(z.number().check(z.positive()), 1e3)
    .check(
      z.describe(
        'stabilized/epsilon-scaling: absorb scalings into the potentials when max|u|, |v| > τ (POT `tau`).',
      ),
    ),
  initialRegularization: z
    ._default(z.number().check(z.positive()), 1e4)
    .check(z.describe('epsilon-scaling: ε₀ of the schedule ε_k = (ε₀ − ε)e^{−k} + ε (POT `epsilon0`).')),
  innerIterations: z
    ._default(z.int().check(z.minimum(1)), 100)
    .check(z.describe('epsilon-scaling: stabilized iterations per outer step (POT `numInnerItermax`).')),
});
export type SinkhornOptions = z.input<typeof sinkhornOptions>;

function isNumberArrayLike(value: unknown): boolean {
  return (
    value instanceof Float64Array ||
    (Array.isArray(value) && value.every((x) => typeof x === 'number')) ||
    (ArrayBuffer.isView(value) && !(value instanceof DataView))
  );
}

/** Checkpoints of a run: iteration, stopping error and elapsed time since the call. */
class Recorder {
  readonly iteration: number[] = [];
  readonly error: number[] = [];
  readonly elapsedMs: number[] = [];
  constructor(private readonly started: number) {}
  push(iteration: number, error: number): void {
    this.iteration.push(iteration);
    this.error.push(error);
    this.elapsedMs.push(monotonicNow() - this.started);
  }
}

/** K = exp(−C/ε) (or exp(−(C − α − β)/ε) with absorbed potentials). */
function kernel(
  cost: DenseMatrix,
  epsilon: number,
  alpha: Vec | undefined,
  beta: Vec | undefined,
  out: Float64Array,
): Float64Array {
  const { rows: n, cols: m, data } = cost;
  for (let i = 0; i < n; i++) {
    const ai = alpha ? alpha[i] : 0;
    for (let j = 0; j < m; j++)
      out[i * m + j] = Math.exp(-(data[i * m + j] - ai - (beta ? beta[j] : 0)) / epsilon);
  }
  return out;
}

/** out_j = Σ_i K_ij u_i (four rows per pass, so `out` is read and written n/4 times instead of n). */
function kernelTransposeTimes(K: Float64Array, n: number, m: number, u: Vec, out: Vec): Vec {
  out.fill(0);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const u0 = u[i];
    const u1 = u[i + 1];
    const u2 = u[i + 2];
    const u3 = u[i + 3];
    const o0 = i * m;
    const o1 = o0 + m;
    const o2 = o1 + m;
    const o3 = o2 + m;
    for (let j = 0; j < m; j++) out[j] += K[o0 + j] * u0 + K[o1 + j] * u1 + K[o2 + j] * u2 + K[o3 + j] * u3;
  }
  for (; i < n; i++) {
    const ui = u[i];
    const o = i * m;
    for (let j = 0; j < m; j++) out[j] += K[o + j] * ui;
  }
  return out;
}

/** out_i = Σ_j K_ij v_j (four accumulators). */
function kernelTimes(K: Float64Array, n: number, m: number, v: Vec, out: Vec): Vec {
  const end = m - (m % 4);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < end; j += 4) {
      s0 += K[o + j] * v[j];
      s1 += K[o + j + 1] * v[j + 1];
      s2 += K[o + j + 2] * v[j + 2];
      s3 += K[o + j + 3] * v[j + 3];
    }
    for (let j = end; j < m; j++) s0 += K[o + j] * v[j];
    out[i] = s0 + s1 + (s2 + s3);
  }
  return out;
}

const finite = (x: Vec) => {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false;
  return true;
};

function planFromScalings(K: Float64Array, n: number, m: number, u: Vec, v: Vec): DenseMatrix {
  const data = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) data[i * m + j] = u[i] * K[i * m + j] * v[j];
  return { rows: n, cols: m, data };
}

/** ‖Pᵀ1 − b‖₂ with P = diag(u) K diag(v) (POT's error for sinkhorn_knopp). */
function columnError(K: Float64Array, n: number, m: number, u: Vec, v: Vec, b: Vec, scratch: Vec): number {
  kernelTransposeTimes(K, n, m, u, scratch);
  let s = 0;
  for (let j = 0; j < m; j++) s += (scratch[j] * v[j] - b[j]) ** 2;
  return Math.sqrt(s);
}

/** ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ with P = diag(u) K diag(v). */
function l1Error(
  K: Float64Array,
  n: number,
  m: number,
  u: Vec,
  v: Vec,
  a: Vec,
  b: Vec,
  scratchM: Vec,
  scratchN: Vec,
): number {
  kernelTransposeTimes(K, n, m, u, scratchM);
  kernelTimes(K, n, m, v, scratchN);
  let s = 0;
  for (let j = 0; j < m; j++) s += Math.abs(scratchM[j] * v[j] - b[j]);
  for (let i = 0; i < n; i++) s += Math.abs(u[i] * scratchN[i] - a[i]);
  return s;
}

interface Outcome {
  plan: DenseMatrix;
  f: Vec;
  g: Vec;
  iterations: number;
  status: SolveStatus;
  message: string;
  trace: Recorder;
}

/** Shared settings of one run. */
interface RunSettings {
  readonly epsilon: number;
  readonly maxIterations: number;
  readonly tolerance: number;
  readonly checkEvery: number;
  readonly norm: 'l1' | 'l2';
  readonly warm: { f: Float64Array; g: Float64Array } | undefined;
  readonly warnings: SolveWarning[];
  readonly started: number;
}

function standard(a: Vec, b: Vec, cost: DenseMatrix, s: RunSettings): Outcome {
  const { epsilon, maxIterations, tolerance, checkEvery, norm, warm, warnings } = s;
  const { rows: n, cols: m } = cost;
  const K = kernel(cost, epsilon, undefined, undefined, new Float64Array(n * m));
  const u = new Float64Array(n);
  const v = new Float64Array(m);
  for (let i = 0; i < n; i++) u[i] = warm ? Math.exp(warm.f[i] / epsilon) : 1 / n;
  for (let j = 0; j < m; j++) v[j] = warm ? Math.exp(warm.g[j] / epsilon) : 1 / m;
  const uPrevious = new Float64Array(n);
  const vPrevious = new Float64Array(m);
  const Ktu = new Float64Array(m);
  const Kv = new Float64Array(n);
  const scratch = new Float64Array(m);
  const trace = new Recorder(s.started);
  let status: SolveStatus = 'max-iterations';
  let message = `reached maxIterations = ${maxIterations}`;
  let iterations = 0;
  if (!finite(u) || !finite(v)) {
    // exp(f/ε) of the warm start overflows: nothing finite to scale from.
    u.fill(1 / n);
    v.fill(1 / m);
    status = 'numerical-error';
    message = `the warm start overflows the scalings exp(f/ε) at ε = ${epsilon}; returning the uniform scalings`;
    warnings.push({
      type: 'numerical',
      message: `ot/sinkhorn: ${message}. Use method: 'log' or 'stabilized'.`,
    });
    return {
      plan: planFromScalings(K, n, m, u, v),
      ...potentialsOf(u, v, epsilon),
      iterations,
      status,
      message,
      trace,
    };
  }
  for (let ii = 0; ii < maxIterations; ii++) {
    uPrevious.set(u);
    vPrevious.set(v);
    kernelTransposeTimes(K, n, m, u, Ktu);
    let zero = false;
    for (let j = 0; j < m; j++) {
      if (Ktu[j] === 0) zero = true;
      v[j] = b[j] / Ktu[j];
    }
    kernelTimes(K, n, m, v, Kv);
    for (let i = 0; i < n; i++) u[i] = 1 / (Kv[i] / a[i]);
    iterations = ii + 1;
    if (zero || !finite(u) || !finite(v)) {
      u.set(uPrevious);
      v.set(vPrevious);
      status = 'numerical-error';
      message = `numerical errors at iteration ${ii} (the kernel exp(−C/ε) underflows at ε = ${epsilon}); returning the last finite scalings`;
      warnings.push({
        type: 'numerical',
        message: `ot/sinkhorn: ${message}. Use method: 'log' or 'stabilized', or a larger regularization.`,
      });
      break;
    }
    if (ii % checkEvery === 0) {
      const error =
        norm === 'l2' ? columnError(K, n, m, u, v, b, scratch) : l1Error(K, n, m, u, v, a, b, scratch, Kv);
      trace.push(ii + 1, error);
      if (error < tolerance) {
        status = 'converged';
        message = `marginal error (${norm}) ${error.toExponential(3)} < ${tolerance}`;
        break;
      }
    }
  }
  return {
    plan: planFromScalings(K, n, m, u, v),
    ...potentialsOf(u, v, epsilon),
    iterations,
    status,
    message,
    trace,
  };
}

function potentialsOf(u: Vec, v: Vec, epsilon: number): { f: Float64Array; g: Float64Array } {
  return {
    f: Float64Array.from(u, (x) => epsilon * Math.log(x)),
    g: Float64Array.from(v, (x) => epsilon * Math.log(x)),
  };
}

/** log Σ_j exp(z_j) over a strided set, stable. */
function logSumExpRows(Mr: Float64Array, n: number, m: number, add: Vec, out: Vec): void {
  // out_i = logsumexp_j (Mr_ij + add_j)
  for (let i = 0; i < n; i++) {
    const o = i * m;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < m; j++) {
      const z = Mr[o + j] + add[j];
      if (z > max) max = z;
    }
    let s = 0;
    for (let j = 0; j < m; j++) s += Math.exp(Mr[o + j] + add[j] - max);
    out[i] = max + Math.log(s);
  }
}

function logSumExpColumns(Mr: Float64Array, n: number, m: number, add: Vec, maxBuffer: Vec, out: Vec): void {
  // out_j = logsumexp_i (Mr_ij + add_i), row-major friendly: a max pass then a sum pass.
  maxBuffer.fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    const ai = add[i];
    for (let j = 0; j < m; j++) {
      const z = Mr[o + j] + ai;
      if (z > maxBuffer[j]) maxBuffer[j] = z;
    }
  }
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    const ai = add[i];
    for (let j = 0; j < m; j++) out[j] += Math.exp(Mr[o + j] + ai - maxBuffer[j]);
  }
  for (let j = 0; j < m; j++) out[j] = maxBuffer[j] + Math.log(out[j]);
}

function logDomain(a: Vec, b: Vec, cost: DenseMatrix, s: RunSettings): Outcome {
  const { epsilon, maxIterations, tolerance, checkEvery, norm, warm, warnings } = s;
  const { rows: n, cols: m } = cost;
  const Mr = Float64Array.from(cost.data, (c) => -c / epsilon);
  const logA = Float64Array.from(a, Math.log);
  const logB = Float64Array.from(b, Math.log);
  const u = new Float64Array(n);
  const v = new Float64Array(m);
  if (warm) {
    for (let i = 0; i < n; i++) u[i] = warm.f[i] / epsilon;
    for (let j = 0; j < m; j++) v[j] = warm.g[j] / epsilon;
  }
  const uPrevious = new Float64Array(n);
  const vPrevious = new Float64Array(m);
  const lse = new Float64Array(Math.max(n, m));
  const maxBuffer = new Float64Array(m);
  const columnSums = new Float64Array(m);
  const trace = new Recorder(s.started);
  let status: SolveStatus = 'max-iterations';
  let message = `reached maxIterations = ${maxIterations}`;
  let iterations = 0;
  for (let ii = 0; ii < maxIterations; ii++) {
    uPrevious.set(u);
    vPrevious.set(v);
    logSumExpColumns(Mr, n, m, u, maxBuffer, lse);
    for (let j = 0; j < m; j++) v[j] = logB[j] - lse[j];
    logSumExpRows(Mr, n, m, v, lse);
    for (let i = 0; i < n; i++) u[i] = logA[i] - lse[i];
    iterations = ii + 1;
    if (!finite(u) || !finite(v)) {
      u.set(uPrevious);
      v.set(vPrevious);
      status = 'numerical-error';
      message = `numerical errors at iteration ${ii} (non-finite log-scalings); returning the last finite potentials`;
      warnings.push({ type: 'numerical', message: `ot/sinkhorn (log): ${message}.` });
      break;
    }
    if (ii % checkEvery === 0) {
      columnSums.fill(0);
      let rowError = 0;
      for (let i = 0; i < n; i++) {
        let row = 0;
        for (let j = 0; j < m; j++) {
          const p = Math.exp(Mr[i * m + j] + u[i] + v[j]);
          columnSums[j] += p;
          row += p;
        }
        rowError += Math.abs(row - a[i]);
      }
      let error = 0;
      if (norm === 'l2') {
        for (let j = 0; j < m; j++) error += (columnSums[j] - b[j]) ** 2;
        error = Math.sqrt(error);
      } else {
        for (let j = 0; j < m; j++) error += Math.abs(columnSums[j] - b[j]);
        error += rowError;
      }
      trace.push(ii + 1, error);
      if (error < tolerance) {
        status = 'converged';
        message = `marginal error (${norm}) ${error.toExponential(3)} < ${tolerance}`;
        break;
      }
    }
  }
  const data = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) data[i * m + j] = Math.exp(Mr[i * m + j] + u[i] + v[j]);
  return {
    plan: { rows: n, cols: m, data },
    f: Float64Array.from(u, (x) => epsilon * x),
    g: Float64Array.from(v, (x) => epsilon * x),
    iterations,
    status,
    message,
    trace,
  };
}

/**
 * POT's sinkhorn_stabilized (Schmitzer 2019, "Stabilized sparse scaling algorithms"): Sinkhorn
 * scalings (u, v) on the kernel of C − α − β; when max|u| or max|v| exceeds τ, ε log u and ε log v
 * are absorbed into the potentials α, β and the scalings reset to uniform. The stopping error (in
 * `norm`) is recomputed every `checkEvery` (20) iterations and tested every iteration, as in POT.
 */
function stabilized(a: Vec, b: Vec, cost: DenseMatrix, s: RunSettings, tau: number): Outcome {
  const { epsilon, maxIterations, tolerance, checkEvery, norm, warm, warnings } = s;
  const { rows: n, cols: m } = cost;
  const alpha = warm ? Float64Array.from(warm.f) : new Float64Array(n);
  const beta = warm ? Float64Array.from(warm.g) : new Float64Array(m);
  const u = new Float64Array(n).fill(1 / n);
  const v = new Float64Array(m).fill(1 / m);
  const uPrevious = new Float64Array(n);
  const vPrevious = new Float64Array(m);
  const K = kernel(cost, epsilon, alpha, beta, new Float64Array(n * m));
  const Ktu = new Float64Array(m);
  const Kv = new Float64Array(n);
  const columns = new Float64Array(m);
  const trace = new Recorder(s.started);
  let status: SolveStatus = 'max-iterations';
  let message = `reached maxIterations = ${maxIterations}`;
  let error = Number.POSITIVE_INFINITY;
  let iterations = 0;
  // Right after an absorption the scalings are reset to 1/n, 1/m (as POT does) for the next sweep,
  // but the current plan is exp((α + β − C)/ε): the potentials hold everything. POT's get_Gamma would
  // use the reset scalings there and return a plan of mass 1/(nm) (marginal error ~2) when the run
  // ends, or is checked, right after an absorption; we use u = v = 1 for the plan, the error check
  // and the returned potentials in that state, so they are the iterate's own.
  let absorbed = false;
  /** Fills `columns` with Pᵀ1 (and `out` with P); returns ‖P1 − a‖₁, as POT's get_Gamma. */
  const logV = new Float64Array(m);
  const gamma = (out: Float64Array | undefined): number => {
    columns.fill(0);
    for (let j = 0; j < m; j++) logV[j] = absorbed ? 0 : Math.log(v[j]); // once per column, not per entry
    let rowError = 0;
    for (let i = 0; i < n; i++) {
      const lu = absorbed ? 0 : Math.log(u[i]);
      const ai = alpha[i];
      let row = 0;
      for (let j = 0; j < m; j++) {
        const p = Math.exp(-(cost.data[i * m + j] - ai - beta[j]) / epsilon + lu + logV[j]);
        columns[j] += p;
        row += p;
        if (out) out[i * m + j] = p;
      }
      rowError += Math.abs(row - a[i]);
    }
    return rowError;
  };
  for (let ii = 0; ii < maxIterations; ii++) {
    uPrevious.set(u);
    vPrevious.set(v);
    const absorbedBefore = absorbed;
    absorbed = false;
    kernelTransposeTimes(K, n, m, u, Ktu);
    for (let j = 0; j < m; j++) v[j] = b[j] / Ktu[j];
    kernelTimes(K, n, m, v, Kv);
    for (let i = 0; i < n; i++) u[i] = a[i] / Kv[i];
    iterations = ii + 1;
    if (!finite(u) || !finite(v)) {
      u.set(uPrevious);
      v.set(vPrevious);
      absorbed = absorbedBefore;
      iterations = ii;
      status = 'numerical-error';
      message = `numerical errors at iteration ${ii} (the kernel of C − α − β underflows at ε = ${epsilon}); returning the last finite iterate`;
      warnings.push({
        type: 'numerical',
        message: `ot/sinkhorn (stabilized): ${message}. Use method: 'log'.`,
      });
      break;
    }
    let largest = 0;
    for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(u[i]));
    for (let j = 0; j < m; j++) largest = Math.max(largest, Math.abs(v[j]));
    if (largest > tau) {
      for (let i = 0; i < n; i++) alpha[i] += epsilon * Math.log(u[i]);
      for (let j = 0; j < m; j++) beta[j] += epsilon * Math.log(v[j]);
      u.fill(1 / n);
      v.fill(1 / m);
      absorbed = true;
      kernel(cost, epsilon, alpha, beta, K);
    }
    if (ii % checkEvery === 0) {
      const rowError = gamma(undefined);
      error = 0;
      if (norm === 'l2') {
        for (let j = 0; j < m; j++) error += (columns[j] - b[j]) ** 2;
        error = Math.sqrt(error);
      } else {
        for (let j = 0; j < m; j++) error += Math.abs(columns[j] - b[j]);
        error += rowError;
      }
      trace.push(ii + 1, error);
    }
    if (error <= tolerance) {
      status = 'converged';
      message = `marginal error (${norm}) ${error.toExponential(3)} <= ${tolerance}`;
      break;
    }
  }
  const data = new Float64Array(n * m);
  gamma(data);
  const f = Float64Array.from(alpha, (x, i) => (absorbed ? x : x + epsilon * Math.log(u[i])));
  const g = Float64Array.from(beta, (x, j) => (absorbed ? x : x + epsilon * Math.log(v[j])));
  return { plan: { rows: n, cols: m, data }, f, g, iterations, status, message, trace };
}

/**
 * POT's sinkhorn_epsilon_scaling: stabilized Sinkhorn at ε_k = (ε₀ − ε)e^{−k} + ε, warm-started
 * from the previous potentials, at least 35 outer steps; error (norm 'l2', POT's)
 * ‖Pᵀ1 − b‖₂² + ‖P1 − a‖₂² every `checkEvery` outer steps, or ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ (norm 'l1').
 * Unlike POT (whose inner solves hard-code stopThr = 1e-9, POT#421), `tolerance` and the norm reach
 * the inner solves.
 */
function epsilonScaling(
  a: Vec,
  b: Vec,
  cost: DenseMatrix,
  s: RunSettings,
  tau: number,
  epsilon0: number,
  inner: number,
): Outcome {
  const { epsilon, maxIterations: maxOuter, tolerance, checkEvery, norm, warm } = s;
  const minimumOuter = 35;
  const outerLimit = Math.max(minimumOuter, maxOuter);
  let potentials: { f: Float64Array; g: Float64Array } = warm
    ? { f: Float64Array.from(warm.f), g: Float64Array.from(warm.g) }
    : { f: new Float64Array(a.length), g: new Float64Array(b.length) };
  let outcome: Outcome | undefined;
  let error = Number.POSITIVE_INFINITY;
  let total = 0;
  let outer = 0;
  const trace = new Recorder(s.started);
  for (let ii = 0; ii < outerLimit; ii++) {
    const epsilonK = (epsilon0 - epsilon) * Math.exp(-ii) + epsilon;
    outcome = stabilized(
      a,
      b,
      cost,
      { ...s, epsilon: epsilonK, maxIterations: inner, checkEvery: 20, warm: potentials },
      tau,
    );
    total += outcome.iterations;
    outer = ii + 1;
    potentials = { f: outcome.f as Float64Array, g: outcome.g as Float64Array };
    if (outcome.status === 'numerical-error') break;
    if (ii % checkEvery === 0) {
      const { plan } = outcome;
      const rows = new Float64Array(a.length);
      const columns = new Float64Array(b.length);
      for (let i = 0; i < plan.rows; i++) {
        for (let j = 0; j < plan.cols; j++) {
          rows[i] += plan.data[i * plan.cols + j];
          columns[j] += plan.data[i * plan.cols + j];
        }
      }
      error = 0;
      if (norm === 'l2') {
        for (let j = 0; j < b.length; j++) error += (columns[j] - b[j]) ** 2;
        for (let i = 0; i < a.length; i++) error += (rows[i] - a[i]) ** 2;
      } else {
        for (let j = 0; j < b.length; j++) error += Math.abs(columns[j] - b[j]);
        for (let i = 0; i < a.length; i++) error += Math.abs(rows[i] - a[i]);
      }
      trace.push(total, error);
    }
    if (error <= tolerance && ii > minimumOuter) break;
  }
  const result = outcome as Outcome;
  const converged = error <= tolerance && result.status !== 'numerical-error';
  return {
    ...result,
    iterations: total,
    status:
      result.status === 'numerical-error' ? 'numerical-error' : converged ? 'converged' : 'max-iterations',
    message:
      result.status === 'numerical-error'
        ? `${result.message} (outer step ${outer})`
        : converged
          ? `marginal error (${norm}) ${error.toExponential(3)} <= ${tolerance} after ${outer} outer steps (${total} Sinkhorn iterations)`
          : `reached ${outer} outer steps`,
    trace,
  };
}

/**
 * Entropic optimal transport by Sinkhorn's algorithm (Cuturi, "Sinkhorn Distances", NeurIPS 2013),
 * with POT's four variants and stopping rules:
 *
 * min_P ⟨P, C⟩ − ε H(P) s.t. P1 = a, Pᵀ1 = b; P = diag(u) K diag(v), K = exp(−C/ε),
 * v ← b / Kᵀu, u ← a / K v ('standard' = ot.sinkhorn(method='sinkhorn'); 'log' iterates the
 * log-scalings with log-sum-exp; 'stabilized' absorbs large scalings into the potentials;
 * 'epsilon-scaling' anneals ε from ε₀). Every method stops on `tolerance` in the `marginalNorm`
 * chosen ('l2': POT's ‖Pᵀ1 − b‖₂, checked every `checkEvery` iterations (10; 20 for stabilized;
 * epsilon-scaling: ‖P1 − a‖² + ‖Pᵀ1 − b‖²); 'l1': ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ for every method).
 * Numerical trouble (underflow in 'standard', a non-finite scaling anywhere) is a status
 * ('numerical-error') with a warning and the last finite plan and potentials; never a silent NaN.
 * `iterations` counts sweeps (POT's niter + 1).
 *
 * Weights may be Float64Arrays (used as is), `number[]` or any ArrayLike (copied once), or `[]` for
 * uniform weights (POT's convention); the cost a `DenseMatrix` or a `number[][]` (copied once).
 *
 * @example
 * const result = sinkhorn([], [], squaredEuclideanCost(X, Y), { regularization: 0.05 });
 * result.cost; // ⟨P, C⟩, POT's ot.sinkhorn2
 */
export function sinkhorn(
  a: WeightsInput,
  b: WeightsInput,
  cost: CostInput,
  input: SinkhornOptions,
): OtResult {
  const options = parseOptions('ot/sinkhorn', sinkhornOptions, input);
  checkRegularization('ot/sinkhorn', options.regularization);
  const problem = prepareProblem('ot/sinkhorn', a, b, cost, { buffers: 2 });
  // Options valid in themselves but without effect for the chosen method: a warning on the result.
  // (A value equal to the default counts as not given, so plugins, which pass parsed options, stay quiet.)
  const defaults: Record<string, unknown> = {
    absorbThreshold: 1e3,
    initialRegularization: 1e4,
    innerIterations: 100,
  };
  const given = (key: string) => {
    const value = (input as Record<string, unknown>)[key];
    return value !== undefined && value !== defaults[key];
  };
  const ignored = [
    ...(options.method === 'standard' || options.method === 'log' ? ['absorbThreshold'].filter(given) : []),
    ...(options.method !== 'epsilon-scaling'
      ? ['initialRegularization', 'innerIterations'].filter(given)
      : []),
  ];
  const notes: SolveWarning[] = ignored.map((key) => ({
    type: 'ignored-option',
    message: `ot/sinkhorn: \`${key}\` has no effect with method '${options.method}' (${key === 'absorbThreshold' ? "only 'stabilized' and 'epsilon-scaling' absorb" : "only 'epsilon-scaling' anneals ε"}); it was ignored.`,
  }));
  return sinkhornParsed(problem.a, problem.b, problem.cost, options, notes);
}

/** `sinkhorn` on an already validated problem and parsed options (shared with SNS's warm-up). */
export function sinkhornParsed(
  a: Float64Array,
  b: Float64Array,
  cost: DenseMatrix,
  options: z.output<typeof sinkhornOptions>,
  notes: readonly SolveWarning[] = [],
): OtResult {
  const started = monotonicNow();
  let warm: { f: Float64Array; g: Float64Array } | undefined;
  if (options.warmStart) {
    const f = Float64Array.from(options.warmStart.f, Number);
    const g = Float64Array.from(options.warmStart.g, Number);
    if (f.length !== a.length || g.length !== b.length) {
      throw new InvalidArgumentError({
        argument: 'warmStart',
        value: [f.length, g.length],
        message: `ot/sinkhorn: warmStart potentials must have lengths ${a.length} and ${b.length}; got ${f.length} and ${g.length}.`,
      });
    }
    checkFinite('ot/sinkhorn', 'warmStart.f', f);
    checkFinite('ot/sinkhorn', 'warmStart.g', g);
    warm = { f, g };
  }
  const warnings: SolveWarning[] = [...notes];
  const method = options.method;
  const settings: RunSettings = {
    epsilon: options.regularization,
    maxIterations: options.maxIterations ?? (method === 'epsilon-scaling' ? 100 : 1000),
    tolerance: options.tolerance,
    checkEvery: options.checkEvery ?? (method === 'stabilized' ? 20 : 10),
    norm: options.marginalNorm,
    warm,
    warnings,
    started,
  };
  let outcome =
    method === 'standard'
      ? standard(a, b, cost, settings)
      : method === 'log'
        ? logDomain(a, b, cost, settings)
        : method === 'stabilized'
          ? stabilized(a, b, cost, settings, options.absorbThreshold)
          : epsilonScaling(
              a,
              b,
              cost,
              settings,
              options.absorbThreshold,
              options.initialRegularization,
              options.innerIterations,
            );
  if (
    outcome.status !== 'numerical-error' &&
    !(allFiniteValues(outcome.plan.data) && allFiniteValues(outcome.f) && allFiniteValues(outcome.g))
  ) {
    // Defensive: a non-finite result never passes as an ordinary status.
    outcome = { ...outcome, status: 'numerical-error', message: 'the plan or potentials are not finite' };
    warnings.push({ type: 'numerical', message: `ot/sinkhorn (${method}): ${outcome.message}.` });
  }
  if (outcome.status === 'max-iterations')
    warnings.push({
      type: 'convergence',
      message: `ot/sinkhorn (${method}): did not converge: ${outcome.message}.`,
    });
  return {
    plan: outcome.plan,
    cost: linearCost(outcome.plan, cost),
    potentials: { f: outcome.f as Float64Array, g: outcome.g as Float64Array },
    iterations: outcome.iterations,
    marginalError: marginalError(outcome.plan, a, b),
    status: outcome.status,
    converged: outcome.status === 'converged',
    message: outcome.message,
    warnings,
    trace: traceOf(outcome.trace.iteration, { error: outcome.trace.error }, outcome.trace.elapsedMs),
    method: `ot/sinkhorn:${method}`,
  };
}

/**
 * The cost ⟨P, C⟩ of `sinkhorn` (POT's ot.sinkhorn2); with several target histograms (columns of `b`
 * as an [m, k] DenseMatrix or number[][]), one cost per histogram.
 */
export function sinkhorn2(
  a: WeightsInput,
  b: WeightsInput | DenseMatrix | ArrayLike<ArrayLike<number>>,
  cost: CostInput,
  options: SinkhornOptions,
): number | Float64Array {
  const batched =
    b !== null &&
    typeof b === 'object' &&
    (('cols' in b && 'data' in b) ||
      ((b as ArrayLike<unknown>).length > 0 && typeof (b as ArrayLike<unknown>)[0] === 'object'));
  if (!batched) return sinkhorn(a, b as WeightsInput, cost, options).cost;
  const histograms = toCost('ot/sinkhorn2', b, 'b');
  const C = toCost('ot/sinkhorn2', cost);
  const out = new Float64Array(histograms.cols);
  const column = new Float64Array(histograms.rows);
  const source = toWeights('ot/sinkhorn2', 'a', a, C.rows);
  for (let k = 0; k < histograms.cols; k++) {
    for (let j = 0; j < histograms.rows; j++) column[j] = histograms.data[j * histograms.cols + k];
    out[k] = sinkhorn(source, column, C, options).cost;
  }
  return out;
}

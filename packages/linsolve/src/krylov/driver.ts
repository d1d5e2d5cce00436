import {
  InvalidArgumentError,
  maxIterations as maxIterationsStop,
  monotonicNow,
  nrm2,
  type Operator,
  type Optimizer,
  type ResultBase,
  type SolveStatus,
  type SolveWarning,
  type StepResult,
  type Trace,
  traceOf,
  type Vec,
} from '@argmin/core';
import { allFinite, asOperator, type MatrixLike, validateSystem } from '../validate';

/** A linear system for the Optimizer form of the solvers. `preconditioner` approximates A⁻¹ (applied as M r, as scipy's `M`). */
export interface LinearProblem {
  readonly operator: Operator;
  readonly rhs: Vec;
  readonly preconditioner?: Operator;
}

/** Options shared by every Krylov solver (scipy's names spelled out). */
export interface KrylovOptions {
  /** Relative tolerance: converged when ‖b − A x‖ ≤ max(rtol·‖b‖, atol). Default 1e-5 (scipy). */
  readonly rtol?: number;
  /** Absolute tolerance. Default 0 (scipy). */
  readonly atol?: number;
  /** Iteration limit (GMRES-type solvers: restart cycles, as scipy's `maxiter`). Default 10·n (scipy). */
  readonly maxIterations?: number;
  /** Starting guess (default zeros); never mutated. */
  readonly x0?: Vec;
  /** Approximate inverse M ≈ A⁻¹, applied as M r (scipy's `M`). */
  readonly preconditioner?: MatrixLike;
}

/**
 * What every Krylov solver returns: core's `ResultBase` (status, converged, iterations, message,
 * warnings, columnar trace) plus the solution and the linear-algebra counters.
 *
 * `iterations` counts inner steps for every solver: one CG/MINRES/BiCGStab iteration, one Arnoldi
 * step of GMRES/GCRO-DR/GCROT (scipy's `callback_type='pr_norm'` count; scipy's `info` instead
 * reports restart cycles for GMRES). `cycles` counts restart cycles (GMRES/GCRO-DR) or outer
 * iterations (GCROT); it equals `iterations` for CG, MINRES and BiCGStab. `maxIterations` limits
 * `cycles` for the restarted solvers (scipy's `maxiter`) and `iterations` otherwise.
 */
export interface LinearSolveResult extends ResultBase {
  readonly x: Vec;
  /** Inner steps (see the interface comment: Arnoldi steps for the GMRES family, iterations otherwise). */
  readonly iterations: number;
  /** Restart cycles (GMRES, GCRO-DR), outer iterations (GCROT); equals `iterations` for CG, MINRES, BiCGStab. */
  readonly cycles: number;
  /** Products with A, including true-residual checks. */
  readonly matvecs: number;
  /** ‖b − A x‖ of the returned x (true residual). */
  readonly residualNorm: number;
  /** The tolerance max(rtol·‖b‖, atol) that was tested. */
  readonly tolerance: number;
  /**
   * `trace.metrics.residualNorm[k]`: the residual norm (recurrence, or true where the method computes
   * it) at `trace.iteration[k]` (inner steps for CG/MINRES/BiCGStab, the inner-step count at the end of
   * each cycle for GMRES-type solvers), iteration 0 first; `trace.elapsedMs[k]` since the solve began.
   */
  readonly trace: Trace;
  readonly warnings: SolveWarning[];
}

/** The mutable working set of a solver run. Machines own every buffer; `x` is the current iterate. */
export interface MachineState {
  x: Vec;
  /** Norm of the residual the method tracks (recurrence or true). */
  residualNorm: number;
  /** Whether `residualNorm` is the true ‖b − A x‖ (GMRES computes it after each cycle). */
  residualIsTrue: boolean;
  iterations: number;
  cycles: number;
  matvecs: number;
  /** Set by a step that cannot continue (breakdown, indefiniteness, NaN). */
  failure?: { status: SolveStatus; message: string };
}

/** The solver kernel: build a state from x0, advance it, restart from its current x. */
export interface KrylovMachine<S extends MachineState> {
  readonly id: string;
  init(A: Operator, b: Vec, x0: Vec, M: Operator | undefined, tolerance: number, bnorm: number): S;
  step(state: S, A: Operator, b: Vec, M: Operator | undefined): void;
  /** Which counter `maxIterations` limits. */
  readonly limits: 'iterations' | 'cycles';
}

export function trueResidualNorm(A: Operator, b: Vec, x: Vec, work: Vec): number {
  A.apply(x, work);
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    const d = b[i] - work[i];
    s += d * d;
  }
  return Math.sqrt(s);
}

export function resolveOptions(where: string, A: MatrixLike, b: Vec, options: KrylovOptions) {
  const operator = asOperator(where, 'A', A);
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 0;
  validateSystem(where, operator, b, options.x0, rtol, atol);
  const M = options.preconditioner ? asOperator(where, 'preconditioner', options.preconditioner) : undefined;
  if (M && (M.rows !== operator.rows || M.cols !== operator.cols)) {
    validateSystem(`${where} (preconditioner)`, M, b, undefined, rtol, atol);
  }
  const n = b.length;
  const maxIterations = options.maxIterations ?? 10 * n;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) {
    throw new InvalidArgumentError({
      argument: 'maxIterations',
      value: maxIterations,
      message: `${where}: \`maxIterations\` must be a non-negative integer; got ${maxIterations}.`,
    });
  }
  return { operator, rtol, atol, M, maxIterations };
}

/**
 * Runs a machine with scipy's stopping semantics: converged when ‖b − A x‖ ≤ max(rtol·‖b‖, atol),
 * where a recurrence residual below the tolerance is confirmed with the true residual before
 * declaring convergence (if it is not, the method restarts from its current x).
 */
export function runMachine<S extends MachineState>(
  machine: KrylovMachine<S>,
  A: MatrixLike,
  b: Vec,
  options: KrylovOptions,
): LinearSolveResult & { state: S } {
  const where = machine.id;
  const resolved = resolveOptions(where, A, b, options);
  const rawNorm = nrm2(b);
  if (rawNorm > 0 && (rawNorm < 1e-100 || rawNorm > 1e100)) {
    // Rescale so squared norms neither underflow nor overflow: solve A (x/s) = b/s, then multiply back.
    // powers of two keep the scaling exact; two factors avoid overflow of 2^1074 for subnormal norms
    const exponent = Math.floor(Math.log2(rawNorm));
    const half = Math.trunc(exponent / 2);
    const f1 = 2 ** -half;
    const f2 = 2 ** -(exponent - half);
    const down = (v: number) => v * f1 * f2;
    const scaled = runMachine(machine, resolved.operator, b.map(down), {
      ...options,
      x0: options.x0?.map(down),
      atol: down(resolved.atol),
      preconditioner: resolved.M,
    });
    const up = (v: number) => v * 2 ** half * 2 ** (exponent - half);
    for (let i = 0; i < scaled.x.length; i++) scaled.x[i] = up(scaled.x[i]);
    return {
      ...scaled,
      residualNorm: up(scaled.residualNorm),
      tolerance: up(scaled.tolerance),
      trace: {
        ...scaled.trace,
        metrics: { ...scaled.trace.metrics, residualNorm: scaled.trace.metrics.residualNorm.map(up) },
      },
    };
  }
  const { operator, rtol, atol, M, maxIterations } = resolved;
  const n = b.length;
  const bnorm = rawNorm;
  const tolerance = Math.max(atol, rtol * bnorm);
  const x0 = options.x0 ? options.x0.slice() : new Float64Array(n);
  const warnings: SolveWarning[] = [];
  const work = new Float64Array(n);
  const started = monotonicNow();
  const residualTrace: number[] = [];
  const trace = traceOf([], { residualNorm: residualTrace }, []);
  // the last finite iterate: a step that produces non-finite numbers returns this one
  const previous = x0.slice();
  let state = machine.init(operator, b, x0, M, tolerance, bnorm);
  trace.iteration.push(0);
  residualTrace.push(state.residualNorm);
  trace.elapsedMs.push(monotonicNow() - started);
  let status: SolveStatus = 'max-iterations';
  let message = '';
  let finalResidual = Number.NaN;
  let restarts = 0;
  let carried = { iterations: 0, cycles: 0, matvecs: 0 };
  for (;;) {
    if (!Number.isFinite(state.residualNorm)) {
      status = 'numerical-error';
      message =
        'the residual is non-finite (the operator or preconditioner produced Inf/NaN); returning the last finite iterate';
      break;
    }
    if (state.residualNorm <= tolerance) {
      const r = state.residualIsTrue ? state.residualNorm : trueResidualNorm(operator, b, state.x, work);
      if (!state.residualIsTrue) state.matvecs++;
      if (r <= tolerance) {
        status = 'converged';
        finalResidual = r;
        message = `||b - A x|| = ${r.toExponential(3)} <= max(rtol*||b||, atol) = ${tolerance.toExponential(3)}`;
        break;
      }
      if (state.residualIsTrue) {
        // the method's own true residual did not pass (e.g. GMRES breakdown): nothing left to do
        finalResidual = r;
        status = 'stalled';
        message = `true residual ${r.toExponential(3)} stayed above ${tolerance.toExponential(3)}`;
        break;
      }
      restarts++;
      warnings.push({
        type: 'numerical',
        message: `recurrence residual ${state.residualNorm.toExponential(3)} passed the test but the true residual ${r.toExponential(3)} did not; restarted from the current x`,
      });
      carried = {
        iterations: carried.iterations + state.iterations,
        cycles: carried.cycles + state.cycles,
        matvecs: carried.matvecs + state.matvecs,
      };
      state = machine.init(operator, b, state.x.slice(), M, tolerance, bnorm);
      if (restarts > 20 || state.residualNorm <= tolerance) {
        finalResidual = r;
        status = 'stalled';
        message = `true residual ${r.toExponential(3)} cannot reach ${tolerance.toExponential(3)} (attainable accuracy reached)`;
        break;
      }
    }
    const counter =
      machine.limits === 'iterations' ? state.iterations + carried.iterations : state.cycles + carried.cycles;
    if (counter >= maxIterations) {
      status = 'max-iterations';
      message = `reached maxIterations = ${maxIterations}`;
      break;
    }
    previous.set(state.x);
    machine.step(state, operator, b, M);
    if (state.failure) {
      status = state.failure.status;
      message = state.failure.message;
      break;
    }
    if (!Number.isFinite(state.residualNorm)) {
      status = 'numerical-error';
      message = 'the residual became non-finite; returning the last finite iterate';
      break;
    }
    trace.iteration.push(state.iterations + carried.iterations);
    residualTrace.push(state.residualNorm);
    trace.elapsedMs.push(monotonicNow() - started);
  }
  let x = state.x;
  if (!allFinite(x)) {
    x = previous;
    finalResidual = Number.NaN;
    if (status !== 'numerical-error') {
      message = `${message}; the iterate became non-finite, returning the last finite one`;
      status = 'numerical-error';
    }
  }
  if (Number.isNaN(finalResidual)) {
    finalResidual = trueResidualNorm(operator, b, x, work);
    state.matvecs++;
    if (!Number.isFinite(finalResidual) && status !== 'numerical-error') {
      status = 'numerical-error';
      message = `${message}; the true residual of the returned x is non-finite (the operator produced Inf/NaN)`;
    }
  }
  return {
    x: x.slice(),
    status,
    converged: status === 'converged',
    iterations: state.iterations + carried.iterations,
    cycles: state.cycles + carried.cycles,
    matvecs: state.matvecs + carried.matvecs,
    residualNorm: finalResidual,
    tolerance,
    trace,
    message,
    warnings,
    state,
  };
}

/** Options of the Optimizer form: the tolerance test runs inside `step` (status 'converged'). */
export interface OptimizerKrylovOptions {
  readonly rtol?: number;
  readonly atol?: number;
  readonly maxIterations?: number;
}

/** State of a Krylov Optimizer: the machine state plus the tolerance. */
export interface KrylovOptimizerState<S extends MachineState> {
  readonly machine: S;
  readonly tolerance: number;
  readonly work: Vec;
}

/**
 * Wraps a machine as an `Optimizer<LinearProblem, ...>` for `solve`/`iterate`: one step is one
 * iteration (one restart cycle for GMRES-type solvers); the step returns status 'converged' once
 * the true residual meets max(rtol·‖b‖, atol).
 */
export function machineOptimizer<S extends MachineState>(
  machine: KrylovMachine<S>,
  options: OptimizerKrylovOptions,
): Optimizer<LinearProblem, KrylovOptimizerState<S>> {
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 0;
  return {
    id: machine.id,
    defaultStopWhen:
      options.maxIterations === undefined ? undefined : maxIterationsStop(options.maxIterations),
    init(x0, problem) {
      validateSystem(machine.id, problem.operator, problem.rhs, x0, rtol, atol);
      const bnorm = nrm2(problem.rhs);
      const tolerance = Math.max(atol, rtol * bnorm);
      const state = machine.init(
        problem.operator,
        problem.rhs,
        x0.slice(),
        problem.preconditioner,
        tolerance,
        bnorm,
      );
      return { machine: state, tolerance, work: new Float64Array(problem.rhs.length) };
    },
    initialInfo: (_x, state) => ({ residualNorm: state.machine.residualNorm }),
    step(x, state, problem): StepResult<KrylovOptimizerState<S>> {
      let s = state.machine;
      if (x !== s.x) s.x.set(x);
      const check = () => {
        if (s.residualNorm > state.tolerance) return undefined;
        const r = s.residualIsTrue
          ? s.residualNorm
          : trueResidualNorm(problem.operator, problem.rhs, s.x, state.work);
        return r;
      };
      const before = check();
      if (before !== undefined && before <= state.tolerance) {
        return {
          x: s.x.slice(),
          state,
          info: { residualNorm: before, matvecs: s.matvecs },
          status: 'converged',
          message: 'true residual below tolerance',
        };
      }
      if (before !== undefined) {
        s = machine.init(
          problem.operator,
          problem.rhs,
          s.x.slice(),
          problem.preconditioner,
          state.tolerance,
          0,
        );
      }
      const previous = s.x.slice();
      machine.step(s, problem.operator, problem.rhs, problem.preconditioner);
      const next = { machine: s, tolerance: state.tolerance, work: state.work };
      if (s.failure)
        return {
          x: previous,
          state: next,
          info: { residualNorm: s.residualNorm, matvecs: s.matvecs },
          status: s.failure.status,
          message: s.failure.message,
        };
      const after = check();
      const info = { residualNorm: after ?? s.residualNorm, iterations: s.iterations, matvecs: s.matvecs };
      if (after !== undefined && after <= state.tolerance) {
        return {
          x: s.x.slice(),
          state: next,
          info,
          status: 'converged',
          message: 'true residual below tolerance',
        };
      }
      return { x: s.x.slice(), state: next, info };
    },
  };
}

import {
  assertVec,
  createRng,
  invalidArgument,
  type OptimizerContext,
  type Rng,
  type SolveStatus,
  type SolveWarning,
  type Vec,
} from '@argmin/core';
import { assertPredictionType, type DenoiserModel, type PredictionType } from '../models/model';
import type { NoiseLevel, NoiseSchedule } from '../schedules/schedule';
import {
  allFinite,
  type EvaluationRequest,
  type GridState,
  type Sampler,
  type SamplingProblem,
  type StepProgram,
} from './common';

/** Options of `sampler.scheduler(schedule, options)`. */
export interface SchedulerOptions {
  /** Entries per sample (the model's output size d); the batch is `x.length / dimension`. */
  readonly dimension: number;
  /** What the caller's model outputs (diffusers prediction_type; diffusers' 'v_prediction' is 'v'). Default 'epsilon'. */
  readonly prediction?: PredictionType;
  /** Seed of the Rng for stochastic samplers (the same stream as `sample(..., { seed })`). Default 0. */
  readonly seed?: number;
  /** Use this generator instead (advanced by the steps). */
  readonly rng?: Rng;
}

/**
 * A diffusers-style scheduler for callers who drive their own loop:
 *
 * ```ts
 * const scheduler = dpmSolver({ numInferenceSteps: 10 }).scheduler(schedule, { dimension: d });
 * let x = xT;
 * for (const [k, t] of scheduler.timesteps.entries()) {
 *   const output = await network.predict(x, batch, scheduler.levels[k], new Float64Array(x.length));
 *   x = scheduler.step(output, t, x);
 * }
 * ```
 *
 * `timesteps` lists the model time of every evaluation, in order (length = NFE): for one-evaluation
 * samplers it is diffusers' `scheduler.timesteps`; for PNDM it repeats times as diffusers' PNDMScheduler
 * does (F-PNDM: its 4-evaluation Runge–Kutta warm-up; PLMS: the Heun first step). `step(modelOutput, t, x)`
 * returns the point at which to evaluate the model next: the next iterate, or a sampler's intermediate
 * point inside a multi-evaluation step, where the `x` passed back is ignored (the step continues from its own
 * stored point, as diffusers' PNDM does). At the start of each step the `x` passed in is the iterate, so a
 * caller may edit it between steps (inpainting). The iterates equal `sample`'s bit for bit.
 *
 * A non-finite model output ends the run: `status` becomes 'numerical-error', `step` returns the last
 * finite iterate and commits nothing. `levels[k]` is the noise level (α, σ, λ) of `timesteps[k]`.
 */
export interface Scheduler {
  readonly timesteps: readonly number[];
  readonly levels: readonly NoiseLevel[];
  step(modelOutput: ArrayLike<number>, timestep: number, sample: Vec): Float64Array;
  /** 'running' until the last evaluation's step is done ('converged'), or 'numerical-error'. */
  readonly status: SolveStatus | 'running';
  readonly message: string;
  readonly warnings: readonly SolveWarning[];
  /** Evaluations consumed so far. */
  readonly calls: number;
}

/** Builds the scheduler form of a grid sampler (see `Scheduler`). */
export function createScheduler<S extends GridState>(
  sampler: Sampler<S>,
  schedule: NoiseSchedule,
  options: SchedulerOptions,
): Scheduler {
  const where = `${sampler.id}.scheduler`;
  const d = options?.dimension;
  if (!Number.isInteger(d) || d < 1) {
    invalidArgument(
      where,
      'dimension',
      d,
      '`dimension` must be a positive integer: the number of entries per sample',
    );
  }
  const prediction = options.prediction ?? 'epsilon';
  assertPredictionType(where, prediction);
  // The evaluation times: one pass of the sampler on a zero sample of batch 1 with a zero model output
  // (for every sampler with a scheduler form the times depend on the grid only, not on the samples).
  const levels: NoiseLevel[] = [];
  const probe: DenoiserModel = {
    dimension: d,
    prediction,
    predict(_x, _batch, level, out) {
      levels.push(level);
      out.fill(0);
      return out;
    },
  };
  sampler.sample(probe, schedule, new Float64Array(d), { seed: 0 });
  const timesteps = levels.map((level) => level.time);
  const model: DenoiserModel = {
    dimension: d,
    prediction,
    predict() {
      throw new Error(`${where}: the scheduler form takes model outputs from step(), it never calls a model`);
    },
  };
  const warnings: SolveWarning[] = [];
  const context: OptimizerContext = {
    rng: options.rng ?? createRng(options.seed ?? 0),
    warn: (w) => warnings.push(w),
  };
  let problem: SamplingProblem | undefined;
  let state: S | undefined;
  let program: StepProgram<S> | undefined;
  let request: EvaluationRequest | undefined;
  let iterate = new Float64Array(0);
  let calls = 0;
  let status: SolveStatus | 'running' = 'running';
  let message = '';
  const fail = (why: string): Float64Array => {
    program?.return(undefined as never);
    program = undefined;
    request = undefined;
    status = 'numerical-error';
    message = `${why}; returning the last finite iterate`;
    return Float64Array.from(iterate);
  };
  return {
    timesteps,
    levels,
    get status() {
      return status;
    },
    get message() {
      return message;
    },
    warnings,
    get calls() {
      return calls;
    },
    step(modelOutput, timestep, sample) {
      if (status !== 'running') {
        invalidArgument(
          `${where}.step`,
          'status',
          status,
          `the run has ended (${message || status}); create a new scheduler to sample again`,
        );
      }
      if (calls >= timesteps.length) {
        invalidArgument(
          `${where}.step`,
          'timestep',
          timestep,
          `\`timestep\`: all ${timesteps.length} evaluations are done`,
        );
      }
      if (timestep !== timesteps[calls]) {
        invalidArgument(
          `${where}.step`,
          'timestep',
          timestep,
          `\`timestep\`: expected timesteps[${calls}] = ${timesteps[calls]}: call step once per entry of scheduler.timesteps, in order`,
        );
      }
      if (!program) {
        assertVec(`${where}.step`, 'sample', sample);
        if (sample.length === 0 || sample.length % d !== 0 || (problem && sample.length !== iterate.length)) {
          invalidArgument(
            `${where}.step`,
            'sample',
            `length ${sample.length}`,
            problem
              ? `\`sample\` must keep the batch of the first step (length ${iterate.length})`
              : `\`sample\` must be a row-major [batch, ${d}] array (length a positive multiple of ${d})`,
          );
        }
        if (!allFinite(sample))
          invalidArgument(`${where}.step`, 'sample', 'non-finite', '`sample` must be finite');
        iterate = Float64Array.from(sample);
        if (!problem || !state) {
          problem = { model, schedule, batch: sample.length / d };
          state = sampler.init(iterate, problem, context);
        }
        program = sampler.program(iterate, state, problem, context);
        const first = program.next();
        if (first.done || first.value.x !== iterate) {
          throw new Error(`${where}: a step must start by evaluating the model at its iterate`);
        }
        request = first.value;
      }
      const out = (request as EvaluationRequest).out;
      if (modelOutput.length !== out.length) {
        invalidArgument(
          `${where}.step`,
          'modelOutput',
          `length ${modelOutput.length}`,
          `\`modelOutput\` must have the sample's length ${out.length}`,
        );
      }
      out.set(modelOutput);
      calls++;
      if (!allFinite(out)) return fail(`the model output at time ${timestep} is not finite`);
      const next = (program as StepProgram<S>).next();
      if (!next.done) {
        request = next.value;
        return Float64Array.from(request.x);
      }
      program = undefined;
      request = undefined;
      const result = next.value;
      if (!allFinite(result.x)) return fail(`the iterate became non-finite after time ${timestep}`);
      state = result.state;
      iterate = Float64Array.from(result.x);
      if (result.status !== undefined) {
        status = result.status;
        message = result.message ?? result.status;
      }
      return Float64Array.from(iterate);
    },
  };
}

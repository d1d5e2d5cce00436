import { InvalidArgumentError } from '../errors/argmin-error';
import { oracleCallsOf } from '../oracles/counted';
import { now } from '../solve/clock';
import type { StopCondition } from '../solve/stop-when';
import type { Optimizer, StepInfo } from '../spec/optimizer';
import type { Vec } from '../spec/vec';

/** One named stage of a `sequence`. */
export interface Stage<P> {
  readonly name: string;
  readonly optimizer: Optimizer<P, any>;
  /** When this stage ends (default: the stage optimizer's `defaultStopWhen`, else 100 iterations). */
  readonly stopWhen?: StopCondition;
}

/** State of a sequence: which stage runs, its state and its own iteration count. */
export interface SequenceState {
  readonly stageIndex: number;
  readonly stageState: unknown;
  readonly stageIteration: number;
  readonly stageStart: number;
  readonly stageInfo: StepInfo | undefined;
  /** Per-stage iteration counts of finished stages. */
  readonly finished: readonly {
    readonly name: string;
    readonly iterations: number;
    readonly status: string;
  }[];
}

/**
 * Runs named stages one after another as one Optimizer (e.g. gradient-descent warm-up, then L-BFGS;
 * or Sinkhorn warm-up, then Newton). A stage ends when its `stopWhen` fires or the stage's own step
 * reports a status; the next stage starts from the current iterate. The run ends with the last
 * stage's outcome. `info.stage` holds the index of the stage that made the step.
 *
 * Stage rules and the run's rule both apply: `solve(sequence(stages), problem, x0, { stopWhen })`
 * checks the current stage's `stopWhen` inside each step and the top-level `stopWhen` after it, and
 * the first to fire ends the stage (or the run). So a top-level `maxIterations(50)` caps the whole
 * run even when a stage would go on, and a last stage's `metricBelow` ends the run even when the
 * top-level rule has not fired. A failure status of any stage ('numerical-error', 'diverged',
 * 'aborted') ends the run at once.
 */
export function sequence<P>(
  stages: readonly Stage<P>[],
  { id = 'core/sequence' }: { id?: string } = {},
): Optimizer<P, SequenceState> {
  if (stages.length === 0) {
    throw new InvalidArgumentError({
      argument: 'stages',
      value: stages,
      message: 'sequence: `stages` must contain at least one stage; got an empty list.',
    });
  }
  if (!Array.isArray(stages)) {
    throw new InvalidArgumentError({
      argument: 'stages',
      value: stages,
      message: `sequence: \`stages\` must be an array of { name, optimizer, stopWhen? }; got ${typeof stages}.`,
    });
  }
  stages.forEach((stage, i) => {
    const where = `sequence: stage ${i}`;
    if (typeof stage !== 'object' || stage === null) {
      throw new InvalidArgumentError({
        argument: `stages[${i}]`,
        value: stage,
        message: `${where} must be an object { name, optimizer, stopWhen? }; got ${String(stage)}.`,
      });
    }
    if (typeof stage.name !== 'string' || stage.name.length === 0) {
      throw new InvalidArgumentError({
        argument: `stages[${i}].name`,
        value: stage.name,
        message: `${where}: \`name\` must be a non-empty string; got ${String(stage.name)}.`,
      });
    }
    const optimizer = stage.optimizer as Partial<Optimizer<P, unknown>> | null | undefined;
    if (
      typeof optimizer !== 'object' ||
      optimizer === null ||
      typeof optimizer.init !== 'function' ||
      typeof optimizer.step !== 'function'
    ) {
      throw new InvalidArgumentError({
        argument: `stages[${i}].optimizer`,
        value: optimizer,
        message: `${where} ("${stage.name}"): \`optimizer\` must have init and step functions; create it with a method factory or registry.create(id, options).`,
      });
    }
    if (stage.stopWhen !== undefined && typeof stage.stopWhen !== 'function') {
      throw new InvalidArgumentError({
        argument: `stages[${i}].stopWhen`,
        value: stage.stopWhen,
        message: `${where} ("${stage.name}"): \`stopWhen\` must be a stopping rule such as maxIterations(100); got ${String(stage.stopWhen)}.`,
      });
    }
  });
  const stopOf = (stage: Stage<P>): StopCondition | undefined =>
    stage.stopWhen ?? stage.optimizer.defaultStopWhen;
  // A stage whose rule allows no iteration (maxIterations(0)) is skipped, like a run with
  // maxIterations(0) takes no step (the last stage always runs).
  const empty = (index: number): boolean => stopOf(stages[index])?.iterationLimit === 0;
  const nextRunnable = (from: number): number => {
    let index = from;
    while (index < stages.length - 1 && empty(index)) index++;
    return index;
  };
  const skipped = (from: number, to: number) =>
    stages.slice(from, to).map((stage) => ({ name: stage.name, iterations: 0, status: 'max-iterations' }));
  return {
    id,
    init(x0, problem, context) {
      const first = nextRunnable(0);
      return {
        stageIndex: first,
        stageState: stages[first].optimizer.init(x0, problem, context),
        stageIteration: 0,
        stageStart: now(),
        stageInfo: undefined,
        finished: skipped(0, first),
      };
    },
    step(x: Vec, state, problem, context) {
      const stage = stages[state.stageIndex];
      const result = stage.optimizer.step(x, state.stageState, problem, context);
      const stageIteration = state.stageIteration + 1;
      const info = { ...result.info, stage: state.stageIndex };
      let endStatus = result.status;
      let endMessage = result.message;
      if (endStatus === undefined) {
        const stop =
          stopOf(stage) ??
          ((c) =>
            c.iteration >= 100
              ? { status: 'max-iterations' as const, message: 'stage limit 100' }
              : undefined);
        const decision = stop({
          iteration: stageIteration,
          x: result.x,
          previousX: x,
          info: result.info,
          previousInfo: state.stageInfo,
          elapsedMs: now() - state.stageStart,
          oracleCalls: oracleCallsOf(problem),
        });
        if (decision) {
          endStatus = decision.status;
          endMessage = decision.message;
        }
      }
      if (endStatus === undefined) {
        return {
          x: result.x,
          info,
          state: { ...state, stageState: result.state, stageIteration, stageInfo: result.info },
        };
      }
      const finished = [
        ...state.finished,
        { name: stage.name, iterations: stageIteration, status: endStatus },
      ];
      const following = nextRunnable(state.stageIndex + 1);
      const isLast =
        state.stageIndex === stages.length - 1 || (following === stages.length - 1 && empty(following));
      const fatal = endStatus === 'numerical-error' || endStatus === 'diverged' || endStatus === 'aborted';
      if (isLast || fatal) {
        return {
          x: result.x,
          info,
          state: { ...state, stageState: result.state, stageIteration, stageInfo: result.info, finished },
          status: endStatus,
          message: `stage "${stage.name}": ${endMessage ?? endStatus}`,
        };
      }
      const nextIndex = following;
      return {
        x: result.x,
        info,
        state: {
          stageIndex: nextIndex,
          stageState: stages[nextIndex].optimizer.init(result.x, problem, context),
          stageIteration: 0,
          stageStart: now(),
          stageInfo: undefined,
          finished: [...finished, ...skipped(state.stageIndex + 1, nextIndex)],
        },
      };
    },
  };
}

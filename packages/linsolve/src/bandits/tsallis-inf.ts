import type { Rng } from '@argmin/core';
import { assertAllocation, InvalidArgumentError, parseOptions } from '@argmin/core';
import { tsallisInfContextualOptions, tsallisInfOptions } from '../options';

/** The reference arm grid: linspace(1, 1.95, 20). */
export function defaultOmegaGrid(): number[] {
  return Array.from({ length: 20 }, (_, i) => 1 + (0.95 * i) / 19);
}

/** Explicit learner state (plain data: inspect it, serialize it). */
export interface TsallisInfState {
  /** Importance-weighted cumulative shifted costs Σ (k − 1)/p_i of each arm. */
  readonly cumulative: Float64Array;
  /** Rounds played. */
  round: number;
  /** Sum of the raw costs seen (for the running-mean normalization). */
  costSum: number;
  /** The last round's probabilities and normalizer x. */
  readonly probabilities: Float64Array;
  normalizer: number;
}

/** Normalizer start: the fix from the notes (robust) or the reference code's x = −1. */
export type NormalizerStart = 'robust' | 'reference';

/**
 * Computes Tsallis-INF (α = ½) probabilities p_i = 4 / (η (L_i − x))² with Σ p = 1, by 20 Newton
 * steps x ← x − (Σp − 1)/(η Σ p^{3/2}). Robust start (the fix): x₀ = min L − 2/η, where the best arm
 * has p = 1, so Σp ≥ 1 and Newton decreases monotonically to the root. Reference start: x₀ = −1,
 * which overshoots past min L once losses grow (spurious root).
 */
export function tsallisProbabilities(
  losses: Float64Array,
  eta: number,
  out: Float64Array,
  start: NormalizerStart = 'robust',
  newtonSteps = 20,
): number {
  let minimum = Number.POSITIVE_INFINITY;
  for (let i = 0; i < losses.length; i++) minimum = Math.min(minimum, losses[i]);
  let x = start === 'robust' ? minimum - 2 / eta : -1;
  for (let step = 0; step < newtonSteps; step++) {
    let sum = 0;
    let sum32 = 0;
    for (let i = 0; i < losses.length; i++) {
      const p = 4 / (eta * (losses[i] - x)) ** 2;
      sum += p;
      sum32 += p ** 1.5;
    }
    x -= (sum - 1) / (eta * sum32);
  }
  let total = 0;
  for (let i = 0; i < losses.length; i++) {
    out[i] = 4 / (eta * (losses[i] - x)) ** 2;
    total += out[i];
  }
  // Newton leaves |Σp − 1| at rounding level; renormalize for sampling
  for (let i = 0; i < losses.length; i++) out[i] /= total;
  return x;
}

/** A bandit over an ω grid: choose an arm, then learn from its cost (solver iterations). */
export interface OmegaLearner {
  readonly arms: readonly number[];
  /** Picks an arm index for the next instance (context: e.g. the diagonal shift). */
  select(rng: Rng, context?: number): number;
  /** Feeds back the cost (iteration count) of the arm played. */
  update(arm: number, cost: number, context?: number): void;
}

/** Options of `tsallisInf`. */
export interface TsallisInfOptions {
  /** Arms (ω values); default linspace(1, 1.95, 20). */
  readonly arms?: readonly number[];
  /** Normalizer start: 'robust' (default, the fix) or 'reference' (x = −1, as TsallisINF.m). */
  readonly normalizerStart?: NormalizerStart;
}

/**
 * 1/2-Tsallis-INF over an ω grid with the solver's iteration count as the loss, as Learning to Relax's
 * `learners/TsallisINF.m`: η_t = 2/√t; cost k is shifted to k − 1 and divided by
 * scale = mean(k_1..k_t) − 1 (running mean including the current round); the played arm's cumulative
 * loss grows by (k − 1)/p_i (importance weighting); p_i = 4/(η(K_i/scale − x))².
 *
 * @see Khodak, Chow, Balcan, Talwalkar, Learning to Relax: Setting Solver Parameters Across a Sequence of Linear System Instances (ICLR 2024), arXiv:2310.02246
 */
export function tsallisInf(
  options: TsallisInfOptions = {},
): OmegaLearner & { readonly state: TsallisInfState } {
  const parsed = parseOptions('linsolve/tsallis-inf', tsallisInfOptions, options);
  const arms = parsed.arms;
  const start = parsed.normalizerStart;
  const state: TsallisInfState = {
    cumulative: new Float64Array(arms.length),
    round: 0,
    costSum: 0,
    probabilities: new Float64Array(arms.length).fill(1 / arms.length),
    normalizer: 0,
  };
  const losses = new Float64Array(arms.length);
  let scale = 1;
  return {
    arms,
    state,
    select(rng) {
      const t = state.round + 1;
      const eta = 2 / Math.sqrt(t);
      for (let i = 0; i < arms.length; i++) losses[i] = state.cumulative[i] / scale;
      state.normalizer = tsallisProbabilities(losses, eta, state.probabilities, start);
      return rng.categorical(state.probabilities);
    },
    update(arm, cost) {
      state.round++;
      state.costSum += cost;
      const mean = state.costSum / state.round;
      scale = mean - 1 > 0 ? mean - 1 : 1;
      state.cumulative[arm] += (cost - 1) / state.probabilities[arm];
    },
  };
}

/** Options of `tsallisInfContextual`. */
export interface TsallisInfContextualOptions extends TsallisInfOptions {
  /** Context range [a, b] (e.g. the diagonal-shift range). */
  readonly contextRange: readonly [number, number];
  /** Number of bins m (reference: 5). */
  readonly bins?: number;
}

/**
 * Tsallis-INF-CB (`TsallisINFCB.m`): split the context range [a, b] into m bins with centres
 * a + (b − a)(i − ½)/m and run an independent Tsallis-INF in the bin nearest to each context.
 */
export function tsallisInfContextual(
  options: TsallisInfContextualOptions,
): OmegaLearner & { readonly learners: ReturnType<typeof tsallisInf>[] } {
  const parsed = parseOptions('linsolve/tsallis-inf-cb', tsallisInfContextualOptions, options);
  const bins = parsed.bins;
  const [a, b] = parsed.contextRange;
  if (!(b > a)) {
    throw new InvalidArgumentError({
      argument: 'contextRange/bins',
      value: [a, b, bins],
      message: `linsolve/tsallis-inf-cb: need contextRange [a, b] with b > a; got [${a}, ${b}].`,
    });
  }
  assertAllocation(
    'linsolve/tsallis-inf-cb',
    `${bins} bins of ${parsed.arms.length} arms`,
    bins * parsed.arms.length * 3,
  );
  const learners = Array.from({ length: bins }, () =>
    tsallisInf({ arms: parsed.arms, normalizerStart: parsed.normalizerStart }),
  );
  const centres = Array.from({ length: bins }, (_, i) => a + ((b - a) * (i + 0.5)) / bins);
  const binOf = (context = (a + b) / 2): number => {
    let best = 0;
    for (let i = 1; i < bins; i++)
      if (Math.abs(context - centres[i]) < Math.abs(context - centres[best])) best = i;
    return best;
  };
  return {
    arms: learners[0].arms,
    learners,
    select: (rng, context) => learners[binOf(context)].select(rng),
    update: (arm, cost, context) => learners[binOf(context)].update(arm, cost),
  };
}

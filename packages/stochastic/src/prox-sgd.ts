import { invalidArgument, type Optimizer, type Oracle, type Vec } from '@argmin/core';

/** A proximal operator: out = prox_{step·h}(v). */
export type Prox = (v: Vec, step: number, out: Vec) => Vec;

/** prox of h = λ‖x‖₁: soft-thresholding. */
export function proxL1(lambda: number): Prox {
  if (!(lambda >= 0)) invalidArgument('stochastic/proxL1', 'lambda', lambda, '`lambda` must be >= 0');
  return (v, step, out) => {
    const t = lambda * step;
    for (let i = 0; i < v.length; i++) out[i] = Math.sign(v[i]) * Math.max(Math.abs(v[i]) - t, 0);
    return out;
  };
}

/** Projection onto the box [lower, upper]^d. */
export function proxBox(lower: number, upper: number): Prox {
  if (!(lower <= upper))
    invalidArgument('stochastic/proxBox', 'lower/upper', [lower, upper], '`lower` must be <= `upper`');
  return (v, _step, out) => {
    for (let i = 0; i < v.length; i++) out[i] = Math.min(upper, Math.max(lower, v[i]));
    return out;
  };
}

/** Projection onto the l2 ball of radius r. */
export function proxL2Ball(radius: number): Prox {
  if (!(radius > 0)) invalidArgument('stochastic/proxL2Ball', 'radius', radius, '`radius` must be > 0');
  return (v, _step, out) => {
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i] * v[i];
    const norm = Math.sqrt(s);
    const scale = norm > radius ? radius / norm : 1;
    for (let i = 0; i < v.length; i++) out[i] = scale * v[i];
    return out;
  };
}

/** prox of h = (μ/2)‖x‖² composed with another prox (strong convexity from the regularizer). */
export function proxWithQuadratic(mu: number, inner?: Prox): Prox {
  return (v, step, out) => {
    const shrink = 1 / (1 + mu * step);
    for (let i = 0; i < v.length; i++) out[i] = v[i] * shrink;
    return inner ? inner(out, step * shrink, out) : out;
  };
}

/**
 * Step-size rules of the last-iterate analysis (Liu & Zhou, ICLR 2024): 'constant' η/√T, 'inverse-sqrt'
 * η/√t, 'inverse-linear' 1/(μ(t + t₀)), each optionally capped at 1/(2L) for L-smooth f.
 */
export type StepRule =
  | {
      readonly kind: 'constant';
      readonly scale: number;
      readonly horizon: number;
      readonly smoothness?: number;
    }
  | { readonly kind: 'inverse-sqrt'; readonly scale: number; readonly smoothness?: number }
  | {
      readonly kind: 'inverse-linear';
      readonly strongConvexity: number;
      readonly offset?: number;
      readonly smoothness?: number;
    };

const positiveFinite = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;

/**
 * Checks a step rule's shape and values: a known `kind`, positive finite scale / strong convexity /
 * smoothness, an integer horizon >= 1, a finite offset >= 0. Throws InvalidArgumentError naming the field.
 */
export function checkStepRule(rule: StepRule): void {
  const where = 'stochastic/proxSgd';
  const kinds = ['constant', 'inverse-sqrt', 'inverse-linear'];
  if (!rule || typeof rule !== 'object' || !kinds.includes(rule.kind))
    invalidArgument(
      where,
      'steps.kind',
      (rule as { kind?: unknown })?.kind,
      `\`steps.kind\` must be one of ${kinds.join(', ')}`,
    );
  if (rule.kind !== 'inverse-linear' && !positiveFinite(rule.scale))
    invalidArgument(where, 'steps.scale', rule.scale, '`steps.scale` (η) must be a finite number > 0');
  if (rule.kind === 'constant' && !(Number.isInteger(rule.horizon) && rule.horizon >= 1))
    invalidArgument(where, 'steps.horizon', rule.horizon, '`steps.horizon` (T) must be an integer >= 1');
  if (rule.kind === 'inverse-linear') {
    if (!positiveFinite(rule.strongConvexity))
      invalidArgument(
        where,
        'steps.strongConvexity',
        rule.strongConvexity,
        '`steps.strongConvexity` (μ) must be a finite number > 0',
      );
    const offset = rule.offset ?? 0;
    if (!(Number.isFinite(offset) && offset >= 0))
      invalidArgument(where, 'steps.offset', offset, '`steps.offset` (t₀) must be a finite number >= 0');
  }
  if (rule.smoothness !== undefined && !positiveFinite(rule.smoothness))
    invalidArgument(
      where,
      'steps.smoothness',
      rule.smoothness,
      '`steps.smoothness` (L) must be a finite number > 0',
    );
}

/** η_t for t = 1, 2, ... */
export function stepSize(rule: StepRule, t: number): number {
  const raw =
    rule.kind === 'constant'
      ? rule.scale / Math.sqrt(rule.horizon)
      : rule.kind === 'inverse-sqrt'
        ? rule.scale / Math.sqrt(t)
        : 1 / (rule.strongConvexity * (t + (rule.offset ?? 0)));
  return rule.smoothness ? Math.min(raw, 1 / (2 * rule.smoothness)) : raw;
}

export interface ProxSgdState {
  readonly gradient: Float64Array;
  readonly next: Float64Array;
  /** Running average of the iterates (reported next to the last iterate). */
  readonly average: Float64Array;
  readonly iteration: number;
}

/**
 * Proximal SGD, the Euclidean case of composite stochastic mirror descent:
 * x_{t+1} = prox_{η_t h}(x_t − η_t g_t), g_t = sampleGrad(x_t); outputs the last iterate (the state
 * also keeps the averaged iterate for comparison).
 */
export function proxSgd({
  steps,
  prox,
}: {
  steps: StepRule;
  prox?: Prox;
}): Optimizer<Oracle<'sampleGrad'>, ProxSgdState> {
  checkStepRule(steps);
  if (prox !== undefined && typeof prox !== 'function')
    invalidArgument(
      'stochastic/proxSgd',
      'prox',
      typeof prox,
      '`prox` must be a function (v, step, out) => out',
    );
  return {
    id: 'stochastic/prox-sgd',
    init: (x0) => ({
      gradient: new Float64Array(x0.length),
      next: new Float64Array(x0.length),
      average: x0.slice(),
      iteration: 0,
    }),
    step(x, state, oracle, { rng }) {
      const t = state.iteration + 1;
      const eta = stepSize(steps, t);
      const g = oracle.sampleGrad(x, rng, state.gradient);
      const next = state.next;
      for (let i = 0; i < x.length; i++) next[i] = x[i] - eta * g[i];
      if (prox) prox(next, eta, next);
      // A non-finite step leaves the average and the count as they were (solve then stops with
      // 'numerical-error' and the last finite iterate).
      for (let i = 0; i < x.length; i++)
        if (!Number.isFinite(next[i]))
          return { x: next, state: { ...state, next: x }, info: { stepSize: eta } };
      const average = state.average;
      for (let i = 0; i < x.length; i++) average[i] += (next[i] - average[i]) / (t + 1);
      return { x: next, state: { gradient: g, next: x, average, iteration: t }, info: { stepSize: eta } };
    },
  };
}

import { InvalidArgumentError } from '../errors/argmin-error';
import type {
  BlockCapability,
  BlockMethods,
  MapCapability,
  TwoBlockFunction,
  VectorMap,
  VectorMapMethods,
} from '../spec/derivatives';
import type { Batch } from '../spec/oracle';

/** Number of calls per method of a vector-valued map, as counted by `countedMap(F)`. */
export interface MapCounts {
  evaluate: number;
  jvp: number;
  vjp: number;
}

/** Number of calls per method of a two-block function, as counted by `countedBlocks(g)`. */
export interface BlockCounts {
  value: number;
  gradX: number;
  gradY: number;
  hvpXX: number;
  hvpYY: number;
  crossHvpXY: number;
  crossHvpYX: number;
  /** drawBatch calls (not function work; not in totalCalls). */
  drawBatch: number;
}

/** A vector map whose calls are counted; `counts` is live, `resetCounts()` zeroes it. */
export type CountedMap<M> = M & {
  readonly counts: Readonly<MapCounts>;
  resetCounts(): void;
  /** evaluate + jvp + vjp calls. */
  totalCalls(): number;
};

/**
 * A two-block function whose calls are counted, including the calls of every `atBatch(batch)` view
 * it hands out (they share one `counts`).
 */
export type CountedBlocks<G> = G & {
  readonly counts: Readonly<BlockCounts>;
  resetCounts(): void;
  /** Sum of value, gradient, Hessian-vector and cross-product calls (drawBatch excluded). */
  totalCalls(): number;
};

function refuse(name: string, what: string, value: unknown): never {
  throw new InvalidArgumentError({
    argument: name,
    value,
    message: `${what}: \`${name}\` must be an object with ${name === 'map' ? 'inputDimension, outputDimension and evaluate' : 'dimensionX, dimensionY and its block methods'}; got ${value === null ? 'null' : typeof value}.`,
  });
}

const mapMethods = ['jvp', 'vjp'] as const satisfies readonly MapCapability[];

/**
 * Wraps a vector-valued map F so that `evaluate`, `jvp` and `vjp` calls are counted, to measure the
 * cost claims of methods that work through Jacobian products (LSQR on a Jacobian, Gauss-Newton,
 * implicit differentiation through a fixed point). Everything else is inherited from F.
 *
 * @example
 * const G = countedMap(F);
 * G.jvp(x, v, out); G.counts.jvp; // 1
 */
export function countedMap<M extends VectorMap>(map: M): CountedMap<M> {
  if (
    typeof map !== 'object' ||
    map === null ||
    typeof (map as { evaluate?: unknown }).evaluate !== 'function'
  )
    refuse('map', 'countedMap', map);
  const counts: MapCounts = { evaluate: 0, jvp: 0, vjp: 0 };
  const source = map as unknown as Partial<VectorMapMethods> & { evaluate: VectorMap['evaluate'] };
  const wrapped = Object.create(map as object) as Record<string, unknown>;
  const evaluate = source.evaluate.bind(source);
  wrapped.evaluate = (x: Float64Array, out: Float64Array) => {
    counts.evaluate++;
    return evaluate(x, out);
  };
  for (const name of mapMethods) {
    const method = source[name];
    if (typeof method !== 'function') continue;
    const f = method.bind(source);
    wrapped[name] = (x: Float64Array, v: Float64Array, out: Float64Array) => {
      counts[name]++;
      return f(x, v, out);
    };
  }
  wrapped.counts = counts;
  wrapped.resetCounts = () => Object.assign(counts, { evaluate: 0, jvp: 0, vjp: 0 });
  wrapped.totalCalls = () => counts.evaluate + counts.jvp + counts.vjp;
  return wrapped as unknown as CountedMap<M>;
}

const blockMethods = [
  'value',
  'gradX',
  'gradY',
  'hvpXX',
  'hvpYY',
  'crossHvpXY',
  'crossHvpYX',
] as const satisfies readonly BlockCapability[];

function emptyBlockCounts(): BlockCounts {
  return { value: 0, gradX: 0, gradY: 0, hvpXX: 0, hvpYY: 0, crossHvpXY: 0, crossHvpYX: 0, drawBatch: 0 };
}

function wrapBlocks(source: TwoBlockFunction, counts: BlockCounts): Record<string, unknown> {
  const wrapped = Object.create(source as object) as Record<string, unknown>;
  const methods = source as unknown as Partial<Record<keyof BlockMethods, (...args: never[]) => unknown>>;
  for (const name of blockMethods) {
    const method = methods[name];
    if (typeof method !== 'function') continue;
    const f = method.bind(source) as (...args: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]) => {
      counts[name]++;
      return f(...args);
    };
  }
  if (typeof source.drawBatch === 'function') {
    const f = source.drawBatch.bind(source);
    wrapped.drawBatch = (rng: never, size?: number) => {
      counts.drawBatch++;
      return f(rng, size);
    };
  }
  if (typeof source.atBatch === 'function') {
    const f = source.atBatch.bind(source);
    wrapped.atBatch = (batch: Batch) => wrapBlocks(f(batch), counts);
  }
  return wrapped;
}

/**
 * Wraps a two-block function g(x, y) so that its value, block gradients, block Hessian-vector
 * products and cross products are counted, to measure complexity claims of bilevel and min-max
 * methods (e.g. "O(1) Hessian-vector products per iteration"). Views from `atBatch(batch)` count
 * into the same `counts`.
 *
 * @example
 * const g = countedBlocks(lowerLevel);
 * g.crossHvpXY(x, y, v, out); g.counts.crossHvpXY; // 1
 */
export function countedBlocks<G extends TwoBlockFunction>(g: G): CountedBlocks<G> {
  if (
    typeof g !== 'object' ||
    g === null ||
    !Number.isInteger((g as { dimensionX?: unknown }).dimensionX) ||
    !Number.isInteger((g as { dimensionY?: unknown }).dimensionY)
  )
    refuse('g', 'countedBlocks', g);
  const counts = emptyBlockCounts();
  const wrapped = wrapBlocks(g, counts);
  wrapped.counts = counts;
  wrapped.resetCounts = () => Object.assign(counts, emptyBlockCounts());
  wrapped.totalCalls = () =>
    counts.value +
    counts.gradX +
    counts.gradY +
    counts.hvpXX +
    counts.hvpYY +
    counts.crossHvpXY +
    counts.crossHvpYX;
  return wrapped as unknown as CountedBlocks<G>;
}

import { describe, expect, it } from 'vitest';
import { batchOf } from '../oracles/batch';
import { checkGradient, checkHvp } from '../oracles/check';
import { createRng, type Rng } from '../rng/rng';
import type { Batch, CapabilityMethods, OracleExtras } from '../spec/oracle';
import type { Vec } from '../spec/vec';

/**
 * An oracle with explicit minibatches: `drawBatch`, `batchValue`, `batchGrad` and `batchHvp` are
 * required; `sampleGrad`, `value`, `grad`, `hvp` and `components` are checked when present.
 */
export type MinibatchOracle = { readonly dimension: number } & Pick<
  CapabilityMethods,
  'drawBatch' | 'batchValue' | 'batchGrad' | 'batchHvp'
> &
  Partial<Pick<CapabilityMethods, 'sampleGrad' | 'value' | 'grad' | 'hvp'>> &
  OracleExtras;

export interface MinibatchConformanceOptions {
  /** Seed of the Rng that draws the test points, directions and batches (default 42). */
  readonly seed?: number;
  /** Number of random (x, v, batch) triples each check runs on (default 5). */
  readonly points?: number;
  /** Entries of x and v are drawn uniformly from [−scale, scale] (default 1). */
  readonly scale?: number;
  /** Batch sizes to draw, besides the oracle's default (default [1, 3]). */
  readonly batchSizes?: readonly number[];
  /**
   * Tolerance of the five-point finite-difference checks: max_i |a_i − n_i| / max(|a_i|, |n_i|, floor)
   * (default 1e-7 with floor 1e-6).
   */
  readonly derivativeTolerance?: number;
  readonly derivativeFloor?: number;
  /**
   * Tolerance of the full-batch check, ‖batch − full‖∞ ≤ tol · max(1, ‖full‖∞) (default 1e-12:
   * only the summation order differs).
   */
  readonly fullBatchTolerance?: number;
  /**
   * The batch that stands for the whole finite sum. Default: every index 0..components−1 once
   * (`batchOf`). Pass `null` to skip the full-batch check (e.g. for trajectory batches).
   */
  readonly fullBatch?: ((oracle: MinibatchOracle) => Batch) | null;
}

/** One named check of the minibatch contract; `run` throws an Error describing the first violation. */
export interface MinibatchCheck {
  readonly name: string;
  /** Whether the check applies (e.g. the sampleGrad check needs `sampleGrad`); default always. */
  appliesTo?(oracle: MinibatchOracle, options: MinibatchConformanceOptions): boolean;
  run(oracle: MinibatchOracle, options?: MinibatchConformanceOptions): void;
}

interface Sample {
  readonly x: Vec;
  readonly v: Vec;
  readonly batch: Batch;
}

function fail(message: string): never {
  throw new Error(message);
}

function randomVector(rng: Rng, n: number, scale: number): Vec {
  return rng.fillUniform(new Float64Array(n), -scale, scale);
}

function samplesOf(oracle: MinibatchOracle, options: MinibatchConformanceOptions): Sample[] {
  const { seed = 42, points = 5, scale = 1, batchSizes = [1, 3] } = options;
  const rng = createRng(seed);
  const sizes: (number | undefined)[] = [undefined, ...batchSizes];
  const out: Sample[] = [];
  for (let k = 0; k < points; k++) {
    const x = randomVector(rng, oracle.dimension, scale);
    const v = randomVector(rng, oracle.dimension, scale);
    const batch = oracle.drawBatch(rng, sizes[k % sizes.length]);
    out.push({ x, v, batch });
  }
  return out;
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function describeBatch(batch: Batch): string {
  const shown = Array.from(batch.indices.subarray(0, 8)).join(', ');
  return `batch [${shown}${batch.indices.length > 8 ? ', …' : ''}] (size ${batch.indices.length})`;
}

/** A vector prefilled with NaN, so an implementation that accumulates into `out` without zeroing it is caught. */
function dirty(n: number): Vec {
  return new Float64Array(n).fill(Number.NaN);
}

function fullBatchOf(oracle: MinibatchOracle, options: MinibatchConformanceOptions): Batch | undefined {
  if (options.fullBatch === null) return undefined;
  if (options.fullBatch) return options.fullBatch(oracle);
  const m = oracle.components;
  if (m === undefined) return undefined;
  return batchOf(
    Array.from({ length: m }, (_, i) => i),
    m,
  );
}

function closeInfNorm(
  where: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: number,
): void {
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs(actual[i] - expected[i]);
    if (!(difference <= tol * scale))
      fail(
        `${where}: index ${i}: ${actual[i]} vs ${expected[i]} (|difference| ${difference.toExponential(3)} > ${tol} · ${scale.toExponential(3)})`,
      );
  }
}

/**
 * The checks of the minibatch contract (see `Batch` and `CapabilityMethods` in `@argmin/core`),
 * runnable on their own (they throw plain Errors) or as a vitest suite through
 * `describeMinibatchConformance`.
 */
export const minibatchChecks: readonly MinibatchCheck[] = [
  {
    name: 'drawBatch returns indices in [0, components), of the requested size (default batchSize)',
    run(oracle, options = {}) {
      const rng = createRng(options.seed ?? 42);
      const m = oracle.components;
      for (const size of [undefined, ...(options.batchSizes ?? [1, 3])]) {
        const batch = oracle.drawBatch(rng, size);
        if (!(batch.indices instanceof Int32Array)) fail('drawBatch: indices must be an Int32Array');
        const expected = size ?? oracle.batchSize;
        if (expected !== undefined && batch.indices.length !== expected)
          fail(`drawBatch(rng, ${size}): ${batch.indices.length} indices, expected ${expected}`);
        if (m !== undefined)
          for (const i of batch.indices)
            if (!(i >= 0 && i < m)) fail(`drawBatch: index ${i} is outside [0, ${m})`);
      }
    },
  },
  {
    name: 'sampleGrad(x, rng) is batchGrad(drawBatch(rng), x) bit for bit, and both consume the Rng identically',
    appliesTo: (oracle) => typeof oracle.sampleGrad === 'function',
    run(oracle, options = {}) {
      const sampleGrad = oracle.sampleGrad;
      if (!sampleGrad) return;
      const n = oracle.dimension;
      for (const { x } of samplesOf(oracle, options)) {
        for (let seed = 0; seed < 3; seed++) {
          const a = createRng(1000 + seed);
          const b = createRng(1000 + seed);
          const viaSample = sampleGrad.call(oracle, x, a, dirty(n)).slice();
          const viaBatch = oracle.batchGrad(oracle.drawBatch(b), x, dirty(n)).slice();
          const at = sameBits(viaSample, viaBatch);
          if (at >= 0)
            fail(
              `sampleGrad differs from batchGrad(drawBatch(rng)) at index ${at} (seed ${1000 + seed}): ${viaSample[at]} vs ${viaBatch[at]}`,
            );
          const nextA = a.uniform();
          const nextB = b.uniform();
          if (!Object.is(nextA, nextB))
            fail(
              `sampleGrad and drawBatch leave the Rng in different states (next uniform ${nextA} vs ${nextB}, seed ${1000 + seed})`,
            );
        }
      }
    },
  },
  {
    name: 'batchGrad matches a five-point finite difference of batchValue on the same batch',
    run(oracle, options = {}) {
      const { derivativeTolerance = 1e-7, derivativeFloor = 1e-6 } = options;
      for (const { x, batch } of samplesOf(oracle, options)) {
        const view = {
          value: (p: Vec) => oracle.batchValue(batch, p),
          grad: (p: Vec, out: Vec) => oracle.batchGrad(batch, p, out),
        };
        const check = checkGradient(view, x, {
          stencil: 'five-point',
          tolerance: derivativeTolerance,
          floor: derivativeFloor,
        });
        if (!check.ok)
          fail(
            `batchGrad vs finite differences of batchValue on ${describeBatch(batch)}: relative error ${check.maxRelativeError.toExponential(3)} at index ${check.worstIndex} (analytic ${check.analytic[check.worstIndex]}, numeric ${check.numeric[check.worstIndex]})`,
          );
      }
    },
  },
  {
    name: 'batchHvp matches a five-point finite difference of batchGrad on the same batch',
    run(oracle, options = {}) {
      const { derivativeTolerance = 1e-7, derivativeFloor = 1e-6 } = options;
      for (const { x, v, batch } of samplesOf(oracle, options)) {
        const view = {
          grad: (p: Vec, out: Vec) => oracle.batchGrad(batch, p, out),
          hvp: (p: Vec, d: Vec, out: Vec) => oracle.batchHvp(batch, p, d, out),
        };
        const check = checkHvp(view, x, v, {
          stencil: 'five-point',
          tolerance: derivativeTolerance,
          floor: derivativeFloor,
        });
        if (!check.ok)
          fail(
            `batchHvp vs finite differences of batchGrad on ${describeBatch(batch)}: relative error ${check.maxRelativeError.toExponential(3)} at index ${check.worstIndex} (analytic ${check.analytic[check.worstIndex]}, numeric ${check.numeric[check.worstIndex]})`,
          );
      }
    },
  },
  {
    name: 'the batch of all components reproduces value, grad and hvp',
    appliesTo: (oracle, options) =>
      options.fullBatch !== null && (options.fullBatch !== undefined || oracle.components !== undefined),
    run(oracle, options = {}) {
      const full = fullBatchOf(oracle, options);
      if (!full) return;
      const tol = options.fullBatchTolerance ?? 1e-12;
      const n = oracle.dimension;
      for (const { x, v } of samplesOf(oracle, options)) {
        if (oracle.value) {
          const expected = oracle.value(x);
          const actual = oracle.batchValue(full, x);
          closeInfNorm('batchValue(all indices) vs value', [actual], [expected], tol);
        }
        if (oracle.grad)
          closeInfNorm(
            'batchGrad(all indices) vs grad',
            oracle.batchGrad(full, x, dirty(n)),
            oracle.grad(x, dirty(n)),
            tol,
          );
        if (oracle.hvp)
          closeInfNorm(
            'batchHvp(all indices) vs hvp',
            oracle.batchHvp(full, x, v, dirty(n)),
            oracle.hvp(x, v, dirty(n)),
            tol,
          );
      }
    },
  },
  {
    name: 'a batch is a value: evaluating it twice, with another batch in between, gives the same bits into a NaN-filled out',
    run(oracle, options = {}) {
      const n = oracle.dimension;
      const samples = samplesOf(oracle, options);
      for (let k = 0; k < samples.length; k++) {
        const { x, v, batch } = samples[k];
        const other = samples[(k + 1) % samples.length];
        const f1 = oracle.batchValue(batch, x);
        const g1 = oracle.batchGrad(batch, x, dirty(n)).slice();
        const h1 = oracle.batchHvp(batch, x, v, dirty(n)).slice();
        oracle.batchValue(other.batch, other.x);
        oracle.batchGrad(other.batch, other.x, dirty(n));
        oracle.batchHvp(other.batch, other.x, other.v, dirty(n));
        const f2 = oracle.batchValue(batch, x);
        const gOut = dirty(n);
        const g2 = oracle.batchGrad(batch, x, gOut);
        const hOut = dirty(n);
        const h2 = oracle.batchHvp(batch, x, v, hOut);
        if (g2 !== gOut) fail('batchGrad must return its `out` argument');
        if (h2 !== hOut) fail('batchHvp must return its `out` argument');
        if (!Object.is(f1, f2)) fail(`batchValue on ${describeBatch(batch)} gave ${f1}, then ${f2}`);
        if (!Number.isFinite(f1)) fail(`batchValue is not finite at a finite point: ${f1}`);
        for (const [label, first, second] of [
          ['batchGrad', g1, g2],
          ['batchHvp', h1, h2],
        ] as const) {
          const at = sameBits(first, second);
          if (at >= 0)
            fail(`${label} on ${describeBatch(batch)} gave different bits on re-evaluation at index ${at}`);
          for (let i = 0; i < n; i++)
            if (!Number.isFinite(first[i]))
              fail(`${label} left index ${i} of \`out\` as ${first[i]} (it must write every entry)`);
        }
      }
    },
  },
  {
    name: 'inputs are not mutated: x, v, the batch indices and the Rng-free arguments',
    run(oracle, options = {}) {
      const n = oracle.dimension;
      for (const { x, v, batch } of samplesOf(oracle, options)) {
        const x0 = x.slice();
        const v0 = v.slice();
        const indices0 = batch.indices.slice();
        oracle.batchValue(batch, x);
        oracle.batchGrad(batch, x, new Float64Array(n));
        oracle.batchHvp(batch, x, v, new Float64Array(n));
        if (oracle.sampleGrad) oracle.sampleGrad(x, createRng(3), new Float64Array(n));
        if (oracle.value) oracle.value(x);
        if (oracle.grad) oracle.grad(x, new Float64Array(n));
        if (oracle.hvp) oracle.hvp(x, v, new Float64Array(n));
        for (const [label, before, after] of [
          ['x', x0, x],
          ['v', v0, v],
          ['batch.indices', indices0, batch.indices],
        ] as const) {
          const at = sameBits(before, after);
          if (at >= 0) fail(`${label} was mutated at index ${at}: ${before[at]} became ${after[at]}`);
        }
      }
    },
  },
];

/**
 * The minibatch contract as a vitest suite, for any oracle with `drawBatch`, `batchValue`,
 * `batchGrad` and `batchHvp`: `sampleGrad` ≡ `batchGrad(drawBatch(rng))` bit for bit with the same
 * Rng consumption; `batchGrad` and `batchHvp` against five-point finite differences on the same
 * batch; the batch of all indices reproduces `value`/`grad`/`hvp`; a batch is a value (same bits on
 * re-evaluation, every entry of `out` written); inputs are not mutated. `make` is called per check.
 *
 * @example
 * describeMinibatchConformance('least squares 30 x 5', () => randomLeastSquares(30, 5, 0.1, createRng(5)));
 */
export function describeMinibatchConformance(
  name: string,
  make: () => MinibatchOracle,
  options: MinibatchConformanceOptions = {},
): void {
  describe(`minibatch conformance: ${name}`, () => {
    for (const check of minibatchChecks) {
      it(check.name, (context) => {
        const oracle = make();
        if (check.appliesTo && !check.appliesTo(oracle, options)) {
          context.skip(`does not apply to ${name}`);
          return;
        }
        expect(() => check.run(oracle, options)).not.toThrow();
      });
    }
  });
}

import {
  ArgminError,
  InvalidArgumentError,
  InvalidOptionsError,
  ResourceLimitError,
  setResourceLimits,
} from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { euclideanCost, gridCost, squaredEuclideanCost } from './cost';
import { gaussianW2, sinkhornDivergence, slicedWasserstein, wasserstein1d } from './distances';
import { emd } from './emd/emd';
import { sinkhorn, sinkhorn2, sinkhornMethods } from './sinkhorn/sinkhorn';
import { sns } from './sns/sns';
import { uniform } from './validate';

const grab = (run: () => unknown): Error => {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
};
const w = [0.5, 0.5];
const cost = [
  [0, 1],
  [1, 0],
];

describe('issue 13: every bad input gets a named error', () => {
  it('unknown options (POT spellings) → InvalidOptionsError with did-you-mean, in every entry point', () => {
    for (const [name, run] of [
      ['sinkhorn', () => sinkhorn(w, w, cost, { regularization: 1, numItermax: 5 } as never)],
      ['sinkhorn stopThr', () => sinkhorn(w, w, cost, { regularization: 1, stopThr: 1e-3 } as never)],
      ['sns', () => sns(w, w, cost, { reg: 1 } as never)],
      ['emd', () => emd(w, w, cost, { numItermax: 5 } as never)],
      ['wasserstein1d', () => wasserstein1d([0, 1], [1, 2], { q: 2 } as never)],
      ['slicedWasserstein', () => slicedWasserstein([[0]], [[1]], { nProjections: 3 } as never)],
      ['sinkhornDivergence', () => sinkhornDivergence([[0]], [[1]], { reg: 1 } as never)],
      ['gridCost', () => gridCost([3], { metric: 'l1' } as never)],
      ['squaredEuclideanCost', () => squaredEuclideanCost([[0]], [[1]], { normalise: true } as never)],
    ] as const) {
      const error = grab(run);
      expect(InvalidOptionsError.isInstance(error), name).toBe(true);
    }
    expect(grab(() => sns(w, w, cost, { reg: 1 } as never)).message).toMatch(/reg.*regularization/s);
    expect(grab(() => sinkhorn(w, w, cost, { regularization: 1, numItermax: 5 } as never)).message).toContain(
      'maxIterations',
    );
  });
  it('integer options that size loops or buffers are validated (non-integers, NaN, huge)', () => {
    for (const run of [
      () => sinkhorn(w, w, cost, { regularization: 1, maxIterations: 1.5 }),
      () => sinkhorn(w, w, cost, { regularization: 1, checkEvery: 0 }),
      () => sinkhorn(w, w, cost, { regularization: 1, innerIterations: Number.NaN }),
      () => sns(w, w, cost, { regularization: 1, sinkhornIterations: -1 }),
      () => sns(w, w, cost, { regularization: 1, maxCgIterations: Number.POSITIVE_INFINITY }),
      () => sns(w, w, cost, { regularization: 1, maxNewtonIterations: 1e9 }),
      () => slicedWasserstein([[0]], [[1]], { projections: 0 }),
      () => slicedWasserstein([[0]], [[1]], { projections: 2.5 }),
      () => emd(w, w, cost, { maxIterations: 0 }),
    ])
      expect(InvalidOptionsError.isInstance(grab(run))).toBe(true);
  });
  it('a missing cost matrix or a wrong shape → InvalidArgumentError (never a raw TypeError)', () => {
    const missing = grab(() => sinkhorn(w, w, undefined as never, { regularization: 1 }));
    expect(InvalidArgumentError.isInstance(missing)).toBe(true);
    expect(missing.message).toContain('the cost matrix is missing');
    const ragged = grab(() => sinkhorn(w, w, [[0, 1], [1]], { regularization: 1 }));
    expect(ragged.message).toContain('row 1 has 1');
    const short = grab(() =>
      sns(w, w, { rows: 2, cols: 2, data: new Float64Array(3) }, { regularization: 1 }),
    );
    expect(short.message).toContain('must hold 4 entries');
    expect(grab(() => emd(w, [0.2, 0.3, 0.5], cost)).message).toContain(
      '`b` has 3 weights but the cost matrix has 2 columns',
    );
    expect(
      InvalidArgumentError.isInstance(grab(() => sinkhorn(w, w, 'cost' as never, { regularization: 1 }))),
    ).toBe(true);
    expect(
      InvalidArgumentError.isInstance(
        grab(() => sinkhorn(undefined as never, w, cost, { regularization: 1 })),
      ),
    ).toBe(true);
    for (const message of [missing.message, ragged.message, short.message])
      expect(message).not.toContain('undefined x undefined');
  });
  it('a NaN or infinite warm start is a named error; a finite one that overflows is a failure status with finite potentials', () => {
    const nan = grab(() =>
      sinkhorn(w, w, cost, { regularization: 1, warmStart: { f: [Number.NaN, 0], g: [0, 0] } }),
    );
    expect(InvalidArgumentError.isInstance(nan)).toBe(true);
    expect(nan.message).toContain('warmStart.f');
    const overflow = sinkhorn(w, w, cost, { regularization: 1e-3, warmStart: { f: [10, 0], g: [0, 0] } });
    expect(overflow.status).toBe('numerical-error');
    for (const x of [...overflow.plan.data, ...overflow.potentials.f, ...overflow.potentials.g])
      expect(Number.isFinite(x)).toBe(true);
  });
  it('no method returns a non-finite plan with an ordinary status (tiny ε on large costs)', () => {
    const big = [
      [0, 1000],
      [1000, 0],
      [500, 3],
    ];
    const a = [0.2, 0.3, 0.5];
    for (const method of sinkhornMethods) {
      const result = sinkhorn(a, [0.5, 0.5], big, { regularization: 1e-3, method, maxIterations: 50 });
      const finite = [...result.plan.data, ...result.potentials.f, ...result.potentials.g].every(
        Number.isFinite,
      );
      expect(finite || result.status === 'numerical-error', method).toBe(true);
      if (result.status === 'numerical-error')
        expect(finite, `${method} returns the last finite plan`).toBe(true);
    }
    const newton = sns(a, [0.5, 0.5], big, { regularization: 1e-3, maxNewtonIterations: 5 });
    // The stabilized warm-up underflows here (row 3's costs are all >= 3 = 3000ε): log-domain sweeps take over.
    expect(newton.warnings.some((w) => w.type === 'fallback')).toBe(true);
    expect(
      [...newton.plan.data, ...newton.potentials.f].every(Number.isFinite) ||
        newton.status === 'numerical-error',
    ).toBe(true);
  });
  it('wasserstein1d with an infinite weight and gaussianW2 with a NaN mean → named errors', () => {
    const infinite = grab(() => wasserstein1d([0, 1], [0, 1], { uWeights: [1, Number.POSITIVE_INFINITY] }));
    expect(InvalidArgumentError.isInstance(infinite)).toBe(true);
    expect(infinite.message).toContain('finite');
    const nanMean = grab(() =>
      gaussianW2(
        [Number.NaN, 0],
        [
          [1, 0],
          [0, 1],
        ],
        [0, 0],
        [
          [1, 0],
          [0, 1],
        ],
      ),
    );
    expect(InvalidArgumentError.isInstance(nanMean)).toBe(true);
    expect(nanMean.message).toContain('mean1');
    expect(ArgminError.isInstance(grab(() => gaussianW2([0], [[1]], [0], [[Number.NaN]])))).toBe(true);
  });
  it('a grid cost of 1e5 points and other large allocations → ResourceLimitError before allocating', () => {
    const grid = grab(() => gridCost([100000]));
    expect(ResourceLimitError.isInstance(grid)).toBe(true);
    expect(grid.message).toContain('setResourceLimits');
    const previous = setResourceLimits({ maxBytes: 1e4 });
    try {
      expect(
        ResourceLimitError.isInstance(
          grab(() =>
            squaredEuclideanCost(
              [[0], [1]],
              Array.from({ length: 1000 }, () => [0]),
            ),
          ),
        ),
      ).toBe(true);
      const n = 40;
      const c = Array.from({ length: n }, () => new Array(n).fill(1));
      expect(ResourceLimitError.isInstance(grab(() => sinkhorn([], [], c, { regularization: 1 })))).toBe(
        true,
      );
      expect(ResourceLimitError.isInstance(grab(() => uniform(1e6)))).toBe(true);
    } finally {
      setResourceLimits(previous);
    }
    expect(
      ResourceLimitError.isInstance(
        grab(() =>
          euclideanCost(
            { rows: 1e5, cols: 1, data: new Float64Array(1e5) },
            { rows: 1e5, cols: 1, data: new Float64Array(1e5) },
          ),
        ),
      ),
    ).toBe(true);
  });
});

describe('issue 14: number[], number[][], [] (uniform) and uniform(n) at the boundary', () => {
  it('number[] weights and a number[][] cost give the same result as Float64Arrays', () => {
    const plain = sinkhorn(
      [0.2, 0.8],
      [0.5, 0.5],
      [
        [0, 1],
        [2, 0.5],
      ],
      { regularization: 0.5 },
    );
    const typed = sinkhorn(
      Float64Array.of(0.2, 0.8),
      Float64Array.of(0.5, 0.5),
      { rows: 2, cols: 2, data: Float64Array.of(0, 1, 2, 0.5) },
      { regularization: 0.5 },
    );
    expect(Array.from(plain.plan.data)).toEqual(Array.from(typed.plan.data));
    expect(
      emd(
        [0.2, 0.8],
        [0.5, 0.5],
        [
          [0, 1],
          [2, 0.5],
        ],
      ).cost,
    ).toBe(
      emd(Float64Array.of(0.2, 0.8), Float64Array.of(0.5, 0.5), {
        rows: 2,
        cols: 2,
        data: Float64Array.of(0, 1, 2, 0.5),
      }).cost,
    );
  });
  it("empty weights mean uniform (POT's convention), and uniform(n) is 1/n", () => {
    const c = [
      [0, 1, 2],
      [1, 0, 1],
    ];
    const implicit = sinkhorn([], [], c, { regularization: 0.5 });
    const explicit = sinkhorn(uniform(2), uniform(3), c, { regularization: 0.5 });
    expect(Array.from(implicit.plan.data)).toEqual(Array.from(explicit.plan.data));
    expect(Array.from(uniform(4))).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(InvalidArgumentError.isInstance(grab(() => uniform(0)))).toBe(true);
  });
  it('inputs are never mutated', () => {
    const a = [0.2, 0.8];
    const c = [
      [0, 1],
      [2, 0.5],
    ];
    const typed = Float64Array.of(0.5, 0.5);
    sns(a, typed, c, { regularization: 0.5 });
    expect(a).toEqual([0.2, 0.8]);
    expect(c).toEqual([
      [0, 1],
      [2, 0.5],
    ]);
    expect(Array.from(typed)).toEqual([0.5, 0.5]);
  });
  it('sinkhorn2 takes several target histograms as a number[][] (one row per target point)', () => {
    const c = [
      [0, 1],
      [1, 0],
    ];
    const costs = sinkhorn2(
      [0.5, 0.5],
      [
        [0.5, 0.2],
        [0.5, 0.8],
      ],
      c,
      { regularization: 0.5 },
    ) as Float64Array;
    expect(costs).toHaveLength(2);
    expect(costs[0]).toBeCloseTo(sinkhorn([0.5, 0.5], [0.5, 0.5], c, { regularization: 0.5 }).cost, 14);
    expect(costs[1]).toBeCloseTo(sinkhorn([0.5, 0.5], [0.2, 0.8], c, { regularization: 0.5 }).cost, 14);
    expect(sinkhorn2([0.5, 0.5], [0.2, 0.8], c, { regularization: 0.5 })).toBeCloseTo(costs[1], 14);
  });
  it('distances and cost builders take number[] and number[][]', () => {
    expect(wasserstein1d([0, 1], [1, 2])).toBeCloseTo(1, 14);
    expect(
      gaussianW2(
        [0, 0],
        [
          [1, 0],
          [0, 1],
        ],
        [3, 4],
        [
          [1, 0],
          [0, 1],
        ],
      ).distance,
    ).toBeCloseTo(5, 12);
    expect(squaredEuclideanCost([[0, 0]], [[3, 4]]).data[0]).toBe(25);
  });
});

describe('issue 13 cause 11: options without effect in the chosen configuration are a warning on the result', () => {
  it("sinkhorn: absorbThreshold with 'standard'/'log', epsilon-scaling options with other methods", () => {
    const standard = sinkhorn(w, w, cost, { regularization: 1, absorbThreshold: 10 });
    expect(standard.warnings.find((x) => x.type === 'ignored-option')?.message).toContain(
      '`absorbThreshold`',
    );
    const stabilized = sinkhorn(w, w, cost, { regularization: 1, method: 'stabilized', innerIterations: 5 });
    expect(stabilized.warnings.find((x) => x.type === 'ignored-option')?.message).toContain(
      '`innerIterations`',
    );
    const scaling = sinkhorn(w, w, cost, {
      regularization: 1,
      method: 'epsilon-scaling',
      innerIterations: 5,
      absorbThreshold: 10,
    });
    expect(scaling.warnings.some((x) => x.type === 'ignored-option')).toBe(false);
  });
  it('sns: switchTolerance without a warm-up', () => {
    const result = sns(w, w, cost, { regularization: 1, sinkhornIterations: 0, switchTolerance: 1e-3 });
    expect(result.warnings.find((x) => x.type === 'ignored-option')?.message).toContain('`switchTolerance`');
  });
});

import { ArgminError, type Batch, batchOf, checkGradient, checkHvp, createRng, type Vec } from '@argmin/core';
import { describeMinibatchConformance } from '@argmin/core/testing';
import { describe, expect, it } from 'vitest';
import type { LayerSpec } from './layers';
import type { LossName } from './losses';
import { Network } from './network';
import { asOracle, type NetworkOracle } from './oracle';
import { nnProblems } from './problems';

/** A smooth network with every parameterized layer kind (dense, layer norm, residual) and its data. */
function makeOracle(lossName: LossName, options: { l2?: number; weightMask?: boolean } = {}) {
  const rng = createRng(17);
  const k = lossName === 'cross-entropy' ? 3 : 2;
  const layers: LayerSpec[] = [
    { type: 'dense', inputs: 3, outputs: 4 },
    { type: 'layer-norm', size: 4 },
    { type: 'activation', size: 4, activation: 'tanh' },
    {
      type: 'residual',
      layers: [
        { type: 'dense', inputs: 4, outputs: 4 },
        { type: 'activation', size: 4, activation: 'softplus' },
      ],
    },
    { type: 'dense', inputs: 4, outputs: k },
  ];
  const network = new Network({ layers });
  const n = 12;
  const inputs = { rows: n, cols: 3, data: rng.fillNormal(new Float64Array(n * 3)) };
  const targets =
    lossName === 'cross-entropy'
      ? Float64Array.from({ length: n }, () => rng.integer(k))
      : rng.fillNormal(new Float64Array(n * k));
  const weightMask = options.weightMask
    ? Float64Array.from({ length: network.parameterCount }, (_, i) => (i % 5 === 0 ? 0 : 1))
    : undefined;
  return asOracle(network, lossName, { inputs, targets }, { batchSize: 4, l2: options.l2, weightMask });
}

const onBatch = (oracle: NetworkOracle, batch: Batch) => ({
  value: (x: Vec) => oracle.batchValue(batch, x),
  grad: (x: Vec, out: Vec) => oracle.batchGrad(batch, x, out),
  hvp: (x: Vec, v: Vec, out: Vec) => oracle.batchHvp(batch, x, v, out),
});

const cases: [string, () => NetworkOracle][] = [
  ['cross-entropy, l2 1e-2', () => makeOracle('cross-entropy', { l2: 1e-2 })],
  ['mse', () => makeOracle('mse')],
  ['mse with a weight mask (pruning)', () => makeOracle('mse', { weightMask: true })],
];

// A layer-norm + tanh network has large higher derivatives: at the conformance suite's fixed step
// (1e-3, scaled by 1/‖v‖∞) the five-point stencil's truncation error reaches a few 1e-6 relative. It is
// truncation, not a wrong HVP: measured on this network, the error falls as h⁴ (2.5e-6, 2e-8, 4e-10 at
// h = 1e-3, 3e-4, 1e-4). Hence tolerance 1e-5 with a 1e-4 floor here; the tests below check the same
// derivatives to 1e-7.
const tolerances = { derivativeTolerance: 1e-5, derivativeFloor: 1e-4 };
for (const [label, make] of cases)
  describeMinibatchConformance(`asOracle, ${label}`, make, { scale: 0.6, batchSizes: [1, 7], ...tolerances });
describeMinibatchConformance(
  'nn/two-spirals-mlp (tanh, hidden [6], 10 points per class)',
  () =>
    nnProblems[0].create(
      nnProblems[0].options.parse({ samplesPerClass: 10, hidden: [6], batchSize: 8 }) as never,
      createRng(2),
    ).problem as never,
  { points: 3, ...tolerances },
);

for (const [label, make] of cases) {
  describe(`asOracle minibatches: ${label}`, () => {
    const oracle = make();
    const P = oracle.dimension;
    const rng = createRng(3);
    const x = rng.fillUniform(new Float64Array(P), -0.6, 0.6);
    const v = rng.fillUniform(new Float64Array(P), -1, 1);

    it('sampleGrad(θ, rng) equals batchGrad(drawBatch(rng), θ) bit for bit, with the same Rng use', () => {
      for (const seed of [1, 2]) {
        const a = createRng(seed);
        const b = createRng(seed);
        const sampled = oracle.sampleGrad(x, a, new Float64Array(P));
        const batched = oracle.batchGrad(oracle.drawBatch(b), x, new Float64Array(P));
        expect(Array.from(batched)).toEqual(Array.from(sampled));
        expect(b.uniform()).toBe(a.uniform());
      }
    });
    it('batchGrad matches five-point differences of batchValue and batchHvp those of batchGrad (same batch)', () => {
      for (const size of [undefined, 1, 7]) {
        const view = onBatch(oracle, oracle.drawBatch(createRng(9), size));
        expect(checkGradient(view, x, { stencil: 'five-point', floor: 1e-4 }).maxRelativeError).toBeLessThan(
          1e-7,
        );
        expect(checkHvp(view, x, v, { stencil: 'five-point', floor: 1e-4 }).maxRelativeError).toBeLessThan(
          1e-7,
        );
      }
    });
    it('the batch of all examples reproduces value, grad and hvp; a batch evaluated twice gives the same bits', () => {
      const all = batchOf(
        Array.from({ length: oracle.examples }, (_, i) => i),
        oracle.examples,
      );
      expect(oracle.batchValue(all, x)).toBeCloseTo(oracle.value(x), 13);
      const worst = (a: Vec, b: Vec) => a.reduce((m, ai, i) => Math.max(m, Math.abs(ai - b[i])), 0);
      expect(
        worst(oracle.batchGrad(all, x, new Float64Array(P)), oracle.grad(x, new Float64Array(P))),
      ).toBeLessThan(1e-13);
      expect(
        worst(oracle.batchHvp(all, x, v, new Float64Array(P)), oracle.hvp(x, v, new Float64Array(P))),
      ).toBeLessThan(1e-13);
      const batch = oracle.drawBatch(createRng(4), 5);
      const first = oracle.batchHvp(batch, x, v, new Float64Array(P)).slice();
      oracle.batchGrad(oracle.drawBatch(createRng(5), 3), x, new Float64Array(P));
      expect(Array.from(oracle.batchHvp(batch, x, v, new Float64Array(P)))).toEqual(Array.from(first));
    });
  });
}

describe('asOracle argument checks', () => {
  const oracle = makeOracle('mse');
  const P = oracle.dimension;
  const named = (f: () => unknown, pattern: RegExp) => {
    let caught: unknown;
    try {
      f();
    } catch (error) {
      caught = error;
    }
    expect(ArgminError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toMatch(pattern);
  };
  it('a parameter vector of the wrong length is a named error in every capability', () => {
    const short = new Float64Array(P - 1);
    const out = new Float64Array(P);
    const batch = oracle.drawBatch(createRng(1));
    named(() => oracle.value(short), new RegExp(`one entry per network parameter \\(${P}\\)`));
    named(() => oracle.grad(short, out), /params/);
    named(() => oracle.hvp(out, short, out), /`v`/);
    named(() => oracle.sampleGrad(short, createRng(1), out), /params/);
    named(() => oracle.batchGrad(batch, short, out), /params/);
    named(() => oracle.batchHvp(batch, out, short, out), /`v`/);
    named(() => oracle.componentGrad(0, short, out), /params/);
  });
  it('a malformed batch or an example index out of range is a named error', () => {
    const theta = new Float64Array(P);
    named(() => oracle.batchValue({ indices: new Int32Array(0) }, theta), /non-empty/);
    named(() => oracle.batchValue({ indices: Int32Array.of(12) }, theta), /\[0, 11\]/);
    named(() => oracle.componentGrad(12, theta, new Float64Array(P)), /index/);
  });
  it('the two-spirals problem plugin lists the minibatch capabilities and provides them', () => {
    const plugin = nnProblems[0];
    const { problem } = plugin.create(
      plugin.options.parse({ samplesPerClass: 5, hidden: [4] }) as never,
      createRng(1),
    );
    for (const capability of plugin.meta.provides)
      expect(typeof (problem as unknown as Record<string, unknown>)[capability], capability).toBe('function');
  });
});

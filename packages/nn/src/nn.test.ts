import { checkGradient, checkHvp, createRng, InvalidArgumentError } from '@argmin/core';
import { expectAllClose } from '@argmin/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import reference from './__fixtures__/nn-reference.json';
import { activation, activationNames } from './activations';
import { gaussianClusters, twoSpirals } from './datasets';
import { erf } from './erf';
import type { LayerSpec } from './layers';
import { type LossName, lossNames } from './losses';
import { mlp } from './mlp';
import { Network } from './network';
import { asOracle, type Dataset } from './oracle';
import { loadNetwork, saveNetwork } from './serialize';

const close = (
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  relative: number,
  absolute = 0,
  label = 'values',
) => expect(() => expectAllClose(actual, expected, { relative, absolute, label })).not.toThrow();

describe('forward and backward equal the numpy reference (generate-nn-reference.py) to 1e-12', () => {
  for (const c of reference.cases) {
    it(c.name, () => {
      const network = new Network({ layers: c.layers as LayerSpec[] });
      const params = Float64Array.from(c.params);
      const inputs = { rows: c.rows, cols: 4, data: Float64Array.from(c.inputs) };
      const outputs = network.forward(params, inputs);
      close(outputs.data, c.outputs, 1e-12, 1e-14, `${c.name}: outputs`);
      const oracle = asOracle(network, c.loss as LossName, { inputs, targets: Float64Array.from(c.targets) });
      const gradient = new Float64Array(network.parameterCount);
      const value = oracle.valueAndGrad!(params, gradient);
      expect(Math.abs(value - c.value)).toBeLessThanOrEqual(1e-12 * Math.abs(c.value));
      close(gradient, c.gradient, 1e-12, 1e-14, `${c.name}: gradient`);
    });
  }
});

/** A random small network of every layer kind, data and targets for a loss. */
function randomCase(seed: number, lossName: LossName, act: (typeof activationNames)[number]) {
  const rng = createRng(seed);
  const k = lossName === 'cross-entropy' ? 3 : 2;
  const layers: LayerSpec[] = [
    { type: 'dense', inputs: 3, outputs: 5 },
    { type: 'layer-norm', size: 5 },
    { type: 'activation', size: 5, activation: act },
    {
      type: 'residual',
      layers: [
        { type: 'dense', inputs: 5, outputs: 5 },
        { type: 'activation', size: 5, activation: act },
      ],
    },
    { type: 'dense', inputs: 5, outputs: k },
  ];
  const network = new Network({ layers });
  const params = network.initialize(rng, 'xavier-normal');
  for (let i = 0; i < params.length; i++) params[i] += 0.3 * rng.normal();
  const n = 6;
  const inputs = { rows: n, cols: 3, data: rng.fillNormal(new Float64Array(n * 3)) };
  const targets =
    lossName === 'cross-entropy'
      ? Float64Array.from({ length: n }, () => rng.integer(k))
      : lossName === 'hinge'
        ? Float64Array.from({ length: n * k }, () => rng.rademacher())
        : lossName === 'binary-cross-entropy'
          ? rng.fillUniform(new Float64Array(n * k))
          : rng.fillNormal(new Float64Array(n * k));
  return { network, params, data: { inputs, targets } as Dataset, rng };
}

describe('exact derivatives against finite differences, every layer, activation and loss (fast-check, seed 42)', () => {
  const smooth = activationNames.filter((a) => a !== 'relu' && a !== 'leaky-relu');
  for (const lossName of lossNames) {
    it(`gradient and HVP for the ${lossName} loss`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(...smooth), (seed, act) => {
          const { network, params, data, rng } = randomCase(seed, lossName, act);
          const oracle = asOracle(network, lossName, data, { l2: 0.01 });
          const gradientCheck = checkGradient(oracle, params, {
            // hinge is piecewise linear: a wide stencil would straddle its kink, so use small central steps.
            stencil: lossName === 'hinge' ? 'central' : 'five-point',
            tolerance: 1e-6,
            floor: lossName === 'hinge' ? 1e-3 : 1e-4,
          });
          expect(
            gradientCheck.maxRelativeError,
            `gradient, ${act}, worst index ${gradientCheck.worstIndex}`,
          ).toBeLessThanOrEqual(1e-6);
          if (lossName === 'hinge') return; // piecewise linear: FD of the gradient crosses kinks
          const v = rng.fillNormal(new Float64Array(network.parameterCount));
          const hvpCheck = checkHvp(oracle, params, v, {
            stencil: 'five-point',
            tolerance: 1e-6,
            floor: 1e-4,
          });
          expect(
            hvpCheck.maxRelativeError,
            `hvp, ${act}, worst index ${hvpCheck.worstIndex}`,
          ).toBeLessThanOrEqual(1e-6);
        }),
        { seed: 42, numRuns: 12 },
      );
    });
  }
  // relu and leaky relu are checked against the numpy reference above (finite differences straddle the kink).
  it('the Hessian-vector product is symmetric: uᵀ(Hv) = vᵀ(Hu)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (seed) => {
        const { network, params, data, rng } = randomCase(seed, 'cross-entropy', 'tanh');
        const oracle = asOracle(network, 'cross-entropy', data);
        const P = network.parameterCount;
        const u = rng.fillNormal(new Float64Array(P));
        const v = rng.fillNormal(new Float64Array(P));
        const hv = oracle.hvp(params, v, new Float64Array(P));
        const hu = oracle.hvp(params, u, new Float64Array(P));
        let a = 0;
        let b = 0;
        for (let i = 0; i < P; i++) {
          a += u[i] * hv[i];
          b += v[i] * hu[i];
        }
        expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(a)));
      }),
      { seed: 42, numRuns: 20 },
    );
  });
  it('activations: first and second derivatives match finite differences; erf matches scipy', () => {
    for (const name of activationNames) {
      const f = activation(name);
      for (const x of [-2.3, -0.7, 0.4, 1.9]) {
        const h = 1e-6;
        expect(Math.abs(f.first(x) - (f.value(x + h) - f.value(x - h)) / (2 * h))).toBeLessThan(1e-8);
        expect(Math.abs(f.second(x) - (f.first(x + h) - f.first(x - h)) / (2 * h))).toBeLessThan(1e-7);
      }
    }
    // scipy.special.erf at -3, -0.3, 1.7, 2.49, 2.51, 3.3
    close(
      [-3, -0.3, 1.7, 2.49, 2.51, 3.3].map(erf),
      [
        -0.9999779095030014, -0.3286267594591274, 0.9837904585907745, 0.9995707121322661, 0.9996142945182758,
        0.9999969422902035,
      ],
      1e-14,
    );
  });
});

describe('oracle', () => {
  const { network, params, data } = randomCase(3, 'cross-entropy', 'tanh');
  const oracle = asOracle(network, 'cross-entropy', data, { batchSize: 4 });
  it('the mean of per-example gradients is the full gradient', () => {
    const per = oracle.perExampleGradients(params);
    const mean = new Float64Array(network.parameterCount);
    for (let i = 0; i < per.rows; i++)
      for (let j = 0; j < per.cols; j++) mean[j] += per.data[i * per.cols + j] / per.rows;
    close(mean, oracle.grad(params, new Float64Array(network.parameterCount)), 1e-12, 1e-15);
  });
  it('sampleGrad is reproducible from the seed and equals the gradient of the drawn minibatch', () => {
    const a = oracle.sampleGrad(params, createRng(9), new Float64Array(network.parameterCount));
    const b = oracle.sampleGrad(params, createRng(9), new Float64Array(network.parameterCount));
    expect(Array.from(a)).toEqual(Array.from(b));
    const draw = createRng(9);
    const rows = [0, 1, 2, 3].map(() => draw.integer(data.inputs.rows));
    const per = oracle.perExampleGradients(params, rows);
    const mean = new Float64Array(network.parameterCount);
    for (let i = 0; i < 4; i++) for (let j = 0; j < per.cols; j++) mean[j] += per.data[i * per.cols + j] / 4;
    close(a, mean, 1e-12, 1e-15);
  });
  it('a weight mask zeroes the masked parameters’ influence and gradient', () => {
    const mask = new Float64Array(network.parameterCount).fill(1);
    for (let i = 0; i < mask.length; i += 3) mask[i] = 0;
    const masked = asOracle(network, 'cross-entropy', data, { weightMask: mask });
    const g = masked.grad(params, new Float64Array(network.parameterCount));
    for (let i = 0; i < mask.length; i += 3) expect(g[i] === 0).toBe(true); // +0 or -0
    const perturbed = params.slice();
    for (let i = 0; i < mask.length; i += 3) perturbed[i] += 5;
    expect(masked.value(perturbed)).toBe(masked.value(params));
    expect(checkGradient(masked, params, { floor: 1e-4 }).ok).toBe(true);
  });
  it('a layer mask skips a layer (identity) and still gives exact gradients', () => {
    const layerMask = [true, true, true, false, true];
    const skipped = asOracle(network, 'cross-entropy', data, { layerMask });
    expect(skipped.value(params)).not.toBe(oracle.value(params));
    expect(checkGradient(skipped, params, { floor: 1e-4 }).maxRelativeError).toBeLessThan(1e-6);
  });
  it('forward allocates nothing new per call for a fixed batch size (workspaces are reused)', () => {
    const a = network.workspace(6);
    network.forward(params, data.inputs);
    expect(network.workspace(6)).toBe(a);
  });
});

describe('networks: construction, initialization, serialization', () => {
  it('mlp builds dense layers with activations between them', () => {
    const network = mlp({ sizes: [784, 256, 256, 10] });
    expect(network.parameterCount).toBe(784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10);
    expect(network.layers.map((l) => l.spec.type)).toEqual([
      'dense',
      'activation',
      'dense',
      'activation',
      'dense',
    ]);
  });
  it('initializers follow their variance rules (He: 2/fan_in) and are seeded', () => {
    const network = mlp({ sizes: [400, 300, 1] });
    const params = network.initialize(createRng(1), 'he-normal');
    const w = network.views(params)[0].data;
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(variance).toBeGreaterThan((2 / 400) * 0.95);
    expect(variance).toBeLessThan((2 / 400) * 1.05);
    expect(Array.from(network.initialize(createRng(1), 'he-normal'))).toEqual(Array.from(params));
    const bias = network.views(params)[1];
    expect(bias.name).toBe('layers.0.bias');
    expect(bias.kind).toBe('bias');
    expect(Array.from(bias.data).every((v) => v === 0)).toBe(true);
  });
  it('save and load round-trip through JSON', () => {
    const network = mlp({ sizes: [3, 4, 2], layerNorm: true, residualBlocks: 1 });
    const params = network.initialize(createRng(2));
    const { network: copy, params: copied } = loadNetwork(
      JSON.parse(JSON.stringify(saveNetwork(network, params))),
    );
    const x = { rows: 2, cols: 3, data: Float64Array.of(1, 2, 3, -1, 0, 1) };
    expect(Array.from(copy.forward(copied, x).data)).toEqual(Array.from(network.forward(params, x).data));
  });
  it('datasets are seeded and labelled', () => {
    const a = twoSpirals(10, { rng: createRng(1) });
    expect(a.inputs.rows).toBe(20);
    expect(Array.from(a.targets.slice(0, 4))).toEqual([0, 1, 0, 1]);
    expect(Array.from(twoSpirals(10, { rng: createRng(1) }).inputs.data)).toEqual(Array.from(a.inputs.data));
    expect(gaussianClusters(9, { classes: 3, rng: createRng(1) }).targets[8]).toBe(2);
  });
});

describe('bad input', () => {
  const network = mlp({ sizes: [3, 4, 2] });
  const params = network.initialize(createRng(0));
  const grab = (run: () => unknown): Error => {
    try {
      run();
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected a throw');
  };
  it('rejects data whose width differs from the input size', () => {
    const error = grab(() => network.forward(params, { rows: 1, cols: 2, data: Float64Array.of(1, 2) }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      "nn/forward: the data has 2 columns but the network's input size is 3. Pass a [n, 3] matrix.",
    );
  });
  it('rejects labels out of range, naming the index', () => {
    const data = { inputs: { rows: 2, cols: 3, data: new Float64Array(6) }, targets: Float64Array.of(0, 2) };
    expect(grab(() => asOracle(network, 'cross-entropy', data)).message).toBe(
      'nn/asOracle: labels must be integers in [0, 1] (one per output class); got 2 at index 1 (loss cross-entropy).',
    );
  });
  it('rejects NaN in the inputs', () => {
    const data = {
      inputs: { rows: 1, cols: 3, data: Float64Array.of(0, Number.NaN, 0) },
      targets: Float64Array.of(0),
    };
    expect(grab(() => asOracle(network, 'cross-entropy', data)).message).toBe(
      'nn/asOracle: `inputs` must be finite; got NaN at index 1. Remove or impute non-finite entries.',
    );
  });
  it('rejects a wrong number of targets and a wrong parameter length', () => {
    const data = { inputs: { rows: 2, cols: 3, data: new Float64Array(6) }, targets: Float64Array.of(0) };
    expect(grab(() => asOracle(network, 'mse', data)).message).toContain(
      'mse needs 4 targets for 2 examples and 2 outputs; got 1',
    );
    expect(
      grab(() => network.forward(new Float64Array(3), { rows: 1, cols: 3, data: new Float64Array(3) }))
        .message,
    ).toContain('must be a Float64Array of length 26');
  });
  it('rejects layers whose sizes do not chain, and unknown activations', () => {
    expect(
      grab(
        () =>
          new Network({
            layers: [
              { type: 'dense', inputs: 2, outputs: 3 },
              { type: 'dense', inputs: 4, outputs: 1 },
            ],
          }),
      ).message,
    ).toContain('layer 1 expects 4 inputs but the previous layer outputs 3');
    expect(
      grab(() => new Network({ layers: [{ type: 'activation', size: 2, activation: 'swish' as never }] }))
        .message,
    ).toContain('unknown activation');
  });
  it('rejects skipping a layer that changes the width', () => {
    expect(
      grab(() =>
        network.forward(
          params,
          { rows: 1, cols: 3, data: new Float64Array(3) },
          { layerMask: [false, true, true] },
        ),
      ).message,
    ).toContain('cannot be skipped');
  });
});

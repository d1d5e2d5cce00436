import { createRng, type DenseMatrix, InvalidArgumentError, type Vec } from '@argmin/core';
import { type Loss, type Network, twoSpirals } from '@argmin/nn';
import type { BilevelOracle } from '../problem/bilevel-oracle';

/** A regression data set for a feature map: inputs [n, d] and scalar targets. */
export interface RepresentationData {
  readonly inputs: DenseMatrix;
  readonly targets: Float64Array;
}

/**
 * Hyper-representation learning (BO-REP's and the bilevel literature's meta-learning setting, reduced
 * to regression): the upper variable x is the parameter vector of an `@argmin/nn` feature map φ_x
 * (outputs k features), the lower variable y ∈ R^k a linear head fitted on the training split:
 *   g(x, y) = (1/n) Σ_i ½(yᵀφ_x(z_i) − t_i)² + (λ/2)‖y‖²,   f(x, y) = (1/n_v) Σ_j ½(yᵀφ_x(z_j) − t_j)²
 * (validation). With r_i = yᵀφ_i − t_i and J_i = ∂φ_x(z_i)/∂x:
 *   ∇_y g = (1/n) Σ r_i φ_i + λy,  ∇_x g = (1/n) Σ r_i J_iᵀ y,  ∇²_yy g v = (1/n) Σ (φ_iᵀv) φ_i + λv,
 *   ∇²_xy g v = (1/n) Σ J_iᵀ[(φ_iᵀv) y + r_i v]
 * where the products with J_iᵀ are the network's exact reverse pass.
 */
export function hyperRepresentation({
  network,
  train,
  validation,
  l2 = 1e-2,
}: {
  network: Network;
  train: RepresentationData;
  validation: RepresentationData;
  l2?: number;
}): BilevelOracle {
  const where = 'hyperRepresentation';
  if (!(l2 > 0) || !Number.isFinite(l2)) {
    throw new InvalidArgumentError({
      argument: 'l2',
      value: l2,
      message: `${where}: \`l2\` must be a finite number > 0 (it makes the lower level strongly convex); got ${l2}.`,
    });
  }
  for (const [name, data] of [
    ['train', train],
    ['validation', validation],
  ] as const) {
    network.checkInputs(where, data.inputs);
    if (!(data.targets instanceof Float64Array) || data.targets.length !== data.inputs.rows) {
      throw new InvalidArgumentError({
        argument: `${name}.targets`,
        value: data.targets?.length,
        message: `${where}: \`${name}.targets\` needs one target per input row (${data.inputs.rows}).`,
      });
    }
  }
  const k = network.outputSize;
  const p = network.parameterCount;
  const featuresOf = (x: Vec, data: RepresentationData) => network.forward(x, data.inputs).data;
  // The cotangent each call pushes back through the network (dL/dφ per sample), set before the pass.
  let cotangent: (phi: Vec, n: number, out: Vec) => void = () => {};
  const pullback: Loss = {
    name: 'mse',
    targetLength: (n, kk) => n * kk,
    checkTargets: () => undefined,
    valueAndGradient(phi, _t, n, _k, gy) {
      cotangent(phi, n, gy);
      return 0;
    },
    hessianVector() {},
  };
  const dummyTargets = new Float64Array(Math.max(train.inputs.rows, validation.inputs.rows) * k);
  const vjp = (x: Vec, data: RepresentationData, cot: typeof cotangent, out: Vec): Vec => {
    cotangent = cot;
    network.lossAndGradient(x, data.inputs.data, dummyTargets, data.inputs.rows, pullback, out);
    return out;
  };
  const residuals = (phi: Vec, y: Vec, t: Float64Array, n: number, r: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let s = -t[i];
      for (let j = 0; j < k; j++) s += y[j] * phi[i * k + j];
      r[i] = s;
    }
    return r;
  };
  const rTrain = new Float64Array(train.inputs.rows);
  const rVal = new Float64Array(validation.inputs.rows);
  const halfMse = (x: Vec, y: Vec, data: RepresentationData, r: Float64Array) => {
    const n = data.inputs.rows;
    residuals(featuresOf(x, data), y, data.targets, n, r);
    let s = 0;
    for (let i = 0; i < n; i++) s += 0.5 * r[i] * r[i];
    return s / n;
  };
  const gradY = (x: Vec, y: Vec, data: RepresentationData, r: Float64Array, out: Vec) => {
    const n = data.inputs.rows;
    const phi = featuresOf(x, data);
    residuals(phi, y, data.targets, n, r);
    out.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[j] += (r[i] * phi[i * k + j]) / n;
    return out;
  };
  const gradX = (x: Vec, y: Vec, data: RepresentationData, r: Float64Array, out: Vec) => {
    const n = data.inputs.rows;
    residuals(featuresOf(x, data), y, data.targets, n, r);
    return vjp(
      x,
      data,
      (_phi, nn, gy) => {
        for (let i = 0; i < nn; i++) for (let j = 0; j < k; j++) gy[i * k + j] = (r[i] * y[j]) / nn;
      },
      out,
    );
  };
  return {
    dimX: p,
    dimY: k,
    upperValue: (x, y) => halfMse(x, y, validation, rVal),
    upperGradX: (x, y, out) => gradX(x, y, validation, rVal, out),
    upperGradY: (x, y, out) => gradY(x, y, validation, rVal, out),
    lowerValue(x, y) {
      let yy = 0;
      for (let j = 0; j < k; j++) yy += y[j] * y[j];
      return halfMse(x, y, train, rTrain) + 0.5 * l2 * yy;
    },
    lowerGradX: (x, y, out) => gradX(x, y, train, rTrain, out),
    lowerGradY(x, y, out) {
      gradY(x, y, train, rTrain, out);
      for (let j = 0; j < k; j++) out[j] += l2 * y[j];
      return out;
    },
    lowerHvpYY(x, _y, v, out) {
      const n = train.inputs.rows;
      const phi = featuresOf(x, train);
      for (let j = 0; j < k; j++) out[j] = l2 * v[j];
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += phi[i * k + j] * v[j];
        for (let j = 0; j < k; j++) out[j] += (s * phi[i * k + j]) / n;
      }
      return out;
    },
    lowerCrossXY(x, y, v, out) {
      const n = train.inputs.rows;
      residuals(featuresOf(x, train), y, train.targets, n, rTrain);
      return vjp(
        x,
        train,
        (phi, nn, gy) => {
          for (let i = 0; i < nn; i++) {
            let s = 0;
            for (let j = 0; j < k; j++) s += phi[i * k + j] * v[j];
            for (let j = 0; j < k; j++) gy[i * k + j] = (s * y[j] + rTrain[i] * v[j]) / nn;
          }
        },
        out,
      );
    },
  };
}

/**
 * A regression stand-in for meta-learning data: two-spirals inputs (from `@argmin/nn`) with targets
 * sin(2 z₁) + z₂², so a good shared representation matters.
 */
export function spiralRegression(samplesPerClass: number, seed: number): RepresentationData {
  const { inputs } = twoSpirals(samplesPerClass, { rng: createRng(seed) });
  const n = inputs.rows;
  const targets = new Float64Array(n);
  for (let i = 0; i < n; i++) targets[i] = Math.sin(2 * inputs.data[2 * i]) + inputs.data[2 * i + 1] ** 2;
  return { inputs, targets };
}

import { gemm, type Vec } from '@argmin/core';
import { type Activation, type ActivationName, activation } from './activations';

/** Serializable description of a layer (the JSON form of a network). */
export type LayerSpec =
  | { readonly type: 'dense'; readonly inputs: number; readonly outputs: number; readonly bias?: boolean }
  | {
      readonly type: 'activation';
      readonly size: number;
      readonly activation: ActivationName;
      readonly negativeSlope?: number;
    }
  | { readonly type: 'layer-norm'; readonly size: number; readonly epsilon?: number }
  | { readonly type: 'residual'; readonly layers: readonly LayerSpec[] };

/** What a parameter block is. */
export type ParameterKind = 'weight' | 'bias' | 'gamma' | 'beta';

/**
 * A named block of parameters inside the flat vector. `name` is unique by path, like PyTorch's
 * `named_parameters()`: `layers.<i>.<kind>` for a top-level layer, `layers.<i>.residual.<j>.<kind>` for
 * child j of a residual block (nesting repeats the pattern).
 */
export interface ParameterBlock {
  readonly name: string;
  readonly kind: ParameterKind;
  readonly offset: number;
  readonly shape: readonly number[];
}

/**
 * A layer acting on a batch of n rows. Buffers are row-major [n, inputSize] / [n, outputSize].
 * `backward` overwrites gx and the layer's block of gp. The *Tangent methods carry a direction
 * (pt for the parameters, xt for the input) forward, and its effect on the gradient backward:
 * Pearlmutter's R-operator, so gpt is exactly (∇²L) v for the network loss.
 */
export interface Layer {
  readonly spec: LayerSpec;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly parameterCount: number;
  readonly offset: number;
  /** The layer's parameter blocks, named under `path` (e.g. `layers.2`). */
  blocks(path?: string): ParameterBlock[];
  forward(p: Vec, x: Vec, y: Vec, n: number): void;
  backward(p: Vec, x: Vec, y: Vec, gy: Vec, gx: Vec, gp: Vec, n: number): void;
  forwardTangent(p: Vec, pt: Vec, x: Vec, xt: Vec, y: Vec, yt: Vec, n: number): void;
  backwardTangent(
    p: Vec,
    pt: Vec,
    x: Vec,
    xt: Vec,
    y: Vec,
    yt: Vec,
    gy: Vec,
    gyt: Vec,
    gx: Vec,
    gxt: Vec,
    gp: Vec,
    gpt: Vec,
    n: number,
  ): void;
}

/** A matrix view over part of a flat vector. */
const view = (data: Vec, offset: number, rows: number, cols: number) => ({
  rows,
  cols,
  data: data.subarray(offset, offset + rows * cols),
});

/** y = x W + b with W ∈ R^{in×out} row-major at the layer's offset, then b ∈ R^{out}. */
class Dense implements Layer {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly parameterCount: number;
  private readonly bias: boolean;
  constructor(
    readonly spec: Extract<LayerSpec, { type: 'dense' }>,
    readonly offset: number,
  ) {
    this.inputSize = spec.inputs;
    this.outputSize = spec.outputs;
    this.bias = spec.bias ?? true;
    this.parameterCount = spec.inputs * spec.outputs + (this.bias ? spec.outputs : 0);
  }
  blocks(path = 'layer'): ParameterBlock[] {
    const blocks: ParameterBlock[] = [
      {
        name: `${path}.weight`,
        kind: 'weight',
        offset: this.offset,
        shape: [this.inputSize, this.outputSize],
      },
    ];
    if (this.bias)
      blocks.push({
        name: `${path}.bias`,
        kind: 'bias',
        offset: this.offset + this.inputSize * this.outputSize,
        shape: [this.outputSize],
      });
    return blocks;
  }
  private addBias(p: Vec, y: Vec, n: number): void {
    if (!this.bias) return;
    const k = this.outputSize;
    const b = this.offset + this.inputSize * k;
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) y[i * k + j] += p[b + j];
  }
  private biasGradient(gy: Vec, gp: Vec, n: number): void {
    if (!this.bias) return;
    const k = this.outputSize;
    const b = this.offset + this.inputSize * k;
    for (let j = 0; j < k; j++) gp[b + j] = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) gp[b + j] += gy[i * k + j];
  }
  forward(p: Vec, x: Vec, y: Vec, n: number): void {
    const { inputSize: d, outputSize: k } = this;
    gemm(view(x, 0, n, d), view(p, this.offset, d, k), view(y, 0, n, k));
    this.addBias(p, y, n);
  }
  backward(p: Vec, x: Vec, _y: Vec, gy: Vec, gx: Vec, gp: Vec, n: number): void {
    const { inputSize: d, outputSize: k } = this;
    gemm(view(x, 0, n, d), view(gy, 0, n, k), view(gp, this.offset, d, k), { transposeA: true });
    this.biasGradient(gy, gp, n);
    gemm(view(gy, 0, n, k), view(p, this.offset, d, k), view(gx, 0, n, d), { transposeB: true });
  }
  forwardTangent(p: Vec, pt: Vec, x: Vec, xt: Vec, y: Vec, yt: Vec, n: number): void {
    const { inputSize: d, outputSize: k } = this;
    this.forward(p, x, y, n);
    // ẏ = ẋ W + x Ẇ + ḃ
    gemm(view(xt, 0, n, d), view(p, this.offset, d, k), view(yt, 0, n, k));
    gemm(view(x, 0, n, d), view(pt, this.offset, d, k), view(yt, 0, n, k), { beta: 1 });
    this.addBias(pt, yt, n);
  }
  backwardTangent(
    p: Vec,
    pt: Vec,
    x: Vec,
    xt: Vec,
    y: Vec,
    _yt: Vec,
    gy: Vec,
    gyt: Vec,
    gx: Vec,
    gxt: Vec,
    gp: Vec,
    gpt: Vec,
    n: number,
  ): void {
    const { inputSize: d, outputSize: k } = this;
    this.backward(p, x, y, gy, gx, gp, n);
    // (gW)˙ = ẋᵀ gy + xᵀ ġy; (gb)˙ = Σ ġy; (gx)˙ = ġy Wᵀ + gy Ẇᵀ
    gemm(view(xt, 0, n, d), view(gy, 0, n, k), view(gpt, this.offset, d, k), { transposeA: true });
    gemm(view(x, 0, n, d), view(gyt, 0, n, k), view(gpt, this.offset, d, k), { transposeA: true, beta: 1 });
    this.biasGradient(gyt, gpt, n);
    gemm(view(gyt, 0, n, k), view(p, this.offset, d, k), view(gxt, 0, n, d), { transposeB: true });
    gemm(view(gy, 0, n, k), view(pt, this.offset, d, k), view(gxt, 0, n, d), { transposeB: true, beta: 1 });
  }
}

/** y = f(x) elementwise. */
class ActivationLayer implements Layer {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly parameterCount = 0;
  private readonly f: Activation;
  constructor(
    readonly spec: Extract<LayerSpec, { type: 'activation' }>,
    readonly offset: number,
  ) {
    this.inputSize = spec.size;
    this.outputSize = spec.size;
    this.f = activation(spec.activation, { negativeSlope: spec.negativeSlope });
  }
  blocks(_path?: string): ParameterBlock[] {
    return [];
  }
  forward(_p: Vec, x: Vec, y: Vec, n: number): void {
    const f = this.f;
    for (let i = 0, end = n * this.inputSize; i < end; i++) y[i] = f.value(x[i]);
  }
  backward(_p: Vec, x: Vec, _y: Vec, gy: Vec, gx: Vec, _gp: Vec, n: number): void {
    const f = this.f;
    for (let i = 0, end = n * this.inputSize; i < end; i++) gx[i] = gy[i] * f.first(x[i]);
  }
  forwardTangent(p: Vec, _pt: Vec, x: Vec, xt: Vec, y: Vec, yt: Vec, n: number): void {
    this.forward(p, x, y, n);
    const f = this.f;
    for (let i = 0, end = n * this.inputSize; i < end; i++) yt[i] = f.first(x[i]) * xt[i];
  }
  backwardTangent(
    _p: Vec,
    _pt: Vec,
    x: Vec,
    xt: Vec,
    _y: Vec,
    _yt: Vec,
    gy: Vec,
    gyt: Vec,
    gx: Vec,
    gxt: Vec,
    _gp: Vec,
    _gpt: Vec,
    n: number,
  ): void {
    const f = this.f;
    for (let i = 0, end = n * this.inputSize; i < end; i++) {
      const first = f.first(x[i]);
      gx[i] = gy[i] * first;
      gxt[i] = gyt[i] * first + gy[i] * f.second(x[i]) * xt[i];
    }
  }
}

/**
 * Layer normalization over the features of each row (Ba et al., 2016; PyTorch's LayerNorm with
 * elementwise affine): y = γ ⊙ (x − μ)/√(σ² + ε) + β, σ² the biased variance, ε = 1e-5.
 */
class LayerNorm implements Layer {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly parameterCount: number;
  private readonly epsilon: number;
  constructor(
    readonly spec: Extract<LayerSpec, { type: 'layer-norm' }>,
    readonly offset: number,
  ) {
    this.inputSize = spec.size;
    this.outputSize = spec.size;
    this.parameterCount = 2 * spec.size;
    this.epsilon = spec.epsilon ?? 1e-5;
  }
  blocks(path = 'layer'): ParameterBlock[] {
    return [
      { name: `${path}.gamma`, kind: 'gamma', offset: this.offset, shape: [this.inputSize] },
      { name: `${path}.beta`, kind: 'beta', offset: this.offset + this.inputSize, shape: [this.inputSize] },
    ];
  }
  /** Per-row mean and inverse standard deviation. */
  private stats(x: Vec, row: number): { mean: number; inverse: number } {
    const d = this.inputSize;
    const o = row * d;
    let mean = 0;
    for (let j = 0; j < d; j++) mean += x[o + j];
    mean /= d;
    let variance = 0;
    for (let j = 0; j < d; j++) variance += (x[o + j] - mean) ** 2;
    variance /= d;
    return { mean, inverse: 1 / Math.sqrt(variance + this.epsilon) };
  }
  forward(p: Vec, x: Vec, y: Vec, n: number): void {
    const d = this.inputSize;
    const g = this.offset;
    const b = this.offset + d;
    for (let i = 0; i < n; i++) {
      const { mean, inverse } = this.stats(x, i);
      for (let j = 0; j < d; j++) y[i * d + j] = p[g + j] * (x[i * d + j] - mean) * inverse + p[b + j];
    }
  }
  backward(p: Vec, x: Vec, _y: Vec, gy: Vec, gx: Vec, gp: Vec, n: number): void {
    this.backwardTangent(
      p,
      undefined,
      x,
      undefined,
      undefined,
      undefined,
      gy,
      undefined,
      gx,
      undefined,
      gp,
      undefined,
      n,
    );
  }
  forwardTangent(p: Vec, pt: Vec, x: Vec, xt: Vec, y: Vec, yt: Vec, n: number): void {
    this.forward(p, x, y, n);
    const d = this.inputSize;
    const g = this.offset;
    const b = this.offset + d;
    for (let i = 0; i < n; i++) {
      const o = i * d;
      const { mean, inverse: s } = this.stats(x, i);
      let meanDot = 0;
      for (let j = 0; j < d; j++) meanDot += xt[o + j];
      meanDot /= d;
      let varianceDot = 0;
      for (let j = 0; j < d; j++) varianceDot += (x[o + j] - mean) * (xt[o + j] - meanDot);
      varianceDot = (2 * varianceDot) / d;
      const sDot = -0.5 * s * s * s * varianceDot;
      for (let j = 0; j < d; j++) {
        const xh = (x[o + j] - mean) * s;
        const xhDot = (xt[o + j] - meanDot) * s + (x[o + j] - mean) * sDot;
        yt[o + j] = pt[g + j] * xh + p[g + j] * xhDot + pt[b + j];
      }
    }
  }
  backwardTangent(
    p: Vec,
    pt: Vec | undefined,
    x: Vec,
    xt: Vec | undefined,
    _y: Vec | undefined,
    _yt: Vec | undefined,
    gy: Vec,
    gyt: Vec | undefined,
    gx: Vec,
    gxt: Vec | undefined,
    gp: Vec,
    gpt: Vec | undefined,
    n: number,
  ): void {
    const d = this.inputSize;
    const g = this.offset;
    const b = this.offset + d;
    const tangent =
      pt !== undefined && xt !== undefined && gyt !== undefined && gxt !== undefined && gpt !== undefined;
    for (let j = 0; j < 2 * d; j++) {
      gp[g + j] = 0;
      if (tangent) gpt[g + j] = 0;
    }
    for (let i = 0; i < n; i++) {
      const o = i * d;
      const { mean, inverse: s } = this.stats(x, i);
      // gxh = gy γ; m1 = mean(gxh); m2 = mean(gxh xh); gx = s (gxh − m1 − xh m2)
      let m1 = 0;
      let m2 = 0;
      for (let j = 0; j < d; j++) {
        const xh = (x[o + j] - mean) * s;
        const gxh = gy[o + j] * p[g + j];
        m1 += gxh;
        m2 += gxh * xh;
        gp[g + j] += gy[o + j] * xh;
        gp[b + j] += gy[o + j];
      }
      m1 /= d;
      m2 /= d;
      for (let j = 0; j < d; j++) {
        const xh = (x[o + j] - mean) * s;
        gx[o + j] = s * (gy[o + j] * p[g + j] - m1 - xh * m2);
      }
      if (!tangent) continue;
      let meanDot = 0;
      for (let j = 0; j < d; j++) meanDot += xt[o + j];
      meanDot /= d;
      let varianceDot = 0;
      for (let j = 0; j < d; j++) varianceDot += (x[o + j] - mean) * (xt[o + j] - meanDot);
      varianceDot = (2 * varianceDot) / d;
      const sDot = -0.5 * s * s * s * varianceDot;
      let m1Dot = 0;
      let m2Dot = 0;
      for (let j = 0; j < d; j++) {
        const xh = (x[o + j] - mean) * s;
        const xhDot = (xt[o + j] - meanDot) * s + (x[o + j] - mean) * sDot;
        const gxh = gy[o + j] * p[g + j];
        const gxhDot = gyt[o + j] * p[g + j] + gy[o + j] * pt[g + j];
        m1Dot += gxhDot;
        m2Dot += gxhDot * xh + gxh * xhDot;
        gpt[g + j] += gyt[o + j] * xh + gy[o + j] * xhDot;
        gpt[b + j] += gyt[o + j];
      }
      m1Dot /= d;
      m2Dot /= d;
      for (let j = 0; j < d; j++) {
        const xh = (x[o + j] - mean) * s;
        const xhDot = (xt[o + j] - meanDot) * s + (x[o + j] - mean) * sDot;
        const gxh = gy[o + j] * p[g + j];
        const gxhDot = gyt[o + j] * p[g + j] + gy[o + j] * pt[g + j];
        gxt[o + j] = sDot * (gxh - m1 - xh * m2) + s * (gxhDot - m1Dot - xhDot * m2 - xh * m2Dot);
      }
    }
  }
}

/** Per-batch-size buffers of a stack of layers: values h_0..h_L, tangents, gradients and their tangents. */
export class Workspace {
  readonly values: Vec[];
  readonly tangents: Vec[];
  readonly gradients: Vec[];
  readonly gradientTangents: Vec[];
  constructor(sizes: readonly number[], n: number) {
    const make = () => sizes.map((s) => new Float64Array(n * s));
    this.values = make();
    this.tangents = make();
    this.gradients = make();
    this.gradientTangents = make();
  }
}

/** y = x + F(x) for a stack F of layers mapping size d to d (He et al., 2016). */
class Residual implements Layer {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly parameterCount: number;
  readonly children: Layer[];
  private readonly workspaces = new Map<number, Workspace>();
  constructor(
    readonly spec: Extract<LayerSpec, { type: 'residual' }>,
    readonly offset: number,
  ) {
    this.children = buildLayers(spec.layers, offset);
    this.inputSize = this.children[0]?.inputSize ?? 0;
    this.outputSize = this.children.at(-1)?.outputSize ?? 0;
    this.parameterCount = this.children.reduce((s, l) => s + l.parameterCount, 0);
  }
  blocks(path = 'layer'): ParameterBlock[] {
    return this.children.flatMap((c, j) => c.blocks(`${path}.residual.${j}`));
  }
  private workspace(n: number): Workspace {
    let ws = this.workspaces.get(n);
    if (!ws) {
      ws = new Workspace([this.inputSize, ...this.children.map((c) => c.outputSize)], n);
      this.workspaces.set(n, ws);
    }
    return ws;
  }
  forward(p: Vec, x: Vec, y: Vec, n: number): void {
    const ws = this.workspace(n);
    let h = x;
    this.children.forEach((c, k) => {
      c.forward(p, h, ws.values[k + 1], n);
      h = ws.values[k + 1];
    });
    for (let i = 0, end = n * this.outputSize; i < end; i++) y[i] = x[i] + h[i];
  }
  backward(p: Vec, x: Vec, _y: Vec, gy: Vec, gx: Vec, gp: Vec, n: number): void {
    const ws = this.workspace(n);
    const L = this.children.length;
    let g = gy;
    for (let k = L - 1; k >= 0; k--) {
      const input = k === 0 ? x : ws.values[k];
      this.children[k].backward(p, input, ws.values[k + 1], g, ws.gradients[k], gp, n);
      g = ws.gradients[k];
    }
    for (let i = 0, end = n * this.inputSize; i < end; i++) gx[i] = gy[i] + g[i];
  }
  forwardTangent(p: Vec, pt: Vec, x: Vec, xt: Vec, y: Vec, yt: Vec, n: number): void {
    const ws = this.workspace(n);
    let h = x;
    let ht = xt;
    this.children.forEach((c, k) => {
      c.forwardTangent(p, pt, h, ht, ws.values[k + 1], ws.tangents[k + 1], n);
      h = ws.values[k + 1];
      ht = ws.tangents[k + 1];
    });
    for (let i = 0, end = n * this.outputSize; i < end; i++) {
      y[i] = x[i] + h[i];
      yt[i] = xt[i] + ht[i];
    }
  }
  backwardTangent(
    p: Vec,
    pt: Vec,
    x: Vec,
    xt: Vec,
    _y: Vec,
    _yt: Vec,
    gy: Vec,
    gyt: Vec,
    gx: Vec,
    gxt: Vec,
    gp: Vec,
    gpt: Vec,
    n: number,
  ): void {
    const ws = this.workspace(n);
    const L = this.children.length;
    let g = gy;
    let gt = gyt;
    for (let k = L - 1; k >= 0; k--) {
      const input = k === 0 ? x : ws.values[k];
      const inputTangent = k === 0 ? xt : ws.tangents[k];
      this.children[k].backwardTangent(
        p,
        pt,
        input,
        inputTangent,
        ws.values[k + 1],
        ws.tangents[k + 1],
        g,
        gt,
        ws.gradients[k],
        ws.gradientTangents[k],
        gp,
        gpt,
        n,
      );
      g = ws.gradients[k];
      gt = ws.gradientTangents[k];
    }
    for (let i = 0, end = n * this.inputSize; i < end; i++) {
      gx[i] = gy[i] + g[i];
      gxt[i] = gyt[i] + gt[i];
    }
  }
}

/** Builds layers from specs, assigning consecutive parameter offsets from `offset`. */
export function buildLayers(specs: readonly LayerSpec[], offset = 0): Layer[] {
  const layers: Layer[] = [];
  let next = offset;
  for (const spec of specs) {
    const layer: Layer =
      spec.type === 'dense'
        ? new Dense(spec, next)
        : spec.type === 'activation'
          ? new ActivationLayer(spec, next)
          : spec.type === 'layer-norm'
            ? new LayerNorm(spec, next)
            : new Residual(spec, next);
    layers.push(layer);
    next += layer.parameterCount;
  }
  return layers;
}

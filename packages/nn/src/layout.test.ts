import { createRng, ResourceLimitError } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { mlp } from './mlp';
import { Network } from './network';

describe('the parameter layout', () => {
  const network = new Network({
    layers: [
      { type: 'dense', inputs: 2, outputs: 3 },
      { type: 'layer-norm', size: 3 },
      {
        type: 'residual',
        layers: [
          { type: 'dense', inputs: 3, outputs: 3 },
          { type: 'activation', size: 3, activation: 'tanh' },
          { type: 'residual', layers: [{ type: 'dense', inputs: 3, outputs: 3, bias: false }] },
        ],
      },
      { type: 'activation', size: 3, activation: 'relu' },
      { type: 'dense', inputs: 3, outputs: 1 },
    ],
  });
  const blocks = network.blocks();

  it('names blocks by path, uniquely, like named_parameters()', () => {
    expect(blocks.map((b) => b.name)).toEqual([
      'layers.0.weight',
      'layers.0.bias',
      'layers.1.gamma',
      'layers.1.beta',
      'layers.2.residual.0.weight',
      'layers.2.residual.0.bias',
      'layers.2.residual.2.residual.0.weight',
      'layers.4.weight',
      'layers.4.bias',
    ]);
    expect(new Set(blocks.map((b) => b.name)).size).toBe(blocks.length);
    expect(blocks.map((b) => b.kind)).toEqual([
      'weight',
      'bias',
      'gamma',
      'beta',
      'weight',
      'bias',
      'weight',
      'weight',
      'bias',
    ]);
    expect(blocks.map((b) => b.layer)).toEqual([0, 0, 1, 1, 2, 2, 2, 4, 4]);
  });
  it('blocks tile the flat vector in order, without gaps or overlaps', () => {
    let offset = 0;
    for (const block of blocks) {
      expect(block.offset).toBe(offset);
      offset += block.shape.reduce((a, c) => a * c, 1);
    }
    expect(offset).toBe(network.parameterCount);
  });
  it('a dense weight is [in, out] row-major: W[i][j] sits at offset + i·out + j and is what forward uses', () => {
    const small = mlp({ sizes: [2, 3], bias: false });
    const params = new Float64Array(6);
    params[1 * 3 + 2] = 1; // W[1][2]
    const out = small.forward(params, { rows: 1, cols: 2, data: Float64Array.of(0, 5) });
    expect(Array.from(out.data)).toEqual([0, 0, 5]);
    expect(small.views(params)[0].data[5]).toBe(1);
  });
  it('initialize still fills weights by scheme and γ with ones (same bits as before the names changed)', () => {
    const params = network.initialize(createRng(0), 'zeros');
    const gamma = network.views(params).find((v) => v.name === 'layers.1.gamma');
    expect(Array.from(gamma?.data ?? [])).toEqual([1, 1, 1]);
  });
  it('a network too large for the allocation budget is a ResourceLimitError before anything is allocated', () => {
    expect(() => mlp({ sizes: [100_000, 100_000, 100_000] })).toThrowError(ResourceLimitError);
  });
});

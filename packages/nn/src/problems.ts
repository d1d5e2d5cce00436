import { defineProblem } from '@argmin/core';
import { z } from 'zod';
import { twoSpirals } from './datasets';
import { mlp } from './mlp';
import { asOracle } from './oracle';

/** Training an MLP on two spirals, as a problem plugin for pipeline files. */
export const twoSpiralsMlpProblem = defineProblem({
  meta: {
    id: 'nn/two-spirals-mlp',
    title: 'Cross-entropy of an MLP on the two-spirals problem',
    provides: [
      'value',
      'grad',
      'hvp',
      'sampleGrad',
      'componentGrad',
      'drawBatch',
      'batchValue',
      'batchGrad',
      'batchHvp',
    ],
  },
  options: z.strictObject({
    samplesPerClass: z.number().int().min(1).default(200).describe('Training points per class.'),
    hidden: z.array(z.number().int().min(1)).default([32, 32]).describe('Hidden layer widths.'),
    activation: z
      .enum(['relu', 'leaky-relu', 'tanh', 'sigmoid', 'gelu', 'gelu-tanh', 'softplus'])
      .default('tanh')
      .describe('Hidden activation.'),
    batchSize: z.number().int().min(1).default(32).describe('Minibatch size of sampleGrad.'),
    l2: z.number().nonnegative().default(1e-5).describe('l2 penalty.'),
  }),
  create: (options, rng) => {
    const network = mlp({ sizes: [2, ...options.hidden, 2], activation: options.activation });
    const data = twoSpirals(options.samplesPerClass, { rng });
    return {
      problem: asOracle(network, 'cross-entropy', data, {
        batchSize: Math.min(options.batchSize, data.inputs.rows),
        l2: options.l2,
      }),
      x0: network.initialize(rng, 'xavier-uniform'),
    };
  },
});

export const nnProblems = [twoSpiralsMlpProblem] as const;

import {
  chain,
  defineMethod,
  type GradientTransformation,
  type Optimizer,
  type Oracle,
  parseOptions,
  scaleByLearningRate,
} from '@argmin/core';
import { z } from 'zod';
import { batchTransformOptimizer, type GradientSource } from './batch-optimizer';
import { scaleByMfac } from './mfac';
import { proxBox, proxL1, proxL2Ball, proxSgd, type StepRule } from './prox-sgd';
import { addDecayedWeights, clipByGlobalNorm, scaleByAdahessian, scaleByAdam, trace } from './transforms';

const reportValue = z
  .boolean()
  .default(false)
  .describe('Also report f(x) as `value` after each step (one extra value call per step).');
const gradientSource = z
  .enum(['sampleGrad', 'grad'])
  .default('sampleGrad')
  .describe("Gradient oracle per step: 'sampleGrad' (minibatch, seeded) or 'grad' (full batch).");
const clipNorm = z
  .number()
  .positive()
  .optional()
  .describe('Clip updates to this global norm before the optimizer (optax.clip_by_global_norm).');
/** An optimizer from a chain of transformations, run on the oracle's gradients of the given source. */
const optimizerOf = (
  transform: GradientTransformation<unknown>,
  id: string,
  gradient: GradientSource,
  reportValue: boolean,
  extraNeeds: readonly string[] = [],
) =>
  batchTransformOptimizer(transform, { id, gradient, reportValue, extraNeeds }) as Optimizer<
    Oracle<never>,
    unknown
  >;

/** The clipping stage when a clip norm is set (built lazily: the option may be absent). */
const clipping = (clipNorm: number | undefined) =>
  clipNorm === undefined ? [] : [clipByGlobalNorm(clipNorm)];

export const sgdOptions = z.strictObject({
  learningRate: z.number().positive().default(0.01).describe('Learning rate η.'),
  momentum: z
    .number()
    .min(0)
    .lt(1)
    .default(0)
    .describe('Momentum (optax.trace decay; PyTorch SGD momentum with dampening 0).'),
  nesterov: z.boolean().default(false).describe('Nesterov momentum.'),
  weightDecay: z
    .number()
    .nonnegative()
    .default(0)
    .describe('Coupled L2: adds weightDecay·x to the gradient (PyTorch SGD weight_decay).'),
  clipNorm,
  gradient: gradientSource,
  reportValue,
});
/** SGD with optional momentum / Nesterov (optax.sgd, PyTorch SGD). */
export function sgd(input: z.input<typeof sgdOptions> = {}): Optimizer<Oracle<never>, unknown> {
  const o = parseOptions('stochastic/sgd', sgdOptions, input);
  return optimizerOf(
    chain(
      ...clipping(o.clipNorm),
      addDecayedWeights(o.weightDecay),
      ...(o.momentum > 0 ? [trace({ decay: o.momentum, nesterov: o.nesterov })] : []),
      scaleByLearningRate(o.learningRate),
    ),
    'stochastic/sgd',
    o.gradient,
    o.reportValue,
  );
}

export const adamOptions = z.strictObject({
  learningRate: z.number().positive().default(1e-3).describe('Learning rate η (optax/PyTorch default 1e-3).'),
  beta1: z.number().min(0).lt(1).default(0.9).describe('β₁, decay of the first moment.'),
  beta2: z.number().min(0).lt(1).default(0.999).describe('β₂, decay of the second moment.'),
  epsilon: z.number().nonnegative().default(1e-8).describe('ε added to √ν̂.'),
  epsilonRoot: z.number().nonnegative().default(0).describe('ε inside the square root (optax eps_root).'),
  clipNorm,
  gradient: gradientSource,
  reportValue,
});
/** Adam (Kingma & Ba, 2015; optax.adam). */
export function adam(input: z.input<typeof adamOptions> = {}): Optimizer<Oracle<never>, unknown> {
  const o = parseOptions('stochastic/adam', adamOptions, input);
  return optimizerOf(
    chain(...clipping(o.clipNorm), scaleByAdam(o), scaleByLearningRate(o.learningRate)),
    'stochastic/adam',
    o.gradient,
    o.reportValue,
  );
}

export const adamwOptions = adamOptions.extend({
  weightDecay: z
    .number()
    .nonnegative()
    .default(1e-4)
    .describe(
      'Decoupled weight decay λ: x ← x − η(adam update + λx) (optax.adamw default 1e-4; PyTorch 1e-2).',
    ),
});
/** AdamW (Loshchilov & Hutter, 2019; optax.adamw): decoupled weight decay. */
export function adamw(input: z.input<typeof adamwOptions> = {}): Optimizer<Oracle<never>, unknown> {
  const o = parseOptions('stochastic/adamw', adamwOptions, input);
  return optimizerOf(
    chain(
      ...clipping(o.clipNorm),
      scaleByAdam(o),
      addDecayedWeights(o.weightDecay),
      scaleByLearningRate(o.learningRate),
    ),
    'stochastic/adamw',
    o.gradient,
    o.reportValue,
  );
}

export const adahessianOptions = z.strictObject({
  preset: z
    .enum(['reference', 'torch-optimizer'])
    .default('reference')
    .describe(
      "Defaults of the paper's code (lr 0.15, k = 1) or of torch-optimizer (lr 1.0, k = 0.5); explicit options override.",
    ),
  learningRate: z
    .number()
    .positive()
    .optional()
    .describe('Learning rate (reference 0.15; torch-optimizer 1.0).'),
  beta1: z.number().min(0).lt(1).default(0.9).describe('β₁ of the gradient EMA.'),
  beta2: z.number().min(0).lt(1).default(0.999).describe('β₂ of the squared Hessian-diagonal EMA.'),
  epsilon: z.number().nonnegative().default(1e-4).describe('ε added to the denominator (reference 1e-4).'),
  hessianPower: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('Hessian power k ∈ [0, 1] (reference 1; torch-optimizer 0.5).'),
  weightDecay: z.number().nonnegative().default(0).describe('Decoupled weight decay (AdamW-style).'),
  blockSize: z
    .number()
    .int()
    .refine((v) => v === -1 || v >= 1, { message: 'must be -1 (no averaging) or a positive integer' })
    .default(-1)
    .describe('Spatial averaging of |Hz| over consecutive blocks of this size (−1: none).'),
  shapes: z
    .array(z.array(z.number().int().positive()).min(1).max(4))
    .optional()
    .describe(
      'Tensor shapes (row-major, concatenated) for the reference spatial averaging: 2-D rows, 3-D last axis, 4-D kernel.',
    ),
  hessian: z
    .enum(['batch', 'full'])
    .default('batch')
    .describe(
      "Hessian-vector product of each step: 'batch' on the gradient's minibatch (the paper; needs drawBatch, batchGrad, batchHvp) or 'full' on the whole objective (hvp).",
    ),
  gradient: gradientSource,
  reportValue,
});
/**
 * AdaHessian (Yao et al., AAAI 2021). By default each step draws one minibatch B and uses it for both
 * the gradient and the Hessian-vector product (`drawBatch`, `batchGrad`, `batchHvp`), as the paper's
 * code does; `hessian: 'full'` takes Hz on the full objective (`hvp`) with the minibatch gradient;
 * `gradient: 'grad'` runs full batch (`grad`, `hvp`).
 */
export function adahessian(input: z.input<typeof adahessianOptions> = {}): Optimizer<Oracle<never>, unknown> {
  const o = parseOptions('stochastic/adahessian', adahessianOptions, input);
  const reference = o.preset === 'reference';
  const learningRate = o.learningRate ?? (reference ? 0.15 : 1);
  const hessianPower = o.hessianPower ?? (reference ? 1 : 0.5);
  // Minibatch gradient + Hessian on the same batch (the paper); a full gradient pairs with the full Hessian.
  const onBatch = o.gradient === 'sampleGrad' && o.hessian === 'batch';
  return optimizerOf(
    chain(
      scaleByAdahessian({
        beta1: o.beta1,
        beta2: o.beta2,
        epsilon: o.epsilon,
        hessianPower,
        blockSize: o.blockSize,
        shapes: o.shapes,
        hessian: o.hessian,
      }),
      addDecayedWeights(o.weightDecay),
      scaleByLearningRate(learningRate),
    ),
    'stochastic/adahessian',
    onBatch ? 'batch' : o.gradient,
    o.reportValue,
    [onBatch ? 'batchHvp' : 'hvp'],
  );
}

export const mfacOptions = z.strictObject({
  learningRate: z.number().positive().default(1e-3).describe('Learning rate (reference 1e-3).'),
  window: z
    .number()
    .int()
    .min(1)
    .default(32)
    .describe(
      'Number m of past gradients (reference ngrads 1024; a smaller default since the refactor is O(m³) per step).',
    ),
  damping: z.number().positive().default(1e-5).describe('Damping λ of F̂ = λI + GᵀG/m (reference damp 1e-5).'),
  momentum: z
    .number()
    .min(0)
    .lt(1)
    .default(0)
    .describe('EMA momentum on the preconditioned update (reference 0).'),
  weightDecay: z
    .number()
    .nonnegative()
    .default(0)
    .describe('Coupled L2 added to the gradient before the inverse-Fisher product.'),
  gradient: gradientSource,
  reportValue,
});
/** The M-FAC optimizer (Frantar et al., NeurIPS 2021): x ← x − η F̂⁻¹(g + λ_wd x). */
export function mfac(input: z.input<typeof mfacOptions> = {}): Optimizer<Oracle<never>, unknown> {
  const o = parseOptions('stochastic/m-fac', mfacOptions, input);
  return optimizerOf(
    chain(addDecayedWeights(o.weightDecay), scaleByMfac(o), scaleByLearningRate(o.learningRate)),
    'stochastic/m-fac',
    o.gradient,
    o.reportValue,
  );
}

export const proxSgdOptions = z.strictObject({
  stepRule: z
    .enum(['constant', 'inverse-sqrt', 'inverse-linear'])
    .default('inverse-sqrt')
    .describe("η/√T ('constant'), η/√t, or 1/(μ(t + t₀)) (strongly convex)."),
  scale: z.number().positive().default(0.1).describe('η of the constant and inverse-sqrt rules.'),
  horizon: z.number().int().min(1).default(1000).describe('T of the constant rule η/√T.'),
  strongConvexity: z.number().positive().default(1).describe('μ of the inverse-linear rule.'),
  offset: z.number().nonnegative().default(0).describe('t₀ of the inverse-linear rule.'),
  smoothness: z.number().positive().optional().describe('L: cap every step at 1/(2L) (smooth f).'),
  regularizer: z
    .enum(['none', 'l1', 'box', 'l2-ball'])
    .default('none')
    .describe('h of the composite objective f + h (its prox is applied each step).'),
  lambda: z.number().nonnegative().default(0).describe('λ of h = λ‖x‖₁.'),
  lower: z.number().default(-1).describe('Box lower bound.'),
  upper: z.number().default(1).describe('Box upper bound.'),
  radius: z.number().positive().default(1).describe('Radius of the l2 ball.'),
});
/** Proximal SGD with the last-iterate step rules (Liu & Zhou, ICLR 2024). */
export function proxSgdFromOptions(input: z.input<typeof proxSgdOptions> = {}) {
  const o = parseOptions('stochastic/prox-sgd', proxSgdOptions, input);
  const steps: StepRule =
    o.stepRule === 'constant'
      ? { kind: 'constant', scale: o.scale, horizon: o.horizon, smoothness: o.smoothness }
      : o.stepRule === 'inverse-sqrt'
        ? { kind: 'inverse-sqrt', scale: o.scale, smoothness: o.smoothness }
        : {
            kind: 'inverse-linear',
            strongConvexity: o.strongConvexity,
            offset: o.offset,
            smoothness: o.smoothness,
          };
  const prox =
    o.regularizer === 'l1'
      ? proxL1(o.lambda)
      : o.regularizer === 'box'
        ? proxBox(o.lower, o.upper)
        : o.regularizer === 'l2-ball'
          ? proxL2Ball(o.radius)
          : undefined;
  return proxSgd({ steps, prox });
}

const optaxReference = {
  title: 'Optax: composable gradient transformation and optimisation, in JAX',
  url: 'https://github.com/google-deepmind/optax',
};

export const sgdPlugin = defineMethod({
  meta: {
    id: 'stochastic/sgd',
    title: 'SGD with momentum and Nesterov',
    references: [optaxReference],
    needs: [],
    stochastic: true,
  },
  options: sgdOptions,
  create: (options) => sgd(options),
});
export const adamPlugin = defineMethod({
  meta: {
    id: 'stochastic/adam',
    title: 'Adam',
    references: [
      {
        title: 'Adam: A Method for Stochastic Optimization',
        authors: 'D. P. Kingma and J. Ba',
        year: 2015,
        arxiv: '1412.6980',
      },
    ],
    needs: [],
    stochastic: true,
  },
  options: adamOptions,
  create: (options) => adam(options),
  example: 'examples/adam-logistic.ts',
});
export const adamwPlugin = defineMethod({
  meta: {
    id: 'stochastic/adamw',
    title: 'AdamW (decoupled weight decay)',
    references: [
      {
        title: 'Decoupled Weight Decay Regularization',
        authors: 'I. Loshchilov and F. Hutter',
        year: 2019,
        arxiv: '1711.05101',
      },
    ],
    needs: [],
    stochastic: true,
  },
  options: adamwOptions,
  create: (options) => adamw(options),
});
export const adahessianPlugin = defineMethod({
  meta: {
    id: 'stochastic/adahessian',
    title: 'AdaHessian: Adam with a Hutchinson Hessian diagonal',
    references: [
      {
        title: 'ADAHESSIAN: An Adaptive Second Order Optimizer for Machine Learning',
        authors: 'Z. Yao et al.',
        year: 2021,
        arxiv: '2006.00719',
      },
    ],
    needs: ['drawBatch', 'batchGrad', 'batchHvp'],
    stochastic: true,
  },
  options: adahessianOptions,
  create: (options) => adahessian(options),
});
export const mfacPlugin = defineMethod({
  meta: {
    id: 'stochastic/m-fac',
    title: 'M-FAC: matrix-free inverse-Fisher preconditioning',
    references: [
      {
        title: 'M-FAC: Efficient Matrix-Free Approximations of Second-Order Information',
        authors: 'E. Frantar, E. Kurtic, D. Alistarh',
        year: 2021,
        arxiv: '2107.03356',
      },
    ],
    needs: [],
    stochastic: true,
  },
  options: mfacOptions,
  create: (options) => mfac(options),
});
export const proxSgdPlugin = defineMethod({
  meta: {
    id: 'stochastic/prox-sgd',
    title: 'Proximal SGD with last-iterate step sizes',
    references: [
      {
        title: 'Revisiting the Last-Iterate Convergence of Stochastic Gradient Methods',
        authors: 'Z. Liu and Z. Zhou',
        year: 2024,
        arxiv: '2312.08531',
      },
    ],
    needs: ['sampleGrad'],
    stochastic: true,
  },
  options: proxSgdOptions,
  create: (options) => proxSgdFromOptions(options),
});

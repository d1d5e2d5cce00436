import { defineMethod } from '@argmin/core';
import { ddim, ddimOptions, ddpm, ddpmOptions } from './samplers/ddim';
import { dpmSolver, dpmSolverOptions } from './samplers/dpm-solver';
import { lcm, lcmOptions } from './samplers/lcm';
import { pndm, pndmOptions } from './samplers/pndm';
import { timeShift, timeShiftOptions } from './samplers/time-shift';

const ddimPaper = {
  title: 'Denoising Diffusion Implicit Models',
  authors: 'J. Song, C. Meng, S. Ermon',
  year: 2021,
  arxiv: '2010.02502',
};
const diffusersRef = {
  title: 'Diffusers: State-of-the-art diffusion models (schedulers)',
  authors: 'P. von Platen et al.',
  year: 2022,
  url: 'https://github.com/huggingface/diffusers',
};

export const ddimPlugin = defineMethod({
  meta: {
    id: 'diffusion/ddim',
    title: 'DDIM sampler (eta), diffusers DDIMScheduler semantics with the linspace prev-timestep bug fixed',
    description:
      'Deterministic (eta = 0) or stochastic DDIM on a discrete schedule; clipping, dynamic thresholding, set_alpha_to_one, every timestep spacing.',
    references: [ddimPaper, diffusersRef],
    kind: 'sampler',
  },
  options: ddimOptions,
  create: (options) => ddim(options),
});

export const ddpmPlugin = defineMethod({
  meta: {
    id: 'diffusion/ddpm',
    title: 'DDPM ancestral sampler with respaced betas (diffusers DDPMScheduler)',
    references: [
      {
        title: 'Denoising Diffusion Probabilistic Models',
        authors: 'J. Ho, A. Jain, P. Abbeel',
        year: 2020,
        arxiv: '2006.11239',
      },
      diffusersRef,
    ],
    kind: 'sampler',
  },
  options: ddpmOptions,
  create: (options) => ddpm(options),
});

export const pndmPlugin = defineMethod({
  meta: {
    id: 'diffusion/pndm',
    title: 'Pseudo numerical methods: F-PNDM, S-PNDM and PLMS',
    description:
      'Pseudo Runge-Kutta / improved-Euler warm-up followed by pseudo linear multistep steps on the DDIM transfer.',
    references: [
      {
        title: 'Pseudo Numerical Methods for Diffusion Models on Manifolds',
        authors: 'L. Liu, Y. Ren, Z. Lin, Z. Zhao',
        year: 2022,
        arxiv: '2202.09778',
      },
      diffusersRef,
    ],
    kind: 'sampler',
  },
  options: pndmOptions,
  create: (options) => pndm(options),
});

export const dpmSolverPlugin = defineMethod({
  meta: {
    id: 'diffusion/dpm-solver-pp',
    title: 'DPM-Solver and DPM-Solver++ (1-3 order, multistep and singlestep, SDE variants, thresholding)',
    description:
      "diffusers DPMSolverMultistepScheduler on discrete schedules (grid: 'discrete') or dpm_solver_pytorch.py's continuous-time grids (grid: 'continuous').",
    references: [
      {
        title: 'DPM-Solver++: Fast Solver for Guided Sampling of Diffusion Probabilistic Models',
        authors: 'C. Lu, Y. Zhou, F. Bao, J. Chen, C. Li, J. Zhu',
        year: 2022,
        arxiv: '2211.01095',
      },
      {
        title: 'DPM-Solver: A Fast ODE Solver for Diffusion Probabilistic Model Sampling in Around 10 Steps',
        authors: 'C. Lu, Y. Zhou, F. Bao, J. Chen, C. Li, J. Zhu',
        year: 2022,
        arxiv: '2206.00927',
      },
    ],
    kind: 'sampler',
  },
  options: dpmSolverOptions,
  create: (options) => dpmSolver(options),
  example: 'examples/guided-sampling.ts',
});

export const timeShiftPlugin = defineMethod({
  meta: {
    id: 'diffusion/time-shift',
    title: 'Time-Shift sampler: variance-matched shifted timesteps against exposure bias',
    description:
      'TS-DPM Algorithm 3 (and the released code variant) over DDIM, S-PNDM, F-PNDM or DPM-Solver++ 2M.',
    references: [
      {
        title: 'Alleviating Exposure Bias in Diffusion Models through Sampling with Shifted Time Steps',
        authors: 'M. Li, T. Qu, R. Yao, W. Sun, M.-F. Moens',
        year: 2024,
        arxiv: '2305.15583',
      },
    ],
    kind: 'sampler',
  },
  options: timeShiftOptions,
  create: (options) => timeShift(options),
});

export const lcmPlugin = defineMethod({
  meta: {
    id: 'diffusion/lcm',
    title: 'Latent-consistency multistep sampler (diffusers LCMScheduler)',
    description:
      'Consistency-model multistep sampling with boundary scalings c_skip/c_out; no noise on the final step.',
    references: [
      {
        title: 'LCM-LoRA: A Universal Stable-Diffusion Acceleration Module',
        authors: 'S. Luo, Y. Tan, S. Patil, D. Gu, P. von Platen, A. Passos, L. Huang, J. Li, H. Zhao',
        year: 2023,
        arxiv: '2311.05556',
      },
      {
        title: 'Latent Consistency Models: Synthesizing High-Resolution Images with Few-Step Inference',
        authors: 'S. Luo, Y. Tan, L. Huang, J. Li, H. Zhao',
        year: 2023,
        arxiv: '2310.04378',
      },
    ],
    kind: 'sampler',
  },
  options: lcmOptions,
  create: (options) => lcm(options),
});

/** Every sampler plugin of `@argmin/diffusion`. */
export const diffusionPlugins = [
  ddimPlugin,
  ddpmPlugin,
  pndmPlugin,
  dpmSolverPlugin,
  timeShiftPlugin,
  lcmPlugin,
] as const;

/** Pipeline problems, stage bindings and metrics of `@argmin/diffusion` (see pipeline-problems.ts). */
export { diffusionMetrics, diffusionPipelineProblems, diffusionStages } from './pipeline-problems';

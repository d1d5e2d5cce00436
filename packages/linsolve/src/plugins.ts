import {
  type CsrMatrix,
  type DenseMatrix,
  defineMethod,
  InvalidArgumentError,
  type Rng,
  type Vec,
} from '@argmin/core';
import * as z from 'zod/mini';
import { chebCb } from './bandits/chebcb';
import { type OmegaLearner, tsallisInf, tsallisInfContextual } from './bandits/tsallis-inf';
import { bicgstabOptimizer } from './krylov/bicgstab';
import { cgOptimizer } from './krylov/cg';
import { gmresOptimizer } from './krylov/gmres';
import { minresOptimizer } from './krylov/minres';
import { type CglsResult, cgls } from './least-squares/cgls';
import { type LsqrResult, lsqr } from './least-squares/lsqr';
import {
  bicgstabOptions,
  cglsOptions,
  cgOptions,
  gcroDrOptions,
  gcrotOptions,
  gmresOptions,
  kaczmarzOptions,
  lsqrOptions,
  minresOptions,
  sketchAndProjectOptions,
  skrOptions,
  sorBanditOptions,
} from './options';
import type { LinearSystem } from './problems/pde';
import { type GcroDrResult, gcroDr, type RecycleSpace } from './recycling/gcro-dr';
import { type GcrotRecycleSpace, type GcrotResult, gcrot } from './recycling/gcrot';
import { type SequenceResult, solveSequence } from './sequence/solve-sequence';
import { randomizedKaczmarz, type SketchingResult, sketchAndProject } from './sketching/sketching';
import type { MatrixLike } from './validate';

const hestenes = {
  title: 'Methods of Conjugate Gradients for Solving Linear Systems',
  authors: 'M. R. Hestenes, E. Stiefel',
  year: 1952,
  url: 'https://doi.org/10.6028/jres.049.044',
};
const skrPaper = {
  title: 'Accelerating Data Generation for Neural Operators via Krylov Subspace Recycling',
  authors: 'H. Wang et al.',
  year: 2024,
  arxiv: '2401.09516',
};
const parks = {
  title: 'Recycling Krylov Subspaces for Sequences of Linear Systems',
  authors: 'M. L. Parks, E. de Sturler, G. Mackey, D. D. Johnson, S. Maiti',
  year: 2006,
  url: 'https://doi.org/10.1137/040607277',
};
const relaxPaper = {
  title: 'Learning to Relax: Setting Solver Parameters Across a Sequence of Linear System Instances',
  authors: 'M. Khodak, E. Chow, M.-F. Balcan, A. Talwalkar',
  year: 2024,
  arxiv: '2310.02246',
};

export const cgPlugin = defineMethod({
  meta: {
    id: 'linsolve/cg',
    title: 'Conjugate gradient (optionally preconditioned) with scipy stopping semantics',
    description:
      'CG for symmetric positive-definite A; pass `preconditioner` in the problem for PCG. Indefiniteness ends the run with a status naming it.',
    references: [hestenes],
    kind: 'optimizer',
  },
  options: cgOptions,
  create: (options) => cgOptimizer(options),
  example: 'examples/solve-poisson.ts',
});

export const minresPlugin = defineMethod({
  meta: {
    id: 'linsolve/minres',
    title: 'MINRES for symmetric (indefinite) systems',
    references: [
      {
        title: 'Solution of Sparse Indefinite Systems of Linear Equations',
        authors: 'C. C. Paige, M. A. Saunders',
        year: 1975,
        url: 'https://doi.org/10.1137/0712047',
      },
    ],
    kind: 'optimizer',
  },
  options: minresOptions,
  create: (options) => minresOptimizer(options),
});

export const gmresPlugin = defineMethod({
  meta: {
    id: 'linsolve/gmres',
    title: 'Restarted GMRES(m) with scipy semantics (one step = one restart cycle)',
    references: [
      {
        title: 'GMRES: A Generalized Minimal Residual Algorithm for Solving Nonsymmetric Linear Systems',
        authors: 'Y. Saad, M. H. Schultz',
        year: 1986,
        url: 'https://doi.org/10.1137/0907058',
      },
    ],
    kind: 'optimizer',
  },
  options: gmresOptions,
  create: (options) => gmresOptimizer(options),
  example: 'examples/solve-poisson.ts',
});

export const bicgstabPlugin = defineMethod({
  meta: {
    id: 'linsolve/bicgstab',
    title: 'BiCGStab for non-symmetric systems',
    references: [
      {
        title: 'Bi-CGSTAB: A Fast and Smoothly Converging Variant of Bi-CG',
        authors: 'H. A. van der Vorst',
        year: 1992,
        url: 'https://doi.org/10.1137/0913035',
      },
    ],
    kind: 'optimizer',
  },
  options: bicgstabOptions,
  create: (options) => bicgstabOptimizer(options),
});

/** What `linsolve/gcro-dr` creates: a solver that takes (and returns) a recycle space. */
export interface RecyclingSolver {
  readonly id: string;
  solve(A: MatrixLike, b: Vec, recycleSpace?: RecycleSpace, x0?: Vec): GcroDrResult;
}

export const gcroDrPlugin = defineMethod({
  meta: {
    id: 'linsolve/gcro-dr',
    title: 'GCRO-DR(m, k): GMRES with deflated restarting and recycling across systems',
    description:
      'Harmonic-Ritz deflation with an explicit RecycleSpace {U, C} carried from one system to the next (C recomputed for the new operator).',
    references: [parks, skrPaper],
    kind: 'solver',
  },
  options: gcroDrOptions,
  create: (options): RecyclingSolver => ({
    id: 'linsolve/gcro-dr',
    solve: (A, b, recycleSpace, x0) => gcroDr(A, b, { ...options, recycleSpace, x0 }),
  }),
  example: 'examples/recycling.ts',
});

/** What `linsolve/gcrot` creates: GCROT(m, k) taking (and returning) a recycle space (scipy `CU`). */
export interface GcrotSolver {
  readonly id: string;
  solve(A: MatrixLike, b: Vec, recycleSpace?: GcrotRecycleSpace, x0?: Vec): GcrotResult;
}

export const gcrotPlugin = defineMethod({
  meta: {
    id: 'linsolve/gcrot',
    title: 'GCROT(m, k): flexible GCROT with recycling, scipy gcrotmk semantics',
    description:
      'Inner FGMRES on (I - C C^T) A with carried (c, u) pairs truncated to k (oldest or smallest); the pairs plus the solution form a recycle space for the next solve (C recomputed with discardC).',
    references: [
      {
        title: 'A Simplified and Flexible Variant of GCROT for Solving Nonsymmetric Linear Systems',
        authors: 'J. E. Hicken, D. W. Zingg',
        year: 2010,
        url: 'https://doi.org/10.1137/090754674',
      },
      parks,
    ],
    kind: 'solver',
  },
  options: gcrotOptions,
  create: (options): GcrotSolver => ({
    id: 'linsolve/gcrot',
    solve: (A, b, recycleSpace, x0) => gcrot(A, b, { ...options, recycleSpace, x0 }),
  }),
  example: 'examples/recycling.ts',
});

/** What `linsolve/skr` creates: a solver of whole sequences. */
export interface SequenceSolver {
  readonly id: string;
  solve(systems: readonly LinearSystem[]): SequenceResult;
}

export const skrPlugin = defineMethod({
  meta: {
    id: 'linsolve/skr',
    title: 'SKR: sorted Krylov recycling over a sequence of systems',
    description:
      'Sort the systems by their parameters, then solve them in order with GCRO-DR, carrying the recycle space.',
    references: [skrPaper],
    kind: 'solver',
  },
  options: skrOptions,
  create: (options): SequenceSolver => ({
    id: 'linsolve/skr',
    solve: (systems) => solveSequence(systems, { ...options, solver: 'gcro-dr' }),
  }),
  example: 'examples/solve-poisson.ts',
});

export const sorBanditPlugin = defineMethod({
  meta: {
    id: 'linsolve/sor-bandit',
    title: 'Learning to Relax: bandit-selected SOR relaxation across a sequence of systems',
    description:
      'An online learner that picks omega for each new system and learns from the SOR iteration count.',
    references: [relaxPaper],
    stochastic: true,
    kind: 'learner',
  },
  options: sorBanditOptions,
  create: (options): OmegaLearner & { select(rng: Rng, context?: number): number } => {
    // An option the chosen learner does not use is an error when it differs from its default (the
    // same rule as diffusion's samplers): a value left at its default cannot be told from "not given".
    const unused: Record<string, readonly (keyof typeof options)[]> = {
      'tsallis-inf': ['contextRange', 'bins', 'degree'],
      'tsallis-inf-cb': ['degree'],
      chebcb: ['normalizerStart', 'bins'],
    };
    const defaults = { normalizerStart: 'robust', contextRange: [-0.15, 0.45], bins: 5, degree: 6 } as const;
    for (const key of unused[options.learner] ?? []) {
      if (JSON.stringify(options[key]) !== JSON.stringify(defaults[key as keyof typeof defaults]))
        throw new InvalidArgumentError({
          argument: key,
          value: options[key],
          message: `linsolve/sor-bandit: \`${key}\` has no effect with learner '${options.learner}'; remove it or choose a learner that uses it.`,
        });
    }
    return sorBanditLearner(options);
  },
});

function sorBanditLearner(options: z.output<typeof sorBanditOptions>) {
  return options.learner === 'tsallis-inf'
    ? tsallisInf({ arms: options.arms, normalizerStart: options.normalizerStart })
    : options.learner === 'chebcb'
      ? chebCb({ arms: options.arms, contextRange: options.contextRange, degree: options.degree })
      : tsallisInfContextual({
          arms: options.arms,
          normalizerStart: options.normalizerStart,
          contextRange: options.contextRange,
          bins: options.bins,
        });
}

/** What `linsolve/lsqr` and `linsolve/cgls` create: a least-squares solver of A x ≈ b. */
export interface LeastSquaresSolver<R> {
  readonly id: string;
  solve(A: MatrixLike, b: Vec, x0?: Vec): R;
}

export const lsqrPlugin = defineMethod({
  meta: {
    id: 'linsolve/lsqr',
    title: 'LSQR for least squares and rectangular systems, scipy lsqr semantics',
    description:
      'Golub-Kahan bidiagonalization with plane rotations; needs Operator.applyAdjoint (dense and CSR matrices have it). Stops with scipy istop codes (atol, btol, conlim).',
    references: [
      {
        title: 'LSQR: An Algorithm for Sparse Linear Equations and Sparse Least Squares',
        authors: 'C. C. Paige, M. A. Saunders',
        year: 1982,
        url: 'https://doi.org/10.1145/355984.355989',
      },
    ],
    kind: 'solver',
  },
  options: z.omit(lsqrOptions, { x0: true }),
  create: (options): LeastSquaresSolver<LsqrResult> => ({
    id: 'linsolve/lsqr',
    solve: (A, b, x0) => lsqr(A, b, { ...options, x0 }),
  }),
  example: 'examples/least-squares.ts',
});

export const cglsPlugin = defineMethod({
  meta: {
    id: 'linsolve/cgls',
    title: 'CGLS: conjugate gradients on the normal equations (damped least squares)',
    references: [hestenes],
    kind: 'solver',
  },
  options: z.omit(cglsOptions, { x0: true }),
  create: (options): LeastSquaresSolver<CglsResult> => ({
    id: 'linsolve/cgls',
    solve: (A, b, x0) => cgls(A, b, { ...options, x0 }),
  }),
  example: 'examples/least-squares.ts',
});

/** What the sketching plugins create: a randomized solver of a consistent A x = b (rows of a CSR/dense A). */
export interface SketchingSolver {
  readonly id: string;
  solve(A: CsrMatrix | DenseMatrix, b: Vec, rng: Rng, x0?: Vec): SketchingResult;
}

export const randomizedKaczmarzPlugin = defineMethod({
  meta: {
    id: 'linsolve/randomized-kaczmarz',
    title: 'Randomized Kaczmarz: row projections sampled by squared row norm',
    references: [
      {
        title: 'A Randomized Kaczmarz Algorithm with Exponential Convergence',
        authors: 'T. Strohmer, R. Vershynin',
        year: 2009,
        arxiv: 'math/0702226',
      },
    ],
    stochastic: true,
    kind: 'solver',
  },
  options: z.omit(kaczmarzOptions, { x0: true }),
  create: (options): SketchingSolver => ({
    id: 'linsolve/randomized-kaczmarz',
    solve: (A, b, rng, x0) => randomizedKaczmarz(A, b, rng, { ...options, x0 }),
  }),
  example: 'examples/least-squares.ts',
});

export const sketchAndProjectPlugin = defineMethod({
  meta: {
    id: 'linsolve/sketch-and-project',
    title: 'Sketch-and-project: block Kaczmarz, Gaussian and CountSketch projections',
    references: [
      {
        title: 'Randomized Iterative Methods for Linear Systems',
        authors: 'R. M. Gower, P. Richtárik',
        year: 2015,
        arxiv: '1506.03296',
      },
    ],
    stochastic: true,
    kind: 'solver',
  },
  options: z.omit(sketchAndProjectOptions, { x0: true }),
  create: (options): SketchingSolver => ({
    id: 'linsolve/sketch-and-project',
    solve: (A, b, rng, x0) => sketchAndProject(A, b, rng, { ...options, x0 }),
  }),
  example: 'examples/least-squares.ts',
});

export const linsolvePlugins = [
  cgPlugin,
  minresPlugin,
  gmresPlugin,
  bicgstabPlugin,
  gcroDrPlugin,
  gcrotPlugin,
  skrPlugin,
  sorBanditPlugin,
  lsqrPlugin,
  cglsPlugin,
  randomizedKaczmarzPlugin,
  sketchAndProjectPlugin,
] as const;

/** Pipeline problems, stage bindings and metrics of `@argmin/linsolve`. */
export { linsolveMetrics, linsolveProblems, linsolveStages } from './pipeline-problems';
export {
  bicgstabOptions,
  cgOptions,
  gcroDrOptions,
  gcrotOptions,
  gmresOptions,
  minresOptions,
  skrOptions,
  sorBanditOptions,
};

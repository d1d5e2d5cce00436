import type { Vec } from '@argmin/core';
import { z } from 'zod';
import type { RecycleSpace } from './recycling/gcro-dr';
import type { GcrotRecycleSpace } from './recycling/gcrot';
import type { MatrixLike } from './validate';

// One strict schema per method: the plugin validates with it, and the functional entry point
// (`gmres(A, b, options)`, `gcroDr(...)`, ...) validates with the same schema plus its array
// arguments (x0, preconditioner, recycleSpace), through core's `parseOptions` (InvalidOptionsError
// naming the key, with a "did you mean" for scipy spellings such as `maxiter` and `tol`).

const rtol = z
  .number()
  .nonnegative()
  .default(1e-5)
  .describe('Relative tolerance: converged when ||b - A x|| <= max(rtol ||b||, atol) (scipy default 1e-5).');
const atol = z.number().nonnegative().default(0).describe('Absolute tolerance (scipy default 0).');
const maxIterations = z
  .number()
  .int()
  .nonnegative()
  .optional()
  .describe('Iteration limit (scipy: 10 n); 0 returns x0 untouched.');

export const cgOptions = z.strictObject({ rtol, atol, maxIterations });

export const minresOptions = z.strictObject({
  rtol,
  atol,
  maxIterations,
  shift: z.number().default(0).describe('Solve (A - shift I) x = b (scipy `shift`).'),
});

export const gmresOptions = z.strictObject({
  rtol,
  atol,
  maxIterations: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('Restart cycles (scipy `maxiter` counts cycles, default 10 n); 0 returns x0 untouched.'),
  restart: z
    .number()
    .int()
    .positive()
    .default(20)
    .describe('Krylov dimension m per cycle (scipy default 20).'),
});

export const bicgstabOptions = z.strictObject({ rtol, atol, maxIterations });

export const gcroDrOptions = z.strictObject({
  restart: z
    .number()
    .int()
    .min(2)
    .default(40)
    .describe('Maximum subspace dimension m per cycle (SKR / PETSc: 40).'),
  recycle: z
    .number()
    .int()
    .nonnegative()
    .default(20)
    .describe('Recycled vectors k (SKR / PETSc -ksp_hpddm_recycle: 20); 0 gives GMRES(m).'),
  rtol: z.number().nonnegative().default(1e-5).describe('Relative tolerance on ||b - A x|| / ||b||.'),
  atol,
  maxIterations: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('Maximum restart cycles per system (default max(100, ceil(10 n / m))); 0 returns x0.'),
});

export const gcrotOptions = z.strictObject({
  m: z
    .number()
    .int()
    .positive()
    .default(20)
    .describe('Inner FGMRES steps per outer iteration (scipy default 20).'),
  k: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('Number of (c, u) pairs carried between outer iterations (scipy default: m).'),
  truncate: z
    .enum(['oldest', 'smallest'])
    .default('oldest')
    .describe(
      "Truncation of the carried pairs: drop the 'oldest' (scipy default) or keep the largest singular directions.",
    ),
  discardC: z
    .boolean()
    .default(false)
    .describe(
      'Recompute C = A U for this operator from the given U (scipy discard_C; set it when A changes between solves).',
    ),
  rtol,
  atol,
  maxIterations: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('Outer iterations (scipy `maxiter`, default 1000); 0 returns x0.'),
});

export const skrOptions = z.strictObject({
  sort: z
    .enum(['greedy', 'none'])
    .default('greedy')
    .describe("SKR sorting: 'greedy' nearest neighbour on the parameter fields (Algorithm 1) or 'none'."),
  recycle: z.boolean().default(true).describe('Carry the recycle space between systems.'),
  restart: z.number().int().min(2).default(40).describe('GCRO-DR subspace size m (SKR: 40).'),
  recycleDimension: z
    .number()
    .int()
    .nonnegative()
    .default(20)
    .describe('GCRO-DR recycled vectors k (SKR: 20).'),
  rtol: z
    .number()
    .nonnegative()
    .default(1e-8)
    .describe('Relative tolerance per system (SKR sweeps 1e-1..1e-8; default 1e-8).'),
  matrixFree: z.boolean().default(false).describe('Use the stencil operator instead of the CSR matrix.'),
});

export const sorBanditOptions = z.strictObject({
  learner: z
    .enum(['tsallis-inf', 'tsallis-inf-cb', 'chebcb'])
    .default('tsallis-inf')
    .describe(
      "1/2-Tsallis-INF over the omega grid, its context-binned variant, or 'chebcb' (inverse-gap weighting with a Chebyshev regression in the context, ChebCB.m).",
    ),
  arms: z
    .array(z.number().gt(0).lt(2))
    .min(1)
    .default(() => Array.from({ length: 20 }, (_, i) => 1 + (0.95 * i) / 19))
    .describe('Omega grid (reference: linspace(1, 1.95, 20)).'),
  normalizerStart: z
    .enum(['robust', 'reference'])
    .default('robust')
    .describe(
      "Newton start for the normalizer: 'robust' (min L - 2/eta, the fix) or 'reference' (x = -1, as TsallisINF.m).",
    ),
  contextRange: z
    .tuple([z.number(), z.number()])
    .default([-0.15, 0.45])
    .describe('Context range [a, b] for the binned learner (reference: the diagonal-shift range).'),
  bins: z
    .number()
    .int()
    .positive()
    .max(1_000_000)
    .default(5)
    .describe('Context bins for tsallis-inf-cb (reference: 5).'),
  degree: z
    .number()
    .int()
    .positive()
    .default(6)
    .describe('Chebyshev features T_0..T_{m-1} for chebcb (reference: m = 6).'),
});

const vector = z.custom<Vec>((v) => v instanceof Float64Array, { message: 'expected a Float64Array' });
const matrixLike = z.custom<MatrixLike>((v) => typeof v === 'object' && v !== null, {
  message: 'expected an Operator, a CsrMatrix or a DenseMatrix',
});
const x0 = vector.optional().describe('Starting guess (default zeros); never mutated.');
const preconditioner = matrixLike
  .optional()
  .describe('Approximate inverse M of A, applied as M r (scipy `M`).');
const gcroDrSpace = z.custom<RecycleSpace>((v) => typeof v === 'object' && v !== null, {
  message: 'expected a recycle space { U, C }',
});
const gcrotSpace = z.custom<GcrotRecycleSpace>((v) => typeof v === 'object' && v !== null, {
  message: 'expected a recycle space { U, C }',
});

/** `cg(A, b, options)`: the plugin's options plus x0 and the preconditioner. */
export const cgCallOptions = cgOptions.extend({ x0, preconditioner });
/** `minres(A, b, options)`. */
export const minresCallOptions = minresOptions.extend({ x0, preconditioner });
/** `gmres(A, b, options)`. */
export const gmresCallOptions = gmresOptions.extend({ x0, preconditioner });
/** `bicgstab(A, b, options)`. */
export const bicgstabCallOptions = bicgstabOptions.extend({ x0, preconditioner });
/** `gcroDr(A, b, options)`. */
export const gcroDrCallOptions = gcroDrOptions.extend({ x0, recycleSpace: gcroDrSpace.optional() });
/** `gcrot(A, b, options)`. */
export const gcrotCallOptions = gcrotOptions.extend({
  x0,
  preconditioner,
  recycleSpace: gcrotSpace.optional(),
});

/** `solveSequence(systems, options)`: SKR's options plus the solver choice and GCROT's truncation. */
export const solveSequenceOptions = skrOptions.extend({
  solver: z
    .enum(['gcro-dr', 'gcrot', 'gmres'])
    .default('gcro-dr')
    .describe(
      "'gcro-dr' (recycling), 'gcrot' (GCROT(m, k), U carried with discard_C) or 'gmres' (from scratch).",
    ),
  sort: z
    .enum(['greedy', 'fft-gray', 'none'])
    .default('none')
    .describe("'greedy' (SKR Algorithm 1), 'fft-gray' (SKR code's FFT + PCA + Gray-code sorter) or 'none'."),
  restart: z.number().int().positive().default(40).describe('Subspace size m (SKR: 40).'),
  truncate: z
    .enum(['oldest', 'smallest'])
    .default('oldest')
    .describe("GCROT truncation rule (scipy: 'oldest')."),
  maxIterations: z.number().int().nonnegative().optional().describe('Maximum restart cycles per system.'),
});

/** `sor`, `ssor`, `jacobi`, `gaussSeidel`: Learning to Relax's `sor.m` stopping rule. */
export const stationaryOptions = z.strictObject({
  omega: z.number().default(1).describe('Relaxation: (0, 2) for SOR/SSOR, (0, 1] for weighted Jacobi.'),
  tolerance: z
    .number()
    .nonnegative()
    .default(1e-8)
    .describe('Stop when ||b - A x|| / ||b - A x0|| < tolerance (sor.m: 1e-8).'),
  maxIterations: z
    .number()
    .int()
    .nonnegative()
    .default(10000)
    .describe('Iteration limit (sor.m: 10000); 0 returns x0.'),
  x0,
});

// The learners are generic bandits over any finite arm values (the SOR plugin restricts them to (0, 2)).
const learnerArms = {
  arms: z
    .array(z.number())
    .min(1)
    .default(() => Array.from({ length: 20 }, (_, i) => 1 + (0.95 * i) / 19))
    .describe('Arm values (default: the omega grid linspace(1, 1.95, 20)).'),
};
/** `tsallisInf(options)`. */
export const tsallisInfOptions = sorBanditOptions.pick({ normalizerStart: true }).extend(learnerArms);
/** `tsallisInfContextual(options)`. */
export const tsallisInfContextualOptions = sorBanditOptions
  .pick({ normalizerStart: true, contextRange: true, bins: true })
  .extend(learnerArms);
/** `chebCb(options)`. */
export const chebCbOptions = sorBanditOptions.pick({ contextRange: true, degree: true }).extend(learnerArms);

/** `lsqr(A, b, options)`: scipy `lsqr`'s options spelled out. */
export const lsqrOptions = z.strictObject({
  damp: z
    .number()
    .nonnegative()
    .default(0)
    .describe('Damping: minimize ||A x - b||^2 + damp^2 ||x - x0||^2 (scipy `damp`).'),
  atol: z
    .number()
    .nonnegative()
    .default(1e-6)
    .describe('Stop when ||A^T r|| / (||A|| ||r||) <= atol (least-squares test; scipy default 1e-6).'),
  btol: z
    .number()
    .nonnegative()
    .default(1e-6)
    .describe(
      'Stop when ||r|| <= btol ||b|| + atol ||A|| ||x|| (compatible-system test; scipy default 1e-6).',
    ),
  conlim: z
    .number()
    .nonnegative()
    .default(1e8)
    .describe('Stop when the estimate of cond(A) exceeds conlim (0: no limit; scipy default 1e8).'),
  maxIterations: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('Iteration limit (scipy `iter_lim`, default 2 n); 0 returns x0.'),
  x0,
});

/** `cgls(A, b, options)`: CG on the normal equations (AᵀA + damp² I) x = Aᵀ b. */
export const cglsOptions = z.strictObject({
  damp: z.number().nonnegative().default(0).describe('Damping: minimize ||A x - b||^2 + damp^2 ||x||^2.'),
  rtol: z
    .number()
    .nonnegative()
    .default(1e-6)
    .describe('Stop when ||A^T r - damp^2 x|| <= rtol ||A^T b|| (normal-equation residual).'),
  atol: z
    .number()
    .nonnegative()
    .default(0)
    .describe('Also stop when ||b - A x|| <= atol (consistent systems).'),
  maxIterations: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('Iteration limit (default 2 n, as LSQR); 0 returns x0.'),
  x0,
});

const sketchingCommon = {
  rtol: z
    .number()
    .nonnegative()
    .default(1e-6)
    .describe('Converged when ||b - A x|| <= max(rtol ||b||, atol), checked every `checkEvery` projections.'),
  atol: z.number().nonnegative().default(0).describe('Absolute residual tolerance.'),
  checkEvery: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Projections between true-residual checks (default: one pass over the rows, m / blockSize).'),
  x0,
};

/** `randomizedKaczmarz(A, b, rng, options)`. */
export const kaczmarzOptions = z.strictObject({
  sampling: z
    .enum(['row-norm', 'uniform'])
    .default('row-norm')
    .describe("Row i with probability ||a_i||^2 / ||A||_F^2 (Strohmer & Vershynin) or 'uniform'."),
  maxIterations: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('Row projections (default 1000 m); 0 returns x0.'),
  ...sketchingCommon,
});

/** `sketchAndProject(A, b, rng, options)`. */
export const sketchAndProjectOptions = z.strictObject({
  sketch: z
    .enum(['rows', 'gaussian', 'count'])
    .default('rows')
    .describe(
      "S^T A from 'rows' (block Kaczmarz: blockSize distinct rows, uniform), 'gaussian' (N(0, 1) S) or 'count' (CountSketch: each row to one of blockSize buckets with a random sign).",
    ),
  blockSize: z.number().int().positive().default(10).describe('Sketch size s (rows of S^T A).'),
  maxIterations: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('Projections (default 1000 m / blockSize); 0 returns x0.'),
  ...sketchingCommon,
});

/** `sketchPreconditionedLsqr(A, b, rng, options)`: LSQR on A R⁻¹ with R from a QR of a sketch S A. */
export const sketchPreconditionedLsqrOptions = lsqrOptions.omit({ damp: true, x0: true }).extend({
  sketch: z
    .enum(['gaussian', 'count'])
    .default('gaussian')
    .describe("Sketch S: 'gaussian' (N(0, 1) entries, LSRN/Rokhlin-Tygert) or 'count' (CountSketch)."),
  oversampling: z
    .number()
    .min(1)
    .max(1000)
    .default(4)
    .describe('Sketch rows s = ceil(oversampling * n) (Blendenpik/LSRN use 2-4).'),
});

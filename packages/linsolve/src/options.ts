import type { Vec } from '@argmin/core';
import * as z from 'zod/mini';
import type { RecycleSpace } from './recycling/gcro-dr';
import type { GcrotRecycleSpace } from './recycling/gcrot';
import type { MatrixLike } from './validate';

// One strict schema per method: the plugin validates with it, and the functional entry point
// (`gmres(A, b, options)`, `gcroDr(...)`, ...) validates with the same schema plus its array
// arguments (x0, preconditioner, recycleSpace), through core's `parseOptions` (InvalidOptionsError
// naming the key, with a "did you mean" for scipy spellings such as `maxiter` and `tol`).

const rtol = z
  ._default(z.number().check(z.nonnegative()), 1e-5)
  .check(
    z.describe(
      'Relative tolerance: converged when ||b - A x|| <= max(rtol ||b||, atol) (scipy default 1e-5).',
    ),
  );
const atol = z
  ._default(z.number().check(z.nonnegative()), 0)
  .check(z.describe('Absolute tolerance (scipy default 0).'));
const maxIterations = z
  .optional(z.int().check(z.nonnegative()))
  .check(z.describe('Iteration limit (scipy: 10 n); 0 returns x0 untouched.'));

export const cgOptions = z.strictObject({ rtol, atol, maxIterations });

export const minresOptions = z.strictObject({
  rtol,
  atol,
  maxIterations,
  shift: z._default(z.number(), 0).check(z.describe('Solve (A - shift I) x = b (scipy `shift`).')),
});

export const gmresOptions = z.strictObject({
  rtol,
  atol,
  maxIterations: z
    .optional(z.int().check(z.nonnegative()))
    .check(
      z.describe('Restart cycles (scipy `maxiter` counts cycles, default 10 n); 0 returns x0 untouched.'),
    ),
  restart: z
    ._default(z.int().check(z.positive()), 20)
    .check(z.describe('Krylov dimension m per cycle (scipy default 20).')),
});

export const bicgstabOptions = z.strictObject({ rtol, atol, maxIterations });

export const gcroDrOptions = z.strictObject({
  restart: z
    ._default(z.int().check(z.minimum(2)), 40)
    .check(z.describe('Maximum subspace dimension m per cycle (SKR / PETSc: 40).')),
  recycle: z
    ._default(z.int().check(z.nonnegative()), 20)
    .check(z.describe('Recycled vectors k (SKR / PETSc -ksp_hpddm_recycle: 20); 0 gives GMRES(m).')),
  rtol: z
    ._default(z.number().check(z.nonnegative()), 1e-5)
    .check(z.describe('Relative tolerance on ||b - A x|| / ||b||.')),
  atol,
  maxIterations: z
    .optional(z.int().check(z.nonnegative()))
    .check(z.describe('Maximum restart cycles per system (default max(100, ceil(10 n / m))); 0 returns x0.')),
});

export const gcrotOptions = z.strictObject({
  m: z
    ._default(z.int().check(z.positive()), 20)
    .check(z.describe('Inner FGMRES steps per outer iteration (scipy default 20).')),
  k: z
    .optional(z.int().check(z.nonnegative()))
    .check(z.describe('Number of (c, u) pairs carried between outer iterations (scipy default: m).')),
  truncate: z
    ._default(z.enum(['oldest', 'smallest']), 'oldest')
    .check(
      z.describe(
        "Truncation of the carried pairs: drop the 'oldest' (scipy default) or keep the largest singular directions.",
      ),
    ),
  discardC: z
    ._default(z.boolean(), false)
    .check(
      z.describe(
        'Recompute C = A U for this operator from the given U (scipy discard_C; set it when A changes between solves).',
      ),
    ),
  rtol,
  atol,
  maxIterations: z
    .optional(z.int().check(z.nonnegative()))
    .check(z.describe('Outer iterations (scipy `maxiter`, default 1000); 0 returns x0.')),
});

export const skrOptions = z.strictObject({
  sort: z
    ._default(z.enum(['greedy', 'none']), 'greedy')
    .check(
      z.describe("SKR sorting: 'greedy' nearest neighbour on the parameter fields (Algorithm 1) or 'none'."),
    ),
  recycle: z._default(z.boolean(), true).check(z.describe('Carry the recycle space between systems.')),
  restart: z
    ._default(z.int().check(z.minimum(2)), 40)
    .check(z.describe('GCRO-DR subspace size m (SKR: 40).')),
  recycleDimension: z
    ._default(z.int().check(z.nonnegative()), 20)
    .check(z.describe('GCRO-DR recycled vectors k (SKR: 20).')),
  rtol: z
    ._default(z.number().check(z.nonnegative()), 1e-8)
    .check(z.describe('Relative tolerance per system (SKR sweeps 1e-1..1e-8; default 1e-8).')),
  matrixFree: z
    ._default(z.boolean(), false)
    .check(z.describe('Use the stencil operator instead of the CSR matrix.')),
});

export const sorBanditOptions = z.strictObject({
  learner: z
    ._default(z.enum(['tsallis-inf', 'tsallis-inf-cb', 'chebcb']), 'tsallis-inf')
    .check(
      z.describe(
        "1/2-Tsallis-INF over the omega grid, its context-binned variant, or 'chebcb' (inverse-gap weighting with a Chebyshev regression in the context, ChebCB.m).",
      ),
    ),
  arms: z
    ._default(z.array(z.number().check(z.gt(0), z.lt(2))).check(z.minLength(1)), () =>
      Array.from({ length: 20 }, (_, i) => 1 + (0.95 * i) / 19),
    )
    .check(z.describe('Omega grid (reference: linspace(1, 1.95, 20)).')),
  normalizerStart: z
    ._default(z.enum(['robust', 'reference']), 'robust')
    .check(
      z.describe(
        "Newton start for the normalizer: 'robust' (min L - 2/eta, the fix) or 'reference' (x = -1, as TsallisINF.m).",
      ),
    ),
  contextRange: z
    ._default(z.tuple([z.number(), z.number()]), [-0.15, 0.45])
    .check(z.describe('Context range [a, b] for the binned learner (reference: the diagonal-shift range).')),
  bins: z
    ._default(z.int().check(z.positive(), z.maximum(1_000_000)), 5)
    .check(z.describe('Context bins for tsallis-inf-cb (reference: 5).')),
  degree: z
    ._default(z.int().check(z.positive()), 6)
    .check(z.describe('Chebyshev features T_0..T_{m-1} for chebcb (reference: m = 6).')),
});

const vector = z.custom<Vec>((v) => v instanceof Float64Array, { message: 'expected a Float64Array' });
const matrixLike = z.custom<MatrixLike>((v) => typeof v === 'object' && v !== null, {
  message: 'expected an Operator, a CsrMatrix or a DenseMatrix',
});
const x0 = z.optional(vector).check(z.describe('Starting guess (default zeros); never mutated.'));
const preconditioner = z
  .optional(matrixLike)
  .check(z.describe('Approximate inverse M of A, applied as M r (scipy `M`).'));
const gcroDrSpace = z.custom<RecycleSpace>((v) => typeof v === 'object' && v !== null, {
  message: 'expected a recycle space { U, C }',
});
const gcrotSpace = z.custom<GcrotRecycleSpace>((v) => typeof v === 'object' && v !== null, {
  message: 'expected a recycle space { U, C }',
});

/** `cg(A, b, options)`: the plugin's options plus x0 and the preconditioner. */
export const cgCallOptions = z.extend(cgOptions, { x0, preconditioner });
/** `minres(A, b, options)`. */
export const minresCallOptions = z.extend(minresOptions, { x0, preconditioner });
/** `gmres(A, b, options)`. */
export const gmresCallOptions = z.extend(gmresOptions, { x0, preconditioner });
/** `bicgstab(A, b, options)`. */
export const bicgstabCallOptions = z.extend(bicgstabOptions, { x0, preconditioner });
/** `gcroDr(A, b, options)`. */
export const gcroDrCallOptions = z.extend(gcroDrOptions, { x0, recycleSpace: z.optional(gcroDrSpace) });
/** `gcrot(A, b, options)`. */
export const gcrotCallOptions = z.extend(gcrotOptions, {
  x0,
  preconditioner,
  recycleSpace: z.optional(gcrotSpace),
});

/** `solveSequence(systems, options)`: SKR's options plus the solver choice and GCROT's truncation. */
export const solveSequenceOptions = z.extend(skrOptions, {
  solver: z
    ._default(z.enum(['gcro-dr', 'gcrot', 'gmres']), 'gcro-dr')
    .check(
      z.describe(
        "'gcro-dr' (recycling), 'gcrot' (GCROT(m, k), U carried with discard_C) or 'gmres' (from scratch).",
      ),
    ),
  sort: z
    ._default(z.enum(['greedy', 'fft-gray', 'none']), 'none')
    .check(
      z.describe(
        "'greedy' (SKR Algorithm 1), 'fft-gray' (SKR code's FFT + PCA + Gray-code sorter) or 'none'.",
      ),
    ),
  restart: z._default(z.int().check(z.positive()), 40).check(z.describe('Subspace size m (SKR: 40).')),
  truncate: z
    ._default(z.enum(['oldest', 'smallest']), 'oldest')
    .check(z.describe("GCROT truncation rule (scipy: 'oldest').")),
  maxIterations: z
    .optional(z.int().check(z.nonnegative()))
    .check(z.describe('Maximum restart cycles per system.')),
});

/** `sor`, `ssor`, `jacobi`, `gaussSeidel`: Learning to Relax's `sor.m` stopping rule. */
export const stationaryOptions = z.strictObject({
  omega: z
    ._default(z.number(), 1)
    .check(z.describe('Relaxation: (0, 2) for SOR/SSOR, (0, 1] for weighted Jacobi.')),
  tolerance: z
    ._default(z.number().check(z.nonnegative()), 1e-8)
    .check(z.describe('Stop when ||b - A x|| / ||b - A x0|| < tolerance (sor.m: 1e-8).')),
  maxIterations: z
    ._default(z.int().check(z.nonnegative()), 10000)
    .check(z.describe('Iteration limit (sor.m: 10000); 0 returns x0.')),
  x0,
});

// The learners are generic bandits over any finite arm values (the SOR plugin restricts them to (0, 2)).
const learnerArms = {
  arms: z
    ._default(z.array(z.number()).check(z.minLength(1)), () =>
      Array.from({ length: 20 }, (_, i) => 1 + (0.95 * i) / 19),
    )
    .check(z.describe('Arm values (default: the omega grid linspace(1, 1.95, 20)).')),
};
/** `tsallisInf(options)`. */
export const tsallisInfOptions = z.extend(z.pick(sorBanditOptions, { normalizerStart: true }), learnerArms);
/** `tsallisInfContextual(options)`. */
export const tsallisInfContextualOptions = z.extend(
  z.pick(sorBanditOptions, { normalizerStart: true, contextRange: true, bins: true }),
  learnerArms,
);
/** `chebCb(options)`. */
export const chebCbOptions = z.extend(
  z.pick(sorBanditOptions, { contextRange: true, degree: true }),
  learnerArms,
);

/** `lsqr(A, b, options)`: scipy `lsqr`'s options spelled out. */
export const lsqrOptions = z.strictObject({
  damp: z
    ._default(z.number().check(z.nonnegative()), 0)
    .check(z.describe('Damping: minimize ||A x - b||^2 + damp^2 ||x - x0||^2 (scipy `damp`).')),
  atol: z
    ._default(z.number().check(z.nonnegative()), 1e-6)
    .check(
      z.describe('Stop when ||A^T r|| / (||A|| ||r||) <= atol (least-squares test; scipy default 1e-6).'),
    ),
  btol: z
    ._default(z.number().check(z.nonnegative()), 1e-6)
    .check(
      z.describe(
        'Stop when ||r|| <= btol ||b|| + atol ||A|| ||x|| (compatible-system test; scipy default 1e-6).',
      ),
    ),
  conlim: z
    ._default(z.number().check(z.nonnegative()), 1e8)
    .check(z.describe('Stop when the estimate of cond(A) exceeds conlim (0: no limit; scipy default 1e8).')),
  maxIterations: z
    .optional(z.int().check(z.nonnegative()))
    .check(z.describe('Iteration limit (scipy `iter_lim`, default 2 n); 0 returns x0.')),
  x0,
});

/** `cgls(A, b, options)`: CG on the normal equations (AᵀA + damp² I) x = Aᵀ b. */
export const cglsOptions = z.strictObject({
  damp: z
    ._default(z.number().check(z.nonnegative()), 0)
    .check(z.describe('Damping: minimize ||A x - b||^2 + damp^2 ||x||^2.')),
  rtol: z
    ._default(z.number().check(z.nonnegative()), 1e-6)
    .check(z.describe('Stop when ||A^T r - damp^2 x|| <= rtol ||A^T b|| (normal-equation residual).')),
  atol: z
    ._default(z.number().check(z.nonnegative()), 0)
    .check(z.describe('Also stop when ||b - A x|| <= atol (consistent systems).')),
  maxIterations: z
    .optional(z.int().check(z.nonnegative()))
    .check(z.describe('Iteration limit (default 2 n, as LSQR); 0 returns x0.')),
  x0,
});

const sketchingCommon = {
  rtol: z
    ._default(z.number().check(z.nonnegative()), 1e-6)
    .check(
      z.describe(
        'Converged when ||b - A x|| <= max(rtol ||b||, atol), checked every `checkEvery` projections.',
      ),
    ),
  atol: z._default(z.number().check(z.nonnegative()), 0).check(z.describe('Absolute residual tolerance.')),
  checkEvery: z
    .optional(z.int().check(z.positive()))
    .check(
      z.describe(
        'Projections between true-residual checks (default: one pass over the rows, m / blockSize).',
      ),
    ),
  x0,
};

/** `randomizedKaczmarz(A, b, rng, options)`. */
export const kaczmarzOptions = z.strictObject({
  sampling: z
    ._default(z.enum(['row-norm', 'uniform']), 'row-norm')
    .check(z.describe("Row i with probability ||a_i||^2 / ||A||_F^2 (Strohmer & Vershynin) or 'uniform'.")),
  maxIterations: z
    .optional(z.int().check(z.nonnegative()))
    .check(z.describe('Row projections (default 1000 m); 0 returns x0.')),
  ...sketchingCommon,
});

/** `sketchAndProject(A, b, rng, options)`. */
export const sketchAndProjectOptions = z.strictObject({
  sketch: z
    ._default(z.enum(['rows', 'gaussian', 'count']), 'rows')
    .check(
      z.describe(
        "S^T A from 'rows' (block Kaczmarz: blockSize distinct rows, uniform), 'gaussian' (N(0, 1) S) or 'count' (CountSketch: each row to one of blockSize buckets with a random sign).",
      ),
    ),
  blockSize: z._default(z.int().check(z.positive()), 10).check(z.describe('Sketch size s (rows of S^T A).')),
  maxIterations: z
    .optional(z.int().check(z.nonnegative()))
    .check(z.describe('Projections (default 1000 m / blockSize); 0 returns x0.')),
  ...sketchingCommon,
});

/** `sketchPreconditionedLsqr(A, b, rng, options)`: LSQR on A R⁻¹ with R from a QR of a sketch S A. */
export const sketchPreconditionedLsqrOptions = z.extend(z.omit(lsqrOptions, { damp: true, x0: true }), {
  sketch: z
    ._default(z.enum(['gaussian', 'count']), 'gaussian')
    .check(
      z.describe("Sketch S: 'gaussian' (N(0, 1) entries, LSRN/Rokhlin-Tygert) or 'count' (CountSketch)."),
    ),
  oversampling: z
    ._default(z.number().check(z.minimum(1), z.maximum(1000)), 4)
    .check(z.describe('Sketch rows s = ceil(oversampling * n) (Blendenpik/LSRN use 2-4).')),
});

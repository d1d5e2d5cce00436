import type { Vec } from './vec';

/** Structural facts a solver may rely on (CG needs symmetric positive-definite). */
export interface OperatorTraits {
  readonly symmetric?: boolean;
  readonly positiveDefinite?: boolean;
}

/**
 * A linear map R^cols -> R^rows. `apply(x, out)` writes A x into `out` (length rows) and returns it;
 * it never mutates `x`.
 *
 * Transposes: `applyTranspose(y, out)` writes Aᵀ y (length cols) when available (LSQR, CGLS,
 * sketching and adjoint-based gradients need it). Operators are real, so the transpose is the
 * adjoint. `applyAdjoint` is the earlier name, kept as a deprecated alias: every operator built by
 * `@argmin/core` sets both to the same function, and code that consumes an operator written
 * elsewhere should resolve the transpose with `transposeOf(A)` (which accepts either name) rather
 * than read one property. New operators should provide `applyTranspose`.
 */
export interface Operator {
  readonly rows: number;
  readonly cols: number;
  apply(x: Vec, out: Vec): Vec;
  /** Aᵀ y into out (length cols); returns out; never mutates y. */
  applyTranspose?(y: Vec, out: Vec): Vec;
  /** @deprecated Alias of `applyTranspose` (same function on core's operators); use `transposeOf(A)` to read either. */
  applyAdjoint?(y: Vec, out: Vec): Vec;
  readonly traits?: OperatorTraits;
  /** Optional diagonal (for Jacobi preconditioning), if cheaply known. */
  diagonal?(): Vec;
}

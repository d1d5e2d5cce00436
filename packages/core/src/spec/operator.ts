import type { Vec } from './vec';

/** Structural facts a solver may rely on (CG needs symmetric positive-definite). */
export interface OperatorTraits {
  readonly symmetric?: boolean;
  readonly positiveDefinite?: boolean;
}

/**
 * A linear map R^cols -> R^rows. `apply(x, out)` writes A x into `out` and returns it; it never
 * mutates `x`. `applyAdjoint(y, out)` writes Aᵀ y (length cols) when available.
 */
export interface Operator {
  readonly rows: number;
  readonly cols: number;
  apply(x: Vec, out: Vec): Vec;
  applyAdjoint?(y: Vec, out: Vec): Vec;
  readonly traits?: OperatorTraits;
  /** Optional diagonal (for Jacobi preconditioning), if cheaply known. */
  diagonal?(): Vec;
}

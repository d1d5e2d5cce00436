import { assertAllocation } from '../resources/budget';
import { assertInteger } from '../validate/validate';

/** A dense vector: always a Float64Array. Kernels write into a caller-provided `out`. */
export type Vec = Float64Array;

/** Allocates a zero vector of length `n`. */
export function zeros(n: number): Vec {
  assertInteger('zeros', 'n', n, 0);
  assertAllocation('zeros', `a vector of length ${n}`, n);
  return new Float64Array(n);
}

/** A Float64Array copy of any array-like of numbers. */
export function vec(values: ArrayLike<number>): Vec {
  return Float64Array.from(values);
}

/** A dense vector: always a Float64Array. Kernels write into a caller-provided `out`. */
export type Vec = Float64Array;

/** Allocates a zero vector of length `n`. */
export function zeros(n: number): Vec {
  return new Float64Array(n);
}

/** A Float64Array copy of any array-like of numbers. */
export function vec(values: ArrayLike<number>): Vec {
  return Float64Array.from(values);
}

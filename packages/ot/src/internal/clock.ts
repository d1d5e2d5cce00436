const performanceLike = (globalThis as { performance?: { now(): number } }).performance;

/**
 * Milliseconds from a monotonic clock where available (browser and Node), else Date.now.
 * Internal copy (core keeps its clock private); candidate to be exported from @argmin/core.
 */
export const monotonicNow: () => number =
  typeof performanceLike?.now === 'function' ? () => performanceLike.now() : () => Date.now();

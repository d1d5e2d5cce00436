const performanceLike = (globalThis as { performance?: { now(): number } }).performance;

/** Milliseconds from a monotonic clock where available (browser and Node), else Date.now. */
export const now: () => number =
  typeof performanceLike?.now === 'function' ? () => performanceLike.now() : () => Date.now();

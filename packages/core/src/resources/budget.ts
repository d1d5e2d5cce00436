import { InvalidArgumentError, ResourceLimitError } from '../errors/argmin-error';

/** The allocation budget every public function checks before allocating large buffers. */
export interface ResourceLimits {
  /** Largest single request in bytes (default 2 GiB: 2^28 float64 entries). */
  readonly maxBytes: number;
}

const defaults: ResourceLimits = { maxBytes: 2 ** 31 };
let limits: ResourceLimits = { ...defaults };

/**
 * Sets the allocation budget (process-wide, like numpy's print options; pass `{}` to restore the
 * defaults). Returns the previous limits so a caller can restore them.
 *
 * @example
 * const previous = setResourceLimits({ maxBytes: 8 * 2 ** 30 }); // allow 8 GiB requests
 * // ... large run ...
 * setResourceLimits(previous);
 */
export function setResourceLimits(next: Partial<ResourceLimits>): ResourceLimits {
  const previous = limits;
  const maxBytes = next.maxBytes ?? defaults.maxBytes;
  if (typeof maxBytes !== 'number' || !(maxBytes > 0)) {
    throw new InvalidArgumentError({
      argument: 'maxBytes',
      value: maxBytes,
      message: `setResourceLimits: \`maxBytes\` must be a positive number of bytes; got ${String(maxBytes)}.`,
    });
  }
  limits = { maxBytes };
  return previous;
}

/** The budget in force. */
export function resourceLimits(): ResourceLimits {
  return limits;
}

/**
 * Throws `ResourceLimitError` when `count` entries of `bytesPerEntry` bytes (default 8, a float64)
 * exceed the budget. Call it before allocating anything sized by user input.
 *
 * @example
 * assertAllocation('denseMatrix', 'a 100000 x 100000 matrix', rows * cols);
 */
export function assertAllocation(where: string, what: string, count: number, bytesPerEntry = 8): void {
  const requestedBytes = count * bytesPerEntry;
  if (!(requestedBytes <= limits.maxBytes)) {
    throw new ResourceLimitError({ where, what, requestedBytes, limitBytes: limits.maxBytes });
  }
}

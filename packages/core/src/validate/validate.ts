import { InvalidArgumentError } from '../errors/argmin-error';
import type { Vec } from '../spec/vec';

/**
 * Boundary validators shared by every package. Each throws an `InvalidArgumentError` whose message
 * names the caller (`where`), the argument, the value and the fix. Kernels never call these.
 */

function describe(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(value)) return value.length <= 8 ? JSON.stringify(value) : `Array(${value.length})`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Throws unless `x` is a Float64Array. */
export function assertVec(where: string, argument: string, x: unknown): asserts x is Vec {
  if (!(x instanceof Float64Array)) {
    throw new InvalidArgumentError({
      argument,
      value: x,
      message: `${where}: \`${argument}\` must be a Float64Array; got ${describe(x)}. Convert with Float64Array.from(...).`,
    });
  }
}

function assertArrayLike(where: string, argument: string, x: unknown): asserts x is ArrayLike<number> {
  const ok = (ArrayBuffer.isView(x) && !(x instanceof DataView)) || Array.isArray(x);
  if (!ok) {
    throw new InvalidArgumentError({
      argument,
      value: x,
      message: `${where}: \`${argument}\` must be an array of numbers (a Float64Array); got ${describe(x)}.`,
    });
  }
}

/** Throws unless every entry of `x` is finite; names the first bad index. */
export function assertFinite(where: string, argument: string, x: ArrayLike<number>): void {
  assertArrayLike(where, argument, x);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      throw new InvalidArgumentError({
        argument,
        value: x[i],
        message: `${where}: \`${argument}\` must be finite; got ${describe(x[i])} at index ${i}. Remove or impute non-finite entries.`,
      });
    }
  }
}

/** Throws unless `x.length === expected`. */
export function assertLength(
  where: string,
  argument: string,
  x: ArrayLike<number>,
  expected: number,
  why = '',
): void {
  assertArrayLike(where, argument, x);
  if (x.length !== expected) {
    throw new InvalidArgumentError({
      argument,
      value: x.length,
      message: `${where}: \`${argument}\` must have length ${expected}${why ? ` (${why})` : ''}; got length ${x.length}.`,
    });
  }
}

/** Throws unless `value` is a finite number > 0 (or >= 0 with `allowZero`). */
export function assertPositive(where: string, argument: string, value: number, allowZero = false): void {
  const ok = typeof value === 'number' && Number.isFinite(value) && (allowZero ? value >= 0 : value > 0);
  if (!ok) {
    throw new InvalidArgumentError({
      argument,
      value,
      message: `${where}: \`${argument}\` must be a finite number ${allowZero ? '>= 0' : '> 0'}; got ${describe(value)}.`,
    });
  }
}

/** Throws unless `value` is an integer in [min, max]. */
export function assertInteger(
  where: string,
  argument: string,
  value: number,
  min = Number.NEGATIVE_INFINITY,
  max = Number.POSITIVE_INFINITY,
): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = `${Number.isFinite(min) ? `>= ${min}` : ''}${Number.isFinite(min) && Number.isFinite(max) ? ' and ' : ''}${Number.isFinite(max) ? `<= ${max}` : ''}`;
    throw new InvalidArgumentError({
      argument,
      value,
      message: `${where}: \`${argument}\` must be an integer${range ? ` ${range}` : ''}; got ${describe(value)}.`,
    });
  }
}

/** Throws unless every entry is finite and >= 0. */
export function assertNonNegative(where: string, argument: string, x: ArrayLike<number>): void {
  assertArrayLike(where, argument, x);
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] >= 0) || !Number.isFinite(x[i])) {
      throw new InvalidArgumentError({
        argument,
        value: x[i],
        message: `${where}: \`${argument}\` must be finite and non-negative; got ${describe(x[i])} at index ${i}.`,
      });
    }
  }
}

/** Throws an `InvalidArgumentError` with a free-form message (for rules the helpers above do not cover). */
export function invalidArgument(where: string, argument: string, value: unknown, rule: string): never {
  throw new InvalidArgumentError({ argument, value, message: `${where}: ${rule}; got ${describe(value)}.` });
}

/**
 * Deep copies of optimizer state for `solve`'s last-finite-state guarantee: a step may reuse (and
 * overwrite) the buffers of the state it gets, so the state returned after a numerical error must
 * be a copy taken before that step. The copy reuses its buffers from one step to the next (no
 * allocation per step once the state's shape is stable).
 *
 * Plain objects, arrays and typed arrays are copied; numbers, strings, functions and class
 * instances (an Rng, a network object) are kept by reference. Aliasing inside the state (two fields
 * holding the same buffer) is preserved in the copy.
 */

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isNumericView(value: unknown): value is Float64Array | Float32Array {
  return value instanceof Float64Array || value instanceof Float32Array;
}

/**
 * True when no number in `value` (plain objects, arrays and float typed arrays, walked recursively)
 * is NaN. ±Infinity is allowed in state: it is a legitimate value there (the log-SNR λ at a
 * schedule's end, an unset "best so far"), while NaN always means corruption. The iterate x and the
 * step metrics, checked separately, must be finite. Allocation-free apart from the cycle guard.
 */
export function isDeepFinite(value: unknown, depth = 0): boolean {
  if (typeof value === 'number') return !Number.isNaN(value);
  if (typeof value !== 'object' || value === null || depth > 32) return true;
  if (isNumericView(value)) {
    for (let i = 0; i < value.length; i++) if (Number.isNaN(value[i])) return false;
    return true;
  }
  if (ArrayBuffer.isView(value)) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isDeepFinite(value[i], depth + 1)) return false;
    return true;
  }
  if (!isPlainObject(value)) return true;
  for (const key in value) {
    if (!isDeepFinite((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/** The first NaN path in `value` (for messages), or undefined. */
export function firstNonFinitePath(value: unknown, path = 'state', depth = 0): string | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? path : undefined;
  if (typeof value !== 'object' || value === null || depth > 32) return undefined;
  if (isNumericView(value)) {
    for (let i = 0; i < value.length; i++) if (Number.isNaN(value[i])) return `${path}[${i}]`;
    return undefined;
  }
  if (ArrayBuffer.isView(value)) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstNonFinitePath(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  for (const key in value) {
    const found = firstNonFinitePath((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A reusable deep copy of a state value. */
export class StateSnapshot {
  private copy: unknown;
  private readonly seen = new Map<object, unknown>();

  /** Copies `state` into the snapshot (reusing the previous copy's buffers where shapes match). */
  take(state: unknown): void {
    this.seen.clear();
    this.copy = this.copyInto(state, this.copy, 0);
    this.seen.clear();
  }

  /** The last copy taken; the caller owns it (the next `take` starts a fresh copy). */
  release(): unknown {
    const copy = this.copy;
    this.copy = undefined;
    return copy;
  }

  private copyInto(source: unknown, target: unknown, depth: number): unknown {
    if (typeof source !== 'object' || source === null || depth > 32) return source;
    const already = this.seen.get(source);
    if (already !== undefined) return already;
    if (ArrayBuffer.isView(source)) {
      if (source instanceof DataView) return source;
      const view = source as unknown as Float64Array;
      let out: Float64Array;
      if (
        target !== null &&
        typeof target === 'object' &&
        (target as object).constructor === view.constructor &&
        (target as Float64Array).length === view.length &&
        target !== source
      ) {
        out = target as Float64Array;
        out.set(view);
      } else {
        out = view.slice();
      }
      this.seen.set(source, out);
      return out;
    }
    if (Array.isArray(source)) {
      const out: unknown[] =
        Array.isArray(target) && target !== source && target.length === source.length
          ? target
          : new Array(source.length);
      this.seen.set(source, out);
      for (let i = 0; i < source.length; i++) out[i] = this.copyInto(source[i], out[i], depth + 1);
      return out;
    }
    if (!isPlainObject(source)) return source;
    let out =
      target !== null &&
      typeof target === 'object' &&
      target !== source &&
      !Array.isArray(target) &&
      !ArrayBuffer.isView(target) &&
      isPlainObject(target)
        ? (target as Record<string, unknown>)
        : undefined;
    if (out) {
      // Reuse only when the key sets agree (counted without allocating a key list).
      let sourceKeys = 0;
      let targetKeys = 0;
      for (const key in source) {
        sourceKeys++;
        if (!(key in out)) {
          out = undefined;
          break;
        }
      }
      if (out) for (const _ in out) targetKeys++;
      if (out && sourceKeys !== targetKeys) out = undefined;
    }
    const result = out ?? {};
    this.seen.set(source, result);
    for (const key in source) {
      result[key] = this.copyInto((source as Record<string, unknown>)[key], result[key], depth + 1);
    }
    return result;
  }
}

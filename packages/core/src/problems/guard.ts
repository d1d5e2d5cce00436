import { InvalidArgumentError } from '../errors/argmin-error';
import type { Batch } from '../spec/oracle';

/**
 * O(1) argument guards for the reference problems' oracle methods: a parameter vector of the wrong
 * length would otherwise be read out of bounds (undefined → NaN) and turn into a silent NaN result.
 * The cost is a length comparison per call (and one pass over a batch's indices, O(|B|), next to
 * the O(|B| n) evaluation).
 */
export interface PointGuard {
  /** Throws unless `x.length === dimension`. */
  point(method: string, argument: string, x: ArrayLike<number>): void;
  /** Throws unless `out` has at least `dimension` entries. */
  out(method: string, out: ArrayLike<number>): void;
  /** Throws unless `i` is an integer component index in [0, components). */
  component(method: string, i: number): void;
  /** Throws unless every index of the batch is in [0, components) and the batch is not empty. */
  batch(method: string, batch: Batch): void;
}

export function pointGuard(where: string, dimension: number, components = 0): PointGuard {
  const fail = (method: string, argument: string, value: unknown, message: string): never => {
    throw new InvalidArgumentError({ argument, value, message: `${where}.${method}: ${message}` });
  };
  return {
    point(method, argument, x) {
      if (x?.length !== dimension)
        fail(
          method,
          argument,
          x?.length,
          `\`${argument}\` must have length ${dimension} (the problem's dimension); got ${x === null || typeof x !== 'object' ? String(x) : `length ${x.length}`}.`,
        );
    },
    out(method, out) {
      if (!(out?.length >= dimension))
        fail(
          method,
          'out',
          out?.length,
          `\`out\` must have at least ${dimension} entries; got ${out?.length}.`,
        );
    },
    component(method, i) {
      if (!Number.isInteger(i) || i < 0 || i >= components)
        fail(
          method,
          'index',
          i,
          `the component index must be an integer in [0, ${components}); got ${String(i)}.`,
        );
    },
    batch(method, batch) {
      const indices = batch?.indices;
      if (!(indices instanceof Int32Array) || indices.length === 0)
        fail(
          method,
          'batch',
          indices?.length,
          '`batch.indices` must be a non-empty Int32Array (draw it with drawBatch or build it with batchOf).',
        );
      for (let k = 0; k < indices.length; k++) {
        const i = indices[k];
        if (i < 0 || i >= components)
          fail(method, 'batch', i, `batch index ${i} (entry ${k}) is outside [0, ${components}).`);
      }
    },
  };
}

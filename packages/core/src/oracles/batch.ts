import { assertAllocation } from '../resources/budget';
import type { Rng } from '../rng/rng';
import type { Batch } from '../spec/oracle';
import { assertInteger, invalidArgument } from '../validate/validate';

/**
 * Draws `size` component indices uniformly with replacement from [0, components), in draw order
 * (`rng.integer(components)` per index, the same stream `sampleGrad` consumed before batches were
 * explicit, so `batchGrad(drawBatch(rng), x, out)` gives the bits `sampleGrad(x, rng, out)` gave).
 */
export function drawWithReplacement(rng: Rng, components: number, size: number): Batch {
  assertInteger('drawBatch', 'size', size, 1);
  assertAllocation('drawBatch', `a batch of ${size} indices`, size, 4);
  const indices = new Int32Array(size);
  for (let k = 0; k < size; k++) indices[k] = rng.integer(components);
  return { indices };
}

/** A batch from explicit component indices (validated against the number of components). */
export function batchOf(indices: ArrayLike<number>, components?: number): Batch {
  if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number')
    invalidArgument('batchOf', 'indices', indices, '`indices` must be an array of component indices');
  assertAllocation('batchOf', `a batch of ${indices.length} indices`, indices.length, 4);
  const out = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    assertInteger('batchOf', `indices[${k}]`, i, 0, components === undefined ? undefined : components - 1);
    out[k] = i;
  }
  return { indices: out };
}

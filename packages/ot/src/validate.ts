import { type DenseMatrix, InvalidArgumentError, type Vec } from '@argmin/core';

/** Validates marginals and a cost matrix at the public boundary of every OT function. */
export function checkProblem(
  where: string,
  a: Vec,
  b: Vec,
  cost: DenseMatrix,
  { relativeMassTolerance = 1e-9 } = {},
): void {
  for (const [name, weights] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (!(weights instanceof Float64Array) || weights.length === 0) {
      throw new InvalidArgumentError({
        argument: name,
        value: weights,
        message: `${where}: \`${name}\` must be a non-empty Float64Array of weights; got ${weights instanceof Float64Array ? 'an empty array' : typeof weights}.`,
      });
    }
    for (let i = 0; i < weights.length; i++) {
      if (!(weights[i] >= 0) || !Number.isFinite(weights[i])) {
        throw new InvalidArgumentError({
          argument: name,
          value: weights[i],
          message: `${where}: weights \`${name}\` must be finite and non-negative; got ${weights[i]} at index ${i}. Clip or renormalize the histogram.`,
        });
      }
    }
  }
  if (cost.rows !== a.length || cost.cols !== b.length || cost.data.length !== cost.rows * cost.cols) {
    throw new InvalidArgumentError({
      argument: 'cost',
      value: [cost.rows, cost.cols],
      message: `${where}: the cost matrix is ${cost.rows} x ${cost.cols} but a has ${a.length} and b has ${b.length} entries; it must be len(a) x len(b).`,
    });
  }
  for (let i = 0; i < cost.data.length; i++) {
    if (!Number.isFinite(cost.data[i])) {
      throw new InvalidArgumentError({
        argument: 'cost',
        value: cost.data[i],
        message: `${where}: the cost must be finite; got ${cost.data[i]} at (${Math.floor(i / cost.cols)}, ${i % cost.cols}).`,
      });
    }
  }
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) sa += a[i];
  for (let j = 0; j < b.length; j++) sb += b[j];
  if (!(sa > 0) || !(sb > 0)) {
    throw new InvalidArgumentError({
      argument: 'a/b',
      value: [sa, sb],
      message: `${where}: marginals must have positive mass; got sum(a)=${sa} and sum(b)=${sb}.`,
    });
  }
  if (Math.abs(sa - sb) > relativeMassTolerance * Math.max(sa, sb)) {
    throw new InvalidArgumentError({
      argument: 'a/b',
      value: [sa, sb],
      message: `${where}: marginals must have equal mass; got sum(a)=${sa} and sum(b)=${sb}. Normalize them or use unbalanced OT.`,
    });
  }
}

/** Throws unless `value` is a finite number > 0. */
export function checkRegularization(where: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new InvalidArgumentError({
      argument: 'regularization',
      value,
      message: `${where}: \`regularization\` (POT's reg, the entropic ε) must be a finite number > 0; got ${value}. Use emd for unregularized OT.`,
    });
  }
}

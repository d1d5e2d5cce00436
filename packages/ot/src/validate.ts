import { assertAllocation, type DenseMatrix, InvalidArgumentError, type Vec } from '@argmin/core';

/**
 * Weights accepted at the public boundary: a Float64Array (used as is, never copied or mutated), a
 * `number[]` or any other ArrayLike of numbers (copied once into a Float64Array: O(n) time and 8n
 * bytes), or an empty array, which means uniform weights 1/n as in POT (`a = []`).
 */
export type WeightsInput = Vec | ArrayLike<number>;

/**
 * Cost matrices accepted at the public boundary: a `DenseMatrix` `{ rows, cols, data }` with a
 * Float64Array `data` (used as is), the same with any ArrayLike `data`, or a `number[][]` (one array
 * per row, as POT takes `M`); the last two are copied once into a row-major Float64Array (O(nm) time
 * and 8nm bytes).
 */
export type CostInput =
  | DenseMatrix
  | { rows: number; cols: number; data: ArrayLike<number> }
  | ArrayLike<ArrayLike<number>>;

/** Uniform weights 1/n (POT's `ot.unif(n)`). */
export function uniform(n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError({
      argument: 'n',
      value: n,
      message: `ot/uniform: \`n\` must be a positive integer; got ${String(n)}.`,
    });
  }
  assertAllocation('ot/uniform', `${n} weights`, n);
  return new Float64Array(n).fill(1 / n);
}

const describeValue = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? `an array of length ${value.length}`
      : ArrayBuffer.isView(value)
        ? `a ${value.constructor.name}`
        : typeof value === 'object'
          ? 'an object without rows/cols/data'
          : `${typeof value} ${String(value)}`;

const isArrayLike = (value: unknown): value is ArrayLike<unknown> =>
  value !== null &&
  typeof value === 'object' &&
  typeof (value as { length?: unknown }).length === 'number' &&
  Number.isInteger((value as { length: number }).length) &&
  (value as { length: number }).length >= 0;

/** Converts (once) and checks a cost matrix; throws InvalidArgumentError naming the shape problem. */
export function toCost(where: string, cost: unknown, name = 'cost'): DenseMatrix {
  if (cost === undefined || cost === null) {
    throw new InvalidArgumentError({
      argument: name,
      value: cost,
      message: `${where}: the ${name} matrix is missing; pass a DenseMatrix { rows, cols, data } or a number[][] with one row per source point.`,
    });
  }
  if (typeof cost === 'object' && !isArrayLike(cost) && 'data' in cost) {
    const { rows, cols, data } = cost as { rows: unknown; cols: unknown; data: unknown };
    if (
      typeof rows !== 'number' ||
      typeof cols !== 'number' ||
      !Number.isInteger(rows) ||
      !Number.isInteger(cols) ||
      rows < 1 ||
      cols < 1
    ) {
      throw new InvalidArgumentError({
        argument: name,
        value: [rows, cols],
        message: `${where}: the ${name} matrix needs positive integer \`rows\` and \`cols\`; got rows = ${String(rows)}, cols = ${String(cols)}.`,
      });
    }
    if (!isArrayLike(data) || data.length !== rows * cols) {
      throw new InvalidArgumentError({
        argument: name,
        value: isArrayLike(data) ? data.length : data,
        message: `${where}: the ${name} matrix is ${rows} x ${cols}, so \`data\` must hold ${rows * cols} entries (row-major); got ${isArrayLike(data) ? data.length : describeValue(data)}.`,
      });
    }
    if (data instanceof Float64Array) return cost as DenseMatrix;
    assertAllocation(where, `a ${rows} x ${cols} ${name} matrix`, rows * cols);
    return { rows, cols, data: Float64Array.from(data as ArrayLike<number>, Number) };
  }
  if (isArrayLike(cost) && !ArrayBuffer.isView(cost)) {
    const rows = cost.length;
    const first = rows > 0 ? cost[0] : undefined;
    if (rows === 0 || !isArrayLike(first) || typeof first === 'string') {
      throw new InvalidArgumentError({
        argument: name,
        value: rows,
        message: `${where}: a ${name} given as an array must be a non-empty number[][] (one row per source point); got ${rows === 0 ? 'an empty array' : `rows of type ${typeof first}`}.`,
      });
    }
    const cols = first.length;
    assertAllocation(where, `a ${rows} x ${cols} ${name} matrix`, rows * cols);
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = cost[i];
      if (!isArrayLike(row) || row.length !== cols) {
        throw new InvalidArgumentError({
          argument: name,
          value: isArrayLike(row) ? row.length : row,
          message: `${where}: every row of the ${name} matrix must have ${cols} entries (row 0 has); row ${i} has ${isArrayLike(row) ? row.length : describeValue(row)}.`,
        });
      }
      for (let j = 0; j < cols; j++) data[i * cols + j] = Number(row[j]);
    }
    if (cols === 0) {
      throw new InvalidArgumentError({
        argument: name,
        value: 0,
        message: `${where}: the ${name} matrix has rows of length 0.`,
      });
    }
    return { rows, cols, data };
  }
  throw new InvalidArgumentError({
    argument: name,
    value: cost,
    message: `${where}: the ${name} matrix must be a DenseMatrix { rows, cols, data } or a number[][]; got ${describeValue(cost)}.`,
  });
}

/** Converts (once) and checks weights; an empty array means uniform over `length` points. */
export function toWeights(where: string, name: string, weights: unknown, length: number): Float64Array {
  if (weights === undefined || weights === null) {
    throw new InvalidArgumentError({
      argument: name,
      value: weights,
      message: `${where}: the weights \`${name}\` are missing; pass ${length} non-negative weights, or [] for uniform weights.`,
    });
  }
  if (!isArrayLike(weights) || typeof weights === 'string') {
    throw new InvalidArgumentError({
      argument: name,
      value: weights,
      message: `${where}: the weights \`${name}\` must be a Float64Array, a number[] or [] (uniform); got ${describeValue(weights)}.`,
    });
  }
  if (weights.length === 0) return uniform(length);
  if (weights.length !== length) {
    throw new InvalidArgumentError({
      argument: name,
      value: weights.length,
      message: `${where}: \`${name}\` has ${weights.length} weights but the cost matrix has ${length} ${name === 'a' ? 'rows' : 'columns'}; the cost must be len(a) x len(b).`,
    });
  }
  const out =
    weights instanceof Float64Array ? weights : Float64Array.from(weights as ArrayLike<number>, Number);
  for (let i = 0; i < out.length; i++) {
    if (!(out[i] >= 0) || !Number.isFinite(out[i])) {
      throw new InvalidArgumentError({
        argument: name,
        value: out[i],
        message: `${where}: weights \`${name}\` must be finite and non-negative; got ${out[i]} at index ${i}. Clip or renormalize the histogram.`,
      });
    }
  }
  return out;
}

/** A validated OT problem: Float64Array marginals and a DenseMatrix cost of matching shape. */
export interface OtProblem {
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly cost: DenseMatrix;
}

/**
 * Converts and validates marginals and a cost matrix at the public boundary of every OT function:
 * shapes, finiteness, non-negativity, positive and equal mass (to `relativeMassTolerance`), and the
 * allocation budget for the n x m buffers a solver will need (`buffers` of them).
 */
export function prepareProblem(
  where: string,
  aInput: unknown,
  bInput: unknown,
  costInput: unknown,
  { relativeMassTolerance = 1e-9, buffers = 2 } = {},
): OtProblem {
  const cost = toCost(where, costInput);
  const a = toWeights(where, 'a', aInput, cost.rows);
  const b = toWeights(where, 'b', bInput, cost.cols);
  assertAllocation(
    where,
    `${buffers} buffers of ${cost.rows} x ${cost.cols} entries`,
    buffers * cost.rows * cost.cols,
  );
  checkProblem(where, a, b, cost, { relativeMassTolerance });
  return { a, b, cost };
}

/** Validates marginals and a cost matrix (already converted) at the public boundary of every OT function. */
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

/** Throws unless every entry of `values` is finite (named `argument`). */
export function checkFinite(where: string, argument: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new InvalidArgumentError({
        argument,
        value: values[i],
        message: `${where}: \`${argument}\` must be finite; got ${values[i]} at index ${i}.`,
      });
    }
  }
}

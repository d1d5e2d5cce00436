import { assertAllocation, type DenseMatrix, InvalidArgumentError, parseOptions } from '@argmin/core';
import * as z from 'zod/mini';
import { toCost } from './validate';

const costOptions = z.strictObject({
  normalize: z
    ._default(z.boolean(), false)
    .check(z.describe("Divide by the largest entry (POT's `M /= M.max()`).")),
});
const gridCostOptions = z.extend(costOptions, {
  power: z
    ._default(z.number().check(z.positive(), z.maximum(64)), 2)
    .check(z.describe('Exponent p of the ground cost (2: W2, 1: W1 with the l1 metric).')),
});

export interface CostOptions {
  /** Divide by the largest entry (POT's `M /= M.max()`), default false. */
  readonly normalize?: boolean;
}

function checkClouds(where: string, X: DenseMatrix, Y: DenseMatrix): void {
  if (X.cols !== Y.cols) {
    throw new InvalidArgumentError({
      argument: 'Y',
      value: Y.cols,
      message: `${where}: point clouds must have the same dimension; X is [${X.rows}, ${X.cols}] and Y is [${Y.rows}, ${Y.cols}].`,
    });
  }
  for (const [name, cloud] of [
    ['X', X],
    ['Y', Y],
  ] as const) {
    for (let i = 0; i < cloud.data.length; i++) {
      if (!Number.isFinite(cloud.data[i])) {
        throw new InvalidArgumentError({
          argument: name,
          value: cloud.data[i],
          message: `${where}: \`${name}\` must be finite; got ${cloud.data[i]} at row ${Math.floor(i / cloud.cols)}.`,
        });
      }
    }
  }
}

function normalizeMax(C: DenseMatrix): DenseMatrix {
  let max = 0;
  for (let i = 0; i < C.data.length; i++) if (C.data[i] > max) max = C.data[i];
  if (max > 0) for (let i = 0; i < C.data.length; i++) C.data[i] /= max;
  return C;
}

/** C_ij = ‖x_i − y_j‖² between point clouds X [n, d] and Y [m, d] (POT's ot.dist, metric 'sqeuclidean'). */
export function squaredEuclideanCost(
  XInput: DenseMatrix | ArrayLike<ArrayLike<number>>,
  YInput: DenseMatrix | ArrayLike<ArrayLike<number>>,
  options: CostOptions = {},
): DenseMatrix {
  const { normalize } = parseOptions('ot/squaredEuclideanCost', costOptions, options);
  const X = toCost('ot/squaredEuclideanCost', XInput, 'X');
  const Y = toCost('ot/squaredEuclideanCost', YInput, 'Y');
  checkClouds('ot/squaredEuclideanCost', X, Y);
  assertAllocation('ot/squaredEuclideanCost', `a ${X.rows} x ${Y.rows} cost matrix`, X.rows * Y.rows);
  const { rows: n, cols: d } = X;
  const m = Y.rows;
  const data = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = X.data[i * d + k] - Y.data[j * d + k];
        s += diff * diff;
      }
      data[i * m + j] = s;
    }
  }
  const C = { rows: n, cols: m, data };
  return normalize ? normalizeMax(C) : C;
}

/** C_ij = ‖x_i − y_j‖ (metric 'euclidean'). */
export function euclideanCost(
  X: DenseMatrix | ArrayLike<ArrayLike<number>>,
  Y: DenseMatrix | ArrayLike<ArrayLike<number>>,
  options: CostOptions = {},
): DenseMatrix {
  parseOptions('ot/euclideanCost', costOptions, options);
  const C = squaredEuclideanCost(X, Y);
  for (let i = 0; i < C.data.length; i++) C.data[i] = Math.sqrt(C.data[i]);
  return options.normalize ? normalizeMax(C) : C;
}

/**
 * Ground cost between the cells of a regular grid on [0, 1]^dim (1-D: n points; 2-D: side x side,
 * row-major cells): |x − y|^power summed over coordinates when power = 1 (W1 with the l1 ground
 * metric), ‖x − y‖₂^power otherwise (power 2: W2).
 */
export function gridCost(
  shape: readonly number[],
  options: { power?: number } & CostOptions = {},
): DenseMatrix {
  const { power, normalize } = parseOptions('ot/gridCost', gridCostOptions, options);
  if (
    !Array.isArray(shape) ||
    shape.length < 1 ||
    shape.length > 2 ||
    shape.some((s) => !Number.isInteger(s) || s < 1)
  ) {
    throw new InvalidArgumentError({
      argument: 'shape',
      value: shape,
      message: `ot/gridCost: \`shape\` must be [n] or [rows, cols] of positive integers; got [${shape.join(', ')}].`,
    });
  }
  const cells = shape.reduce((a, b) => a * b, 1);
  // The cost is cells² entries: refuse before allocating (a 1e5-point grid would need 80 GB).
  assertAllocation('ot/gridCost', `a ${cells} x ${cells} grid cost`, cells * cells);
  const coords = new Float64Array(cells * shape.length);
  for (let c = 0; c < cells; c++) {
    if (shape.length === 1) coords[c] = shape[0] === 1 ? 0 : c / (shape[0] - 1);
    else {
      const r = Math.floor(c / shape[1]);
      const q = c % shape[1];
      coords[2 * c] = shape[0] === 1 ? 0 : r / (shape[0] - 1);
      coords[2 * c + 1] = shape[1] === 1 ? 0 : q / (shape[1] - 1);
    }
  }
  const d = shape.length;
  const data = new Float64Array(cells * cells);
  for (let i = 0; i < cells; i++) {
    for (let j = 0; j < cells; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = Math.abs(coords[i * d + k] - coords[j * d + k]);
        s += power === 1 ? diff : diff * diff;
      }
      data[i * cells + j] = power === 1 ? s : s ** (power / 2);
    }
  }
  const C = { rows: cells, cols: cells, data };
  return normalize ? normalizeMax(C) : C;
}

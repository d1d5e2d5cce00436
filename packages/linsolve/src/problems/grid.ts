import {
  assertAllocation,
  type CsrMatrix,
  InvalidArgumentError,
  type Operator,
  operatorFromFunction,
  type Vec,
} from '@argmin/core';
import { invalidGrid } from '../validate';

/** Builds the CSR matrix of a five-point stencil with diagonal `center` and off-diagonals -w(q) (w constant or per neighbour node q). */
export function fivePointCsr(nx: number, ny: number, center: Vec, offDiagonal: Vec | number): CsrMatrix {
  checkStencil('linsolve/fivePointCsr', nx, ny, center, offDiagonal);
  const n = nx * ny;
  const rowPointers = new Int32Array(n + 1);
  let count = 0;
  for (let i = 0; i < nx; i++)
    for (let j = 0; j < ny; j++) {
      count += 1 + (i > 0 ? 1 : 0) + (j > 0 ? 1 : 0) + (j < ny - 1 ? 1 : 0) + (i < nx - 1 ? 1 : 0);
      rowPointers[i * ny + j + 1] = count;
    }
  const columnIndices = new Int32Array(count);
  const values = new Float64Array(count);
  const constant = typeof offDiagonal === 'number';
  const w = (q: number): number => (constant ? (offDiagonal as number) : (offDiagonal as Vec)[q]);
  let k = 0;
  for (let i = 0; i < nx; i++)
    for (let j = 0; j < ny; j++) {
      const p = i * ny + j;
      if (i > 0) {
        columnIndices[k] = p - ny;
        values[k++] = -w(p - ny);
      }
      if (j > 0) {
        columnIndices[k] = p - 1;
        values[k++] = -w(p - 1);
      }
      columnIndices[k] = p;
      values[k++] = center[p];
      if (j < ny - 1) {
        columnIndices[k] = p + 1;
        values[k++] = -w(p + 1);
      }
      if (i < nx - 1) {
        columnIndices[k] = p + ny;
        values[k++] = -w(p + ny);
      }
    }
  return { rows: n, cols: n, rowPointers, columnIndices, values };
}

/**
 * Matrix-free five-point operator (same matrix as `fivePointCsr`). The interior rows run a
 * branch-free loop, so one apply streams x once: faster than a CSR spmv, which also reads indices.
 */
export function fivePointOperator(
  nx: number,
  ny: number,
  center: Vec | number,
  offDiagonal: Vec | number,
  symmetric: boolean,
): Operator {
  checkStencil('linsolve/fivePointOperator', nx, ny, center, offDiagonal);
  const n = nx * ny;
  const constantCenter = typeof center === 'number';
  const constantOff = typeof offDiagonal === 'number';
  let apply: (x: Vec, out: Vec) => Vec;
  if (constantCenter && constantOff) {
    const c = center as number;
    const w = offDiagonal as number;
    apply = (x, out) => {
      for (let i = 0; i < nx; i++) {
        const base = i * ny;
        const hasUp = i > 0;
        const hasDown = i < nx - 1;
        for (let j = 0; j < ny; j++) {
          const p = base + j;
          let s = c * x[p];
          if (j > 0) s -= w * x[p - 1];
          if (j < ny - 1) s -= w * x[p + 1];
          if (hasUp) s -= w * x[p - ny];
          if (hasDown) s -= w * x[p + ny];
          out[p] = s;
        }
      }
      return out;
    };
    if (nx >= 3 && ny >= 3) {
      // Split: boundary rows/columns with branches, interior without.
      apply = (x, out) => {
        for (let i = 0; i < nx; i++) {
          const base = i * ny;
          if (i === 0 || i === nx - 1) {
            for (let j = 0; j < ny; j++) {
              const p = base + j;
              let s = c * x[p];
              if (j > 0) s -= w * x[p - 1];
              if (j < ny - 1) s -= w * x[p + 1];
              if (i > 0) s -= w * x[p - ny];
              if (i < nx - 1) s -= w * x[p + ny];
              out[p] = s;
            }
            continue;
          }
          out[base] = c * x[base] - w * (x[base + 1] + x[base - ny] + x[base + ny]);
          const end = base + ny - 1;
          for (let p = base + 1; p < end; p++) {
            out[p] = c * x[p] - w * (x[p - 1] + x[p + 1] + x[p - ny] + x[p + ny]);
          }
          out[end] = c * x[end] - w * (x[end - 1] + x[end - ny] + x[end + ny]);
        }
        return out;
      };
    }
  } else {
    const cv = constantCenter ? new Float64Array(n).fill(center as number) : (center as Vec);
    const wv = constantOff ? new Float64Array(n).fill(offDiagonal as number) : (offDiagonal as Vec);
    apply = (x, out) => {
      for (let i = 0; i < nx; i++) {
        const base = i * ny;
        for (let j = 0; j < ny; j++) {
          const p = base + j;
          let s = cv[p] * x[p];
          if (j > 0) s -= wv[p - 1] * x[p - 1];
          if (j < ny - 1) s -= wv[p + 1] * x[p + 1];
          if (i > 0) s -= wv[p - ny] * x[p - ny];
          if (i < nx - 1) s -= wv[p + ny] * x[p + ny];
          out[p] = s;
        }
      }
      return out;
    };
  }
  const diagonal = (): Vec =>
    constantCenter ? new Float64Array(n).fill(center as number) : (center as Vec).slice();
  return operatorFromFunction({
    rows: n,
    cols: n,
    apply,
    diagonal,
    traits: symmetric ? { symmetric: true } : { symmetric: false },
  });
}

/**
 * Bytes one grid point of a generated system takes: the five-point CSR matrix (5 values of 8 bytes,
 * 5 column indices and a row pointer of 4 bytes) plus a few length-n vectors (rhs, parameters, diagonal).
 */
export const bytesPerGridPoint = 96;

/**
 * Checks an nx-by-ny grid (positive integers) and, before anything is allocated, that `count`
 * systems on it fit the allocation budget (core's `assertAllocation`; raise it with `setResourceLimits`).
 */
export function checkGrid(where: string, nx: number, ny: number, count = 1): void {
  if (!Number.isSafeInteger(nx) || !Number.isSafeInteger(ny) || nx < 1 || ny < 1) invalidGrid(where, nx, ny);
  assertAllocation(
    where,
    count === 1 ? `a ${nx} x ${ny} grid system` : `${count} systems on a ${nx} x ${ny} grid`,
    count * nx * ny,
    bytesPerGridPoint,
  );
}

function checkStencil(
  where: string,
  nx: number,
  ny: number,
  center: Vec | number,
  offDiagonal: Vec | number,
): void {
  checkGrid(where, nx, ny);
  for (const [argument, value] of [
    ['center', center],
    ['offDiagonal', offDiagonal],
  ] as const) {
    const ok =
      typeof value === 'number'
        ? Number.isFinite(value)
        : value instanceof Float64Array && value.length === nx * ny;
    if (!ok) {
      throw new InvalidArgumentError({
        argument,
        value: typeof value === 'number' ? value : (value as Vec)?.length,
        message: `${where}: \`${argument}\` must be a finite number or a Float64Array with one entry per grid node (${nx * ny}); got ${typeof value === 'number' ? value : `length ${(value as Vec)?.length}`}.`,
      });
    }
  }
}

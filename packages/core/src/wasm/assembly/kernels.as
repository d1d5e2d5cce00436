// argmin f64x2 SIMD kernels, compiled by AssemblyScript (scripts/build-wasm.mjs) to WebAssembly
// with SIMD. This file is AssemblyScript, not TypeScript: it is kept under a `.as` extension so
// that tsc and biome leave it alone; the build script hands it to asc as `kernels.ts`.
//
// Every kernel takes byte offsets (pointers) into this module's linear memory plus lengths. The
// summation orders mirror the JS reference kernels in src/linalg/{level1,gemv}.ts lane for lane,
// so dot, axpy, scal, gemv and gemvTransposed are bit-identical to them (no FMA is used: wasm
// f64x2.mul and f64x2.add round separately, exactly like JS). nrm2 sums squares in a different
// order (four f64x2 accumulators) and agrees to a few ulps.

/** First byte past the module's static data: the TS loader's allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * xᵀy over n entries. Accumulators (s0, s1) and (s2, s3) are two f64x2 lanes pairs, exactly the
 * four scalar accumulators of the JS `dot`; tail into s0; result s0 + s1 + (s2 + s3).
 */
export function dot(x: usize, y: usize, n: i32): f64 {
  if (n <= 0) return 0;
  let a = f64x2.splat(0);
  let b = f64x2.splat(0);
  const m = n & ~3;
  let i = 0;
  for (; i < m; i += 4) {
    const o = (<usize>i) << 3;
    a = f64x2.add(a, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    b = f64x2.add(b, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
  }
  let s0 = f64x2.extract_lane(a, 0);
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    s0 += load<f64>(x + o) * load<f64>(y + o);
  }
  return s0 + f64x2.extract_lane(a, 1) + (f64x2.extract_lane(b, 0) + f64x2.extract_lane(b, 1));
}

/**
 * xᵀy with eight accumulators (four f64x2) — twice the independent add chains of `dot`, so a
 * different summation order from the JS kernel (agrees to rounding, not bit for bit).
 */
export function dotUnrolled(x: usize, y: usize, n: i32): f64 {
  if (n <= 0) return 0;
  let a = f64x2.splat(0);
  let b = f64x2.splat(0);
  let c = f64x2.splat(0);
  let d = f64x2.splat(0);
  const m = n & ~7;
  let i = 0;
  for (; i < m; i += 8) {
    const o = (<usize>i) << 3;
    a = f64x2.add(a, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    b = f64x2.add(b, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
    c = f64x2.add(c, f64x2.mul(v128.load(x + o, 32), v128.load(y + o, 32)));
    d = f64x2.add(d, f64x2.mul(v128.load(x + o, 48), v128.load(y + o, 48)));
  }
  const v = f64x2.add(f64x2.add(a, b), f64x2.add(c, d));
  let s = f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    s += load<f64>(x + o) * load<f64>(y + o);
  }
  return s;
}

/** out = alpha x + y over n entries (out may equal y). */
export function axpy(alpha: f64, x: usize, y: usize, out: usize, n: i32): void {
  const al = f64x2.splat(alpha);
  const m = n & ~3;
  let i = 0;
  for (; i < m; i += 4) {
    const o = (<usize>i) << 3;
    const r0 = f64x2.add(f64x2.mul(al, v128.load(x + o)), v128.load(y + o));
    const r1 = f64x2.add(f64x2.mul(al, v128.load(x + o, 16)), v128.load(y + o, 16));
    v128.store(out + o, r0);
    v128.store(out + o, r1, 16);
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(out + o, alpha * load<f64>(x + o) + load<f64>(y + o));
  }
}

/** out = alpha x over n entries (out may equal x). */
export function scal(alpha: f64, x: usize, out: usize, n: i32): void {
  const al = f64x2.splat(alpha);
  const m = n & ~3;
  let i = 0;
  for (; i < m; i += 4) {
    const o = (<usize>i) << 3;
    const r0 = f64x2.mul(al, v128.load(x + o));
    const r1 = f64x2.mul(al, v128.load(x + o, 16));
    v128.store(out + o, r0);
    v128.store(out + o, r1, 16);
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(out + o, alpha * load<f64>(x + o));
  }
}

/**
 * ‖x‖₂ without overflow or harmful underflow: a SIMD sum of squares when it is safely inside
 * (1e-290, 1e290), else LAPACK dnrm2's scaled recurrence (scalar, same as the JS kernel).
 */
export function nrm2(x: usize, n: i32): f64 {
  if (n <= 0) return 0;
  let a = f64x2.splat(0);
  let b = f64x2.splat(0);
  let c = f64x2.splat(0);
  let d = f64x2.splat(0);
  const m = n & ~7;
  let i = 0;
  for (; i < m; i += 8) {
    const o = (<usize>i) << 3;
    const v0 = v128.load(x + o);
    const v1 = v128.load(x + o, 16);
    const v2 = v128.load(x + o, 32);
    const v3 = v128.load(x + o, 48);
    a = f64x2.add(a, f64x2.mul(v0, v0));
    b = f64x2.add(b, f64x2.mul(v1, v1));
    c = f64x2.add(c, f64x2.mul(v2, v2));
    d = f64x2.add(d, f64x2.mul(v3, v3));
  }
  const v = f64x2.add(f64x2.add(a, b), f64x2.add(c, d));
  let sum = f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
  for (; i < n; i++) {
    const e = load<f64>(x + ((<usize>i) << 3));
    sum += e * e;
  }
  if (sum > 1e-290 && sum < 1e290) return Math.sqrt(sum);
  if (isNaN(sum)) return NaN;
  let scale: f64 = 0;
  let ssq: f64 = 1;
  for (let k = 0; k < n; k++) {
    const e = load<f64>(x + ((<usize>k) << 3));
    if (e != 0) {
      const ab = Math.abs(e);
      if (ab == Infinity) return Infinity;
      if (scale < ab) {
        ssq = 1 + ssq * (scale / ab) * (scale / ab);
        scale = ab;
      } else {
        ssq += (ab / scale) * (ab / scale);
      }
    }
  }
  return scale * Math.sqrt(ssq);
}

/**
 * out = alpha A x + beta out, A row-major m x n at `a`. Four rows at a time; each row keeps the
 * JS kernel's two accumulators (even j, odd j) as the two lanes of one f64x2.
 */
export function gemv(a: usize, x: usize, out: usize, m: i32, n: i32, alpha: f64, beta: f64): void {
  const even = n & ~1;
  const rowBytes = (<usize>n) << 3;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const r0 = a + (<usize>i) * rowBytes;
    const r1 = r0 + rowBytes;
    const r2 = r1 + rowBytes;
    const r3 = r2 + rowBytes;
    let c0 = f64x2.splat(0);
    let c1 = f64x2.splat(0);
    let c2 = f64x2.splat(0);
    let c3 = f64x2.splat(0);
    for (let j = 0; j < even; j += 2) {
      const o = (<usize>j) << 3;
      const xv = v128.load(x + o);
      c0 = f64x2.add(c0, f64x2.mul(v128.load(r0 + o), xv));
      c1 = f64x2.add(c1, f64x2.mul(v128.load(r1 + o), xv));
      c2 = f64x2.add(c2, f64x2.mul(v128.load(r2 + o), xv));
      c3 = f64x2.add(c3, f64x2.mul(v128.load(r3 + o), xv));
    }
    let s0 = f64x2.extract_lane(c0, 0);
    let s1 = f64x2.extract_lane(c1, 0);
    let s2 = f64x2.extract_lane(c2, 0);
    let s3 = f64x2.extract_lane(c3, 0);
    if (even < n) {
      const o = (<usize>even) << 3;
      const xj = load<f64>(x + o);
      s0 += load<f64>(r0 + o) * xj;
      s1 += load<f64>(r1 + o) * xj;
      s2 += load<f64>(r2 + o) * xj;
      s3 += load<f64>(r3 + o) * xj;
    }
    const t0 = s0 + f64x2.extract_lane(c0, 1);
    const t1 = s1 + f64x2.extract_lane(c1, 1);
    const t2 = s2 + f64x2.extract_lane(c2, 1);
    const t3 = s3 + f64x2.extract_lane(c3, 1);
    const p = out + ((<usize>i) << 3);
    if (beta == 0) {
      store<f64>(p, alpha * t0);
      store<f64>(p, alpha * t1, 8);
      store<f64>(p, alpha * t2, 16);
      store<f64>(p, alpha * t3, 24);
    } else {
      store<f64>(p, alpha * t0 + beta * load<f64>(p));
      store<f64>(p, alpha * t1 + beta * load<f64>(p, 8), 8);
      store<f64>(p, alpha * t2 + beta * load<f64>(p, 16), 16);
      store<f64>(p, alpha * t3 + beta * load<f64>(p, 24), 24);
    }
  }
  for (; i < m; i++) {
    const r = a + (<usize>i) * rowBytes;
    let c = f64x2.splat(0);
    for (let j = 0; j < even; j += 2) {
      const o = (<usize>j) << 3;
      c = f64x2.add(c, f64x2.mul(v128.load(r + o), v128.load(x + o)));
    }
    let s = f64x2.extract_lane(c, 0);
    if (even < n) {
      const o = (<usize>even) << 3;
      s += load<f64>(r + o) * load<f64>(x + o);
    }
    const t = s + f64x2.extract_lane(c, 1);
    const p = out + ((<usize>i) << 3);
    store<f64>(p, beta == 0 ? alpha * t : alpha * t + beta * load<f64>(p));
  }
}

/**
 * out = alpha Aᵀ x + beta out, A row-major m x n. Four rows of A per pass over out, combined as
 * (x0 a0 + x1 a1) + (x2 a2 + x3 a3) like the JS kernel, vectorized across columns; a group of
 * rows whose coefficients are all zero is skipped (reference BLAS behaviour).
 */
export function gemvTransposed(a: usize, x: usize, out: usize, m: i32, n: i32, alpha: f64, beta: f64): void {
  const n2 = n & ~1;
  if (beta == 0) {
    memory.fill(out, 0, (<usize>n) << 3);
  } else if (beta != 1) {
    scal(beta, out, out, n);
  }
  const rowBytes = (<usize>n) << 3;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const px = x + ((<usize>i) << 3);
    const x0 = alpha * load<f64>(px);
    const x1 = alpha * load<f64>(px, 8);
    const x2 = alpha * load<f64>(px, 16);
    const x3 = alpha * load<f64>(px, 24);
    if (x0 == 0 && x1 == 0 && x2 == 0 && x3 == 0) continue;
    const r0 = a + (<usize>i) * rowBytes;
    const r1 = r0 + rowBytes;
    const r2 = r1 + rowBytes;
    const r3 = r2 + rowBytes;
    const v0 = f64x2.splat(x0);
    const v1 = f64x2.splat(x1);
    const v2 = f64x2.splat(x2);
    const v3 = f64x2.splat(x3);
    let j = 0;
    for (; j < n2; j += 2) {
      const o = (<usize>j) << 3;
      const s01 = f64x2.add(f64x2.mul(v0, v128.load(r0 + o)), f64x2.mul(v1, v128.load(r1 + o)));
      const s23 = f64x2.add(f64x2.mul(v2, v128.load(r2 + o)), f64x2.mul(v3, v128.load(r3 + o)));
      v128.store(out + o, f64x2.add(v128.load(out + o), f64x2.add(s01, s23)));
    }
    if (j < n) {
      const o = (<usize>j) << 3;
      const s = x0 * load<f64>(r0 + o) + x1 * load<f64>(r1 + o) + (x2 * load<f64>(r2 + o) + x3 * load<f64>(r3 + o));
      store<f64>(out + o, load<f64>(out + o) + s);
    }
  }
  for (; i < m; i++) {
    const xi = alpha * load<f64>(x + ((<usize>i) << 3));
    if (xi == 0) continue;
    const r = a + (<usize>i) * rowBytes;
    const v = f64x2.splat(xi);
    let j = 0;
    for (; j < n2; j += 2) {
      const o = (<usize>j) << 3;
      v128.store(out + o, f64x2.add(v128.load(out + o), f64x2.mul(v, v128.load(r + o))));
    }
    if (j < n) {
      const o = (<usize>j) << 3;
      store<f64>(out + o, load<f64>(out + o) + xi * load<f64>(r + o));
    }
  }
}

import { InvalidArgumentError } from '../errors/argmin-error';
import type { DenseMatrix } from '../linalg/dense-matrix';
import { gemv as jsGemv, gemvTransposed as jsGemvTransposed } from '../linalg/gemv';
import { axpy as jsAxpy, dot as jsDot, nrm2 as jsNrm2, scal as jsScal } from '../linalg/level1';
import { guardDense, guardLength } from '../linalg/validate-matrix';
import { assertAllocation } from '../resources/budget';
import type { Vec } from '../spec/vec';
import { KERNELS_WASM_BASE64 } from './generated/kernels-wasm';

/**
 * Kernel backends: the plain JS kernels (the reference) and f64x2 SIMD kernels compiled from
 * src/wasm/assembly/kernels.as by AssemblyScript at build time and embedded here as base64 (no
 * file access, so it loads in Node and in browsers). See src/wasm/README.md for the memory design.
 */
export type KernelBackendName = 'js' | 'wasm';

/** The kernels a backend provides; same signatures and semantics as the JS kernels of the same name. */
export interface LinalgKernels {
  readonly backend: KernelBackendName;
  dot(x: ArrayLike<number>, y: ArrayLike<number>): number;
  axpy(alpha: number, x: ArrayLike<number>, y: ArrayLike<number>, out: Vec): Vec;
  scal(alpha: number, x: ArrayLike<number>, out: Vec): Vec;
  nrm2(x: ArrayLike<number>): number;
  gemv(A: DenseMatrix, x: ArrayLike<number>, out: Vec, alpha?: number, beta?: number): Vec;
  gemvTransposed(A: DenseMatrix, x: ArrayLike<number>, out: Vec, alpha?: number, beta?: number): Vec;
}

interface KernelExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  dot(x: number, y: number, n: number): number;
  dotUnrolled(x: number, y: number, n: number): number;
  axpy(alpha: number, x: number, y: number, out: number, n: number): void;
  scal(alpha: number, x: number, out: number, n: number): void;
  nrm2(x: number, n: number): number;
  gemv(a: number, x: number, out: number, m: number, n: number, alpha: number, beta: number): void;
  gemvTransposed(a: number, x: number, out: number, m: number, n: number, alpha: number, beta: number): void;
}

/** The slice of the WebAssembly JS API used here (core's tsconfig has no DOM lib). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}

const PAGE = 65536;
/** wasm32 linear memory cannot exceed 4 GiB (65536 pages). */
const MAX_PAGES = 65536;

/** atob is in every browser and in Node >= 16; core's tsconfig has no DOM lib, so type it here. */
const atobOf = (): ((text: string) => string) | undefined =>
  (globalThis as { atob?: (text: string) => string }).atob;

function decodeBase64(text: string): Uint8Array {
  const binary = atobOf()!(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * A region of wasm linear memory holding `length` float64 entries at byte offset `ptr`. `array`
 * is a Float64Array view over it, re-created after memory growth (growth detaches every earlier
 * view of wasm memory, so hold the handle, not the view, across allocations).
 */
export class WasmF64 {
  #view: Float64Array | undefined;
  constructor(
    private readonly heap: WasmHeap,
    readonly ptr: number,
    readonly length: number,
  ) {}
  get array(): Float64Array {
    const buffer = this.heap.buffer;
    if (this.#view === undefined || this.#view.buffer !== buffer)
      this.#view = new Float64Array(buffer, this.ptr, this.length);
    return this.#view;
  }
}

/**
 * A bump allocator over the kernel module's linear memory: `alloc` hands out 16-byte-aligned
 * Float64Array regions (growing the memory when needed), `mark`/`release` free everything
 * allocated after a mark (stack discipline, used by the kernels' staging copies), `reset` frees
 * all. Memory grows, never shrinks; after the first call at a given size no call allocates.
 */
export class WasmHeap {
  readonly memory: WasmMemory;
  readonly base: number;
  #top: number;
  #f64: Float64Array;
  #buffer: ArrayBuffer;
  constructor(memory: WasmMemory, base: number) {
    this.memory = memory;
    this.base = (base + 15) & ~15;
    this.#top = this.base;
    this.#buffer = memory.buffer;
    this.#f64 = new Float64Array(this.#buffer);
  }
  /**
   * The memory's current ArrayBuffer. Cached: only this heap grows the memory (the kernels never
   * call memory.grow), and reading `WebAssembly.Memory.buffer` costs a host call per kernel call.
   */
  get buffer(): ArrayBuffer {
    return this.#buffer;
  }
  /** Bytes currently allocated above the module's static data. */
  get usedBytes(): number {
    return this.#top - this.base;
  }
  /** The whole memory as float64 (re-created after growth). */
  get f64(): Float64Array {
    if (this.#f64.buffer !== this.#buffer) this.#f64 = new Float64Array(this.#buffer);
    return this.#f64;
  }
  /** Reserves `count` float64 entries and returns their byte offset (no view is created). */
  allocPtr(count: number): number {
    const ptr = this.#top;
    const end = ptr + ((count * 8 + 15) & ~15);
    const have = this.#buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) {
        throw new InvalidArgumentError({
          argument: 'count',
          value: count,
          message: `WasmHeap: ${count} float64 entries do not fit the 4 GiB wasm32 address space (in use: ${this.usedBytes} bytes); use the 'js' kernel backend for this size.`,
        });
      }
      // Grow at least geometrically so repeated small growths stay amortized O(1).
      this.memory.grow(Math.max(pages, Math.min(MAX_PAGES - have / PAGE, Math.ceil(have / PAGE / 2))));
      this.#buffer = this.memory.buffer;
    }
    this.#top = end;
    return ptr;
  }
  /** Allocates `count` float64 entries (zero unless reused after release) in wasm memory. */
  alloc(count: number): WasmF64 {
    if (!Number.isInteger(count) || count < 0) {
      throw new InvalidArgumentError({
        argument: 'count',
        value: count,
        message: `WasmHeap.alloc: count must be a non-negative integer; got ${count}.`,
      });
    }
    assertAllocation('WasmHeap.alloc', `${count} float64 entries in wasm memory`, count);
    return new WasmF64(this, this.allocPtr(count), count);
  }
  /** The current top of the heap, for `release`. */
  mark(): number {
    return this.#top;
  }
  /** Frees every allocation made after `mark` (their handles must not be used again). */
  release(mark: number): void {
    if (mark >= this.base && mark <= this.#top) this.#top = mark;
  }
  /** Frees everything. */
  reset(): void {
    this.#top = this.base;
  }
  /** Byte offset of `x` when it is a Float64Array view of this memory (no copy needed), else -1. */
  residentPtr(x: ArrayLike<number>): number {
    return x instanceof Float64Array && x.buffer === this.#buffer ? x.byteOffset : -1;
  }
}

interface WasmState {
  readonly exports: KernelExports;
  readonly heap: WasmHeap;
  readonly kernels: LinalgKernels;
}

let wasmState: WasmState | null | undefined;
let wasmFailure: string | undefined;

function loadWasm(): WasmState | null {
  if (wasmState !== undefined) return wasmState;
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (typeof wasm !== 'object' || typeof atobOf() !== 'function') {
      wasmFailure = 'WebAssembly or atob is not available in this environment';
      wasmState = null;
      return null;
    }
    const bytes = decodeBase64(KERNELS_WASM_BASE64);
    // validate() is false where f64x2 SIMD is not supported: fall back to JS.
    if (!wasm.validate(bytes)) {
      wasmFailure = 'this engine does not support WebAssembly SIMD (module failed validation)';
      wasmState = null;
      return null;
    }
    // Synchronous compile: the module is ~3 KB, under the 4 KB main-thread limit of Chromium.
    const instance = new wasm.Instance(new wasm.Module(bytes), {});
    const exports = instance.exports as unknown as KernelExports;
    const heap = new WasmHeap(exports.memory, exports.heapBase());
    wasmState = { exports, heap, kernels: makeWasmKernels(exports, heap) };
  } catch (error) {
    wasmFailure = `WebAssembly instantiation failed: ${String(error)}`;
    wasmState = null;
  }
  return wasmState;
}

/** Operand resolution: a resident view is used in place; anything else is copied into a staging region. */
function stageIn(heap: WasmHeap, x: ArrayLike<number>, n: number, ptr: number): void {
  const f64 = heap.f64;
  const at = ptr >> 3;
  if (x instanceof Float64Array) f64.set(n === x.length ? x : x.subarray(0, n), at);
  else for (let i = 0; i < n; i++) f64[at + i] = x[i];
}

function copyOut(heap: WasmHeap, ptr: number, out: Vec, n: number): void {
  const at = ptr >> 3;
  const f64 = heap.f64;
  out.set(f64.subarray(at, at + n));
}

/**
 * Byte offset of operand `x` for a kernel call: `resident` (recorded by the caller before any
 * allocation, because growth detaches the caller's views) when x lives in wasm memory, else a
 * fresh staging region from the heap, filled from x when the kernel reads it. No JS allocation.
 */
function operand(heap: WasmHeap, x: ArrayLike<number>, n: number, resident: number, read: boolean): number {
  if (resident >= 0) return resident;
  const ptr = heap.allocPtr(n);
  if (read) stageIn(heap, x, n, ptr);
  return ptr;
}

function makeWasmKernels(ex: KernelExports, heap: WasmHeap): LinalgKernels {
  return {
    backend: 'wasm',
    dot(x, y) {
      const n = x.length;
      if (n === 0) return 0;
      const rx = heap.residentPtr(x);
      const ry = heap.residentPtr(y);
      const mark = heap.mark();
      try {
        const px = operand(heap, x, n, rx, true);
        const py = y === x ? px : operand(heap, y, n, ry, true);
        return ex.dot(px, py, n);
      } finally {
        heap.release(mark);
      }
    },
    axpy(alpha, x, y, out) {
      const n = x.length;
      if (n === 0) return out;
      const rx = heap.residentPtr(x);
      const ry = heap.residentPtr(y);
      const ro = heap.residentPtr(out);
      const mark = heap.mark();
      try {
        const px = operand(heap, x, n, rx, true);
        const py = y === x ? px : operand(heap, y, n, ry, true);
        const po = out === y ? py : out === x ? px : operand(heap, out, n, ro, false);
        ex.axpy(alpha, px, py, po, n);
        if (ro < 0) copyOut(heap, po, out, n);
        return out;
      } finally {
        heap.release(mark);
      }
    },
    scal(alpha, x, out) {
      const n = x.length;
      if (n === 0) return out;
      const rx = heap.residentPtr(x);
      const ro = heap.residentPtr(out);
      const mark = heap.mark();
      try {
        const px = operand(heap, x, n, rx, true);
        const po = out === x ? px : operand(heap, out, n, ro, false);
        ex.scal(alpha, px, po, n);
        if (ro < 0) copyOut(heap, po, out, n);
        return out;
      } finally {
        heap.release(mark);
      }
    },
    nrm2(x) {
      const n = x.length;
      if (n === 0) return 0;
      const rx = heap.residentPtr(x);
      const mark = heap.mark();
      try {
        return ex.nrm2(operand(heap, x, n, rx, true), n);
      } finally {
        heap.release(mark);
      }
    },
    gemv(A, x, out, alpha = 1, beta = 0) {
      guardDense('gemv', 'A', A);
      const { rows: m, cols: n } = A;
      guardLength('gemv', 'x', x, n, 'the columns of A');
      guardLength('gemv', 'out', out, m, 'the rows of A');
      if (m === 0) return out;
      const ra = heap.residentPtr(A.data);
      const rx = heap.residentPtr(x);
      const ro = heap.residentPtr(out);
      const mark = heap.mark();
      try {
        const pa = operand(heap, A.data, m * n, ra, true);
        const px = operand(heap, x, n, rx, true);
        const po = operand(heap, out, m, ro, beta !== 0);
        ex.gemv(pa, px, po, m, n, alpha, beta);
        if (ro < 0) copyOut(heap, po, out, m);
        return out;
      } finally {
        heap.release(mark);
      }
    },
    gemvTransposed(A, x, out, alpha = 1, beta = 0) {
      guardDense('gemvTransposed', 'A', A);
      const { rows: m, cols: n } = A;
      guardLength('gemvTransposed', 'x', x, m, 'the rows of A');
      guardLength('gemvTransposed', 'out', out, n, 'the columns of A');
      if (n === 0) return out;
      const ra = heap.residentPtr(A.data);
      const rx = heap.residentPtr(x);
      const ro = heap.residentPtr(out);
      const mark = heap.mark();
      try {
        const pa = operand(heap, A.data, m * n, ra, true);
        const px = operand(heap, x, m, rx, true);
        const po = operand(heap, out, n, ro, beta !== 0);
        ex.gemvTransposed(pa, px, po, m, n, alpha, beta);
        if (ro < 0) copyOut(heap, po, out, n);
        return out;
      } finally {
        heap.release(mark);
      }
    },
  };
}

/** The JS reference kernels as a backend. */
export const jsKernels: LinalgKernels = {
  backend: 'js',
  dot: jsDot,
  axpy: jsAxpy,
  scal: jsScal,
  nrm2: jsNrm2,
  gemv: jsGemv,
  gemvTransposed: jsGemvTransposed,
};

let current: KernelBackendName = 'js';

/** True when the embedded SIMD module compiled and instantiated on this engine. */
export function wasmAvailable(): boolean {
  return loadWasm() !== null;
}

/** Why the wasm backend is unavailable (undefined when it is available or not yet probed). */
export function wasmUnavailableReason(): string | undefined {
  loadWasm();
  return wasmFailure;
}

/**
 * Selects the kernel backend and returns the one now active: asking for 'wasm' where
 * WebAssembly SIMD is unavailable falls back to 'js' (check the return value or `kernelBackend()`).
 */
export function setKernelBackend(backend: KernelBackendName): KernelBackendName {
  if (backend !== 'js' && backend !== 'wasm') {
    throw new InvalidArgumentError({
      argument: 'backend',
      value: backend,
      message: `setKernelBackend: backend must be 'js' or 'wasm'; got ${JSON.stringify(backend)}.`,
    });
  }
  current = backend === 'wasm' && loadWasm() !== null ? 'wasm' : 'js';
  return current;
}

/** The active kernel backend ('js' until `setKernelBackend('wasm')` succeeds). */
export function kernelBackend(): KernelBackendName {
  return current;
}

/** The kernels of the active backend. */
export function kernels(): LinalgKernels {
  return current === 'wasm' ? (loadWasm()?.kernels ?? jsKernels) : jsKernels;
}

/** The wasm kernels, or undefined where WebAssembly SIMD is unavailable (independent of the switch). */
export function wasmKernels(): LinalgKernels | undefined {
  return loadWasm()?.kernels;
}

/**
 * The allocator over the kernel module's memory, for keeping hot vectors resident (zero-copy
 * kernel calls), or undefined where WebAssembly SIMD is unavailable.
 */
export function wasmHeap(): WasmHeap | undefined {
  return loadWasm()?.heap;
}

/** Raw pointer-level exports, for benchmarks and future fused kernels (not a stable API). */
export function wasmExports(): KernelExports | undefined {
  return loadWasm()?.exports;
}

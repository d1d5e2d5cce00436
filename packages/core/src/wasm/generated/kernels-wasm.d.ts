// Hand-written declaration (committed) for the module scripts/build-wasm.mjs generates next to it
// (kernels-wasm.ts, git-ignored), so `tsc` typechecks a fresh checkout before the first build.
/** The SIMD kernel module (compiled from src/wasm/assembly/kernels.as), base64-encoded. */
export declare const KERNELS_WASM_BASE64: string;
/** Size of the module in bytes. */
export declare const KERNELS_WASM_BYTES: number;

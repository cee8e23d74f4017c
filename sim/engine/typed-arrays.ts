/** Copies `src` into a new array of `cap` elements (growth of a pool). */
export function growF64(src: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const dst = new Float64Array(cap);
  dst.set(src.subarray(0, Math.min(src.length, cap)));
  return dst;
}

/** Copies `src` into a new array of `cap` elements (growth of a pool). */
export function growI32(src: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const dst = new Int32Array(cap);
  dst.set(src.subarray(0, Math.min(src.length, cap)));
  return dst;
}

/** Copies `src` into a new array of `cap` elements (growth of a pool). */
export function growU8(src: Uint8Array, cap: number): Uint8Array<ArrayBuffer> {
  const dst = new Uint8Array(cap);
  dst.set(src.subarray(0, Math.min(src.length, cap)));
  return dst;
}

/** Finding NaN and infinities in float32 data by their bits (all exponent bits set), which is faster than isFinite. */
import type { ChunkedWork } from '../chunkedWork';

/**
 * The index of the first NaN or infinity in bits [start, end) (float32 values seen as Uint32), or -1. A plain
 * function: inside an async reader's loop V8 compiles this scan far less well.
 */
export function firstNonFinite(bits: Uint32Array, start: number, end: number): number {
  for (let k = start; k < end; k++) if ((bits[k] & 0x7f800000) === 0x7f800000) return k;
  return -1;
}

const CHUNK_VALUES = 1 << 20;

/** firstNonFinite over all of `values` as chunked work (yielding the values checked), for large matrices. */
export function* firstNonFiniteWork(values: Float32Array): ChunkedWork<number> {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let start = 0; start < bits.length; start += CHUNK_VALUES) {
    const end = Math.min(bits.length, start + CHUNK_VALUES);
    const bad = firstNonFinite(bits, start, end);
    if (bad >= 0) return bad;
    yield end;
  }
  return -1;
}

/** Scratch buffers that the segmenters reuse across calls, grown in powers of two so that growing is rare. */
type NumberArray = Int32Array | Uint8Array | Uint16Array | Uint32Array | Float64Array;

function powerOfTwoAtLeast(length: number): number {
  return 1 << Math.ceil(Math.log2(Math.max(1, length)));
}

/** The arrays, each replaced by a fresh (zeroed) one when it holds fewer than `length` items. */
export function reserveAll<T extends NumberArray[]>(length: number, ...arrays: T): T {
  return arrays.map((array) => (array.length >= length ? array : resized(array, powerOfTwoAtLeast(length)))) as T;
}

/** A new array like `array` with `capacity` items, the first `keep` copied from it. */
export function resized<T extends NumberArray>(array: T, capacity: number, keep = 0): T {
  const next = new (array.constructor as new (length: number) => T)(capacity);
  next.set(array.subarray(0, keep));
  return next;
}

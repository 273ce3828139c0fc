/**
 * The bytes of a one-function WebAssembly module importing its memory as env.memory: the frame shared by the
 * hand-encoded SIMD kernels (search/scanKernel.ts, training/simdKernel.ts), so no assembler is needed at build time.
 * Each kernel spells its own instructions; this file spells the binary format around them.
 */

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

export function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

export function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

export function f32Bytes(value: number): number[] {
  return [...new Uint8Array(new Float32Array([value]).buffer)];
}

/** A vector: its length, then its items. */
export const vector = (items: number[][]): number[] => [...unsignedLeb(items.length), ...items.flat()];
const section = (id: number, content: number[]): number[] => [id, ...unsignedLeb(content.length), ...content];
const name = (text: string): number[] => vector([...Buffer.from(text)].map((byte) => [byte]));

export interface KernelModule {
  exportName: string;
  params: number[];
  results: number[];
  /** Memory limits in 64 KiB pages; a shared memory needs a maximum. */
  memory: { min: number; max?: number; shared?: boolean };
  /** Runs of locals after the parameters: [count, type]. */
  locals: Array<[number, number]>;
  /** The function's instructions, without its final `end`. */
  code: number[];
}

export function kernelModuleBytes(kernel: KernelModule): Uint8Array<ArrayBuffer> {
  const { min, max, shared } = kernel.memory;
  const limits = max === undefined ? [0x00, ...unsignedLeb(min)] : [shared ? 0x03 : 0x01, ...unsignedLeb(min), ...unsignedLeb(max)];
  const functionType = [0x60, ...vector(kernel.params.map((type) => [type])), ...vector(kernel.results.map((type) => [type]))];
  const body = [...vector(kernel.locals), ...kernel.code, 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, vector([functionType])), // type 0
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, ...limits]])), // import env.memory
    ...section(3, vector([[0]])), // function 0 has type 0
    ...section(7, vector([[...name(kernel.exportName), 0x00, 0]])), // export function 0
    ...section(10, vector([[...unsignedLeb(body.length), ...body]])), // its code
  ]);
}

/**
 * fastText's character n-grams: the word wrapped in "<" and ">", every n-gram of minn..maxn characters (whole UTF-8
 * characters, counted in code points), hashed with 32-bit FNV-1a into `bucket` rows placed after the word rows.
 * Matches fastText's Dictionary::computeSubwords and hash, including its sign-extension of each byte.
 */

export interface SubwordSettings {
  minn: number;
  maxn: number;
  bucket: number;
}

const encoder = new TextEncoder();

/** fastText's hash of bytes [start, end): FNV-1a where each byte is xored in as a sign-extended int8. */
export function fastTextHash(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let h = 2166136261;
  for (let i = start; i < end; i++) {
    h = (h ^ ((bytes[i] << 24) >> 24)) >>> 0;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

/**
 * The bucket rows (already offset by `wordCount`) of the word's n-grams, in fastText's order. The word's own row is
 * not included. Empty when maxn is 0 or bucket is 0.
 */
export function subwordRows(word: string, settings: SubwordSettings, wordCount: number, out: number[] = []): number[] {
  out.length = 0;
  const { minn, maxn, bucket } = settings;
  if (maxn <= 0 || bucket <= 0) return out;
  const bytes = encoder.encode(`<${word}>`);
  const size = bytes.length;
  for (let i = 0; i < size; i++) {
    if ((bytes[i] & 0xc0) === 0x80) continue;
    let j = i;
    for (let n = 1; j < size && n <= maxn; n++) {
      j++;
      while (j < size && (bytes[j] & 0xc0) === 0x80) j++;
      if (n >= minn && !(n === 1 && (i === 0 || j === size))) out.push(wordCount + (fastTextHash(bytes, i, j) % bucket));
    }
  }
  return out;
}

/**
 * Vectors from a fastText input matrix: (wordCount + bucket) rows of `dim`. A word's vector is the mean of its rows
 * (its own row, when it has one, then its n-grams'), as fastText's getWordVector computes it.
 */
export class SubwordVectors {
  constructor(
    readonly settings: SubwordSettings,
    readonly wordCount: number,
    readonly dim: number,
    /** (wordCount + bucket) × dim, row-major. */
    readonly input: Float32Array,
  ) {}

  /** Reused by vectorInto: the word's n-gram rows, then the offsets of all its rows in `input`. */
  private readonly rowScratch: number[] = [];
  private rowStarts = new Int32Array(256);

  /** The mean of the n-gram rows of a word without a row of its own (zeros when it has no n-grams), as fastText. */
  vector(word: string, wordRow?: number): Float32Array {
    const out = new Float32Array(this.dim);
    this.vectorInto(word, out, 0, wordRow);
    return out;
  }

  /**
   * vector(word, wordRow) written into out[offset, offset + dim), allocating nothing per word beyond the n-grams'
   * bytes. Bit for bit fastText's result: each component summed in float32 over the rows in fastText's order (the
   * word's own row first), then multiplied by the float 1/count.
   */
  vectorInto(word: string, out: Float32Array, offset = 0, wordRow?: number): void {
    const { dim } = this;
    const rows = subwordRows(word, this.settings, this.wordCount, this.rowScratch);
    const count = rows.length + (wordRow === undefined ? 0 : 1);
    if (count === 0) {
      out.fill(0, offset, offset + dim);
      return;
    }
    if (this.rowStarts.length < count) this.rowStarts = new Int32Array(2 * count);
    const starts = this.rowStarts;
    let n = 0;
    if (wordRow !== undefined) starts[n++] = wordRow * dim;
    for (let i = 0; i < rows.length; i++) starts[n++] = rows[i] * dim;
    meanOfRows(this.input, starts, count, dim, out, offset, Math.fround(1 / count));
  }
}

/**
 * out[offset + k] = (Σ over the rows of input[start + k], in float32, in row order) × scale. Four components at a time
 * keep their sums in registers (the product of two floats is exact in a double, so storing it rounds as float32 does).
 */
export function meanOfRows(input: Float32Array, starts: Int32Array, count: number, dim: number, out: Float32Array, offset: number, scale: number): void {
  let k = 0;
  for (; k + 4 <= dim; k += 4) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let j = 0; j < count; j++) {
      const at = starts[j] + k;
      a0 = Math.fround(a0 + input[at]);
      a1 = Math.fround(a1 + input[at + 1]);
      a2 = Math.fround(a2 + input[at + 2]);
      a3 = Math.fround(a3 + input[at + 3]);
    }
    out[offset + k] = a0 * scale;
    out[offset + k + 1] = a1 * scale;
    out[offset + k + 2] = a2 * scale;
    out[offset + k + 3] = a3 * scale;
  }
  for (; k < dim; k++) {
    let sum = 0;
    for (let j = 0; j < count; j++) sum = Math.fround(sum + input[starts[j] + k]);
    out[offset + k] = sum * scale;
  }
}

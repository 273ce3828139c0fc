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

  /** The mean of the n-gram rows of a word without a row of its own (zeros when it has no n-grams), as fastText. */
  vector(word: string, wordRow?: number): Float32Array {
    const rows = subwordRows(word, this.settings, this.wordCount);
    if (wordRow !== undefined) rows.unshift(wordRow);
    const out = new Float32Array(this.dim);
    if (rows.length === 0) return out;
    for (const row of rows) {
      const base = row * this.dim;
      for (let k = 0; k < this.dim; k++) out[k] += this.input[base + k];
    }
    const scale = Math.fround(1 / rows.length); // fastText multiplies by a float
    for (let k = 0; k < this.dim; k++) out[k] *= scale;
    return out;
  }
}

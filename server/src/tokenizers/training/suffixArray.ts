/**
 * The suffixes of a text of words, sorted only as far as seed pieces need: by their first `depth` symbols, a
 * word's end (any symbol from `wordEnd` up: there may be several kinds) ending the comparison (no piece crosses it). A multikey quicksort (Bentley & Sedgewick) does this in
 * about n·log n single-symbol comparisons, since most suffixes are a few symbols from their word's end.
 */
export interface WordSuffixes {
  /** Suffix start positions in sorted order. */
  order: Int32Array;
  /**
   * lcp[i]: the symbols suffixes order[i - 1] and order[i] share, at most `depth`, counting a shared word end
   * (but nothing after it): "ab" ending two words the same way is then a node "ab<end>", not "ab".
   */
  lcp: Int32Array;
}

/** `text` is words, each followed by a symbol ≥ `wordEnd`; all other symbols are below it. */
export function sortWordSuffixes(text: Int32Array, wordEnd: number, depth: number): WordSuffixes {
  const order = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) order[i] = i;
  multikeySort(text, order, wordEnd, depth);
  return { order, lcp: commonPrefixes(text, order, wordEnd, depth) };
}

const INSERTION_SORT_BELOW = 12;

function multikeySort(text: Int32Array, order: Int32Array, wordEnd: number, depth: number): void {
  // Explicit stack of (lo, hi, d): sort order[lo..hi) whose suffixes agree on their first d symbols.
  const stack: number[] = [0, order.length, 0];
  while (stack.length > 0) {
    const d = stack.pop()!;
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    if (hi - lo < INSERTION_SORT_BELOW) {
      insertionSort(text, order, lo, hi, d, wordEnd, depth);
      continue;
    }
    const pivot = medianOfThree(text[order[lo] + d], text[order[(lo + hi) >> 1] + d], text[order[hi - 1] + d]);
    // Three-way partition on the symbol at depth d: [lo, lt) < pivot, [lt, gt) = pivot, [gt, hi) > pivot.
    let lt = lo;
    let gt = hi;
    for (let i = lo; i < gt; ) {
      const symbol = text[order[i] + d];
      if (symbol < pivot) swap(order, lt++, i++);
      else if (symbol > pivot) swap(order, i, --gt);
      else i++;
    }
    stack.push(lo, lt, d, gt, hi, d);
    if (pivot < wordEnd && d + 1 < depth) stack.push(lt, gt, d + 1);
  }
}

function insertionSort(text: Int32Array, order: Int32Array, lo: number, hi: number, d: number, wordEnd: number, depth: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const suffix = order[i];
    let j = i;
    while (j > lo && compareFrom(text, order[j - 1], suffix, d, wordEnd, depth) > 0) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = suffix;
  }
}

function compareFrom(text: Int32Array, a: number, b: number, d: number, wordEnd: number, depth: number): number {
  for (let k = d; k < depth; k++) {
    const x = text[a + k];
    const y = text[b + k];
    if (x !== y) return x - y;
    if (x >= wordEnd) return 0;
  }
  return 0;
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}

function swap(order: Int32Array, i: number, j: number): void {
  const t = order[i];
  order[i] = order[j];
  order[j] = t;
}

function commonPrefixes(text: Int32Array, order: Int32Array, wordEnd: number, depth: number): Int32Array {
  const lcp = new Int32Array(order.length);
  for (let i = 1; i < order.length; i++) {
    const a = order[i - 1];
    const b = order[i];
    let k = 0;
    while (k < depth && text[a + k] === text[b + k]) if (text[a + k++] >= wordEnd) break;
    lcp[i] = k;
  }
  return lcp;
}

/**
 * The tiktoken merge rule: repeatedly merge the adjacent pair whose concatenated bytes have the lowest rank
 * (the leftmost on ties) until no adjacent pair is a known token. Returns the end offsets of the final parts.
 *
 * Two implementations of the one rule, chosen by length, because the simple one is quadratic:
 * - short pieces (nearly every piece of real text) use a flat scan over an array of part starts, which
 *   allocates little and beats a heap below ~100 bytes;
 * - long pieces (a 1 MB "word", a run of one character) use a binary heap over a linked list of parts, so
 *   each merge costs O(log n) and a 1 MB piece stays linear-ish.
 * A property test checks that both give the same parts.
 */

/**
 * Rank of the token whose bytes are bytes.slice(start, end), or undefined. Taking a range lets the caller
 * look it up without making a new string per pair, which is most of the cost on long pieces.
 * mergeByHeap remembers pair merges by the two parts' ranks, so it needs what every tiktoken rank file
 * guarantees (and parseRanks checks): each single byte has a rank, and no two tokens share one.
 */
export type RankOf = (bytes: string, start: number, end: number) => number | undefined;

const SHORT_PIECE = 96;
/** Above every rank and still a small integer (V8 Smi), so rank arithmetic never allocates. */
const NO_RANK = 0x3fffffff;

export function bytePairMerge(piece: string, rankOf: RankOf): number[] {
  return piece.length < SHORT_PIECE ? mergeByScan(piece, rankOf) : mergeByHeap(piece, rankOf);
}

export function mergeByScan(piece: string, rankOf: RankOf): number[] {
  // starts[i] is the byte offset where part i begins; ranks[i] the rank of merging part i with part i+1.
  const starts: number[] = [];
  const ranks: number[] = [];
  for (let i = 0; i <= piece.length; i++) starts.push(i);
  const pairRank = (i: number): number =>
    i + 2 < starts.length ? rankOf(piece, starts[i], starts[i + 2]) ?? NO_RANK : NO_RANK;
  for (let i = 0; i < starts.length; i++) ranks.push(pairRank(i));
  for (;;) {
    let best = NO_RANK;
    let at = -1;
    for (let i = 0; i < ranks.length - 2; i++) {
      if (ranks[i] < best) {
        best = ranks[i];
        at = i;
      }
    }
    if (at < 0) break;
    starts.splice(at + 1, 1);
    ranks.splice(at + 1, 1);
    ranks[at] = pairRank(at);
    if (at > 0) ranks[at - 1] = pairRank(at - 1);
  }
  return starts.slice(1);
}

export function mergeByHeap(piece: string, rankOf: RankOf): number[] {
  const n = piece.length;
  // A linked list of parts indexed by their start byte; node n is the end sentinel.
  const next = new Int32Array(n + 1);
  const prev = new Int32Array(n + 1);
  const alive = new Uint8Array(n + 1);
  // Every part is a token; remembering its rank lets a pair be looked up by two numbers, not by a new string.
  const partRanks = new Int32Array(n + 1);
  const pairRanks = new Int32Array(n).fill(NO_RANK);
  const pairs = new PairRanks();
  for (let i = 0; i <= n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
    alive[i] = 1;
    if (i < n) partRanks[i] = rankOf(piece, i, i + 1) ?? -1;
  }
  const heap = new MinHeap(n);
  const rankPairAt = (i: number): void => {
    const second = next[i];
    if (second >= n) {
      pairRanks[i] = NO_RANK;
      return;
    }
    let rank = pairs.get(partRanks[i], partRanks[second]);
    if (rank === undefined) {
      rank = rankOf(piece, i, next[second]) ?? NO_RANK;
      pairs.set(partRanks[i], partRanks[second], rank);
    }
    pairRanks[i] = rank;
    // Key = rank, then position: the heap pops the lowest rank, leftmost on ties, like the scan does.
    if (rank !== NO_RANK) heap.push(rank * 4294967296 + i);
  };
  for (let i = 0; i < n - 1; i++) rankPairAt(i);
  while (heap.size > 0) {
    const key = heap.pop();
    const i = key % 4294967296;
    const rank = (key - i) / 4294967296;
    if (!alive[i] || pairRanks[i] !== rank) continue; // stale entry
    const removed = next[i];
    alive[removed] = 0;
    next[i] = next[removed];
    prev[next[removed]] = i;
    partRanks[i] = rank;
    rankPairAt(i);
    if (prev[i] >= 0) rankPairAt(prev[i]);
  }
  const ends: number[] = [];
  for (let i = next[0]; i <= n; i = next[i]) ends.push(i);
  return ends;
}

/** Rank of the merge of two tokens, by their ranks: an open-addressing table of int pairs, grown on demand. */
class PairRanks {
  private lefts = new Int32Array(1024).fill(-1);
  private rights = new Int32Array(1024);
  private ranks = new Int32Array(1024);
  private size = 0;

  get(left: number, right: number): number | undefined {
    const mask = this.lefts.length - 1;
    for (let slot = hashPair(left, right) & mask; ; slot = (slot + 1) & mask) {
      if (this.lefts[slot] === -1) return undefined;
      if (this.lefts[slot] === left && this.rights[slot] === right) return this.ranks[slot];
    }
  }

  set(left: number, right: number, rank: number): void {
    if ((this.size + 1) * 2 > this.lefts.length) this.grow();
    const mask = this.lefts.length - 1;
    let slot = hashPair(left, right) & mask;
    while (this.lefts[slot] !== -1) slot = (slot + 1) & mask;
    this.lefts[slot] = left;
    this.rights[slot] = right;
    this.ranks[slot] = rank;
    this.size++;
  }

  private grow(): void {
    const { lefts, rights, ranks } = this;
    this.lefts = new Int32Array(lefts.length * 2).fill(-1);
    this.rights = new Int32Array(lefts.length * 2);
    this.ranks = new Int32Array(lefts.length * 2);
    this.size = 0;
    for (let slot = 0; slot < lefts.length; slot++) if (lefts[slot] !== -1) this.set(lefts[slot], rights[slot], ranks[slot]);
  }
}

function hashPair(left: number, right: number): number {
  return Math.imul(left, 0x9e3779b1) ^ Math.imul(right + 0x7f4a7c15, 0x85ebca6b);
}

/**
 * A 4-ary min-heap of non-negative doubles, grown on demand. Four children per node halve the depth of a
 * binary heap, and pops (one per merge, plus stale entries) dominate on long pieces.
 */
class MinHeap {
  private items: Float64Array;
  size = 0;
  constructor(capacity: number) {
    this.items = new Float64Array(Math.max(16, capacity));
  }
  push(value: number): void {
    if (this.size === this.items.length) {
      const grown = new Float64Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    const items = this.items;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      if (items[parent] <= value) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = value;
  }
  pop(): number {
    const items = this.items;
    const top = items[0];
    const last = items[--this.size];
    const size = this.size;
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= size) break;
      let child = first;
      let smallest = items[first];
      const end = Math.min(first + 4, size);
      for (let c = first + 1; c < end; c++) {
        if (items[c] < smallest) {
          smallest = items[c];
          child = c;
        }
      }
      if (smallest >= last) break;
      items[i] = smallest;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/**
 * HF tokenizers' BPE model: a word starts as one symbol per character (with the continuing-subword prefix and the
 * end-of-word suffix where configured, byte tokens or [UNK] for characters outside the vocabulary), then the pair of
 * adjacent symbols with the lowest merge rank is merged, leftmost first, until no pair has a merge.
 */
import { TokenizerLoadError } from '../types';
import { type JsonObject, UnsupportedFeature } from './jsonConfig';
import { TokenBuffer, VocabularyModel, Vocabulary, WordCache } from './model';
import { unitsAt } from './normalizedString';

/** Merges keyed by the pair of ids, in an open-addressing table of Int32Arrays (no boxed keys on the hot path). */
class MergeTable {
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  readonly rank: Int32Array;
  readonly merged: Int32Array;
  private readonly mask: number;

  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.mask = size - 1;
    this.left = new Int32Array(size).fill(-1);
    this.right = new Int32Array(size);
    this.rank = new Int32Array(size);
    this.merged = new Int32Array(size);
  }

  /** Slot of (a, b), or -1. */
  find(a: number, b: number): number {
    for (let slot = this.hash(a, b); ; slot = (slot + 1) & this.mask) {
      const key = this.left[slot];
      if (key === -1) return -1;
      if (key === a && this.right[slot] === b) return slot;
    }
  }

  /** Keeps the first (lowest-rank) merge of a pair listed twice, as HF's HashMap insert order would not; see tests. */
  add(a: number, b: number, rank: number, merged: number): void {
    let slot = this.hash(a, b);
    while (this.left[slot] !== -1) {
      if (this.left[slot] === a && this.right[slot] === b) {
        this.rank[slot] = rank;
        this.merged[slot] = merged;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    this.left[slot] = a;
    this.right[slot] = b;
    this.rank[slot] = rank;
    this.merged[slot] = merged;
  }

  private hash(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) & this.mask;
  }
}

export interface BpeOptions {
  unkToken?: string;
  continuingSubwordPrefix?: string;
  endOfWordSuffix?: string;
  fuseUnk?: boolean;
  byteFallback?: boolean;
  ignoreMerges?: boolean;
}

const METASPACE = 0x2581;
const CACHEABLE_LENGTH = 256;
/** Words with more symbols than this merge with a heap; shorter ones with a plain scan, which is faster there. */
const SCAN_LIMIT = 48;

export class BpeModel extends VocabularyModel {
  readonly unknownId: number | undefined;
  private readonly merges: MergeTable;
  private readonly byteIds: Int32Array | undefined;
  private readonly cache = new WordCache();
  /** No token has ▁ after another character, so a text may be cut before each word-initial ▁. */
  private readonly splitsAtMetaspace: boolean;
  // Scratch symbol list for one word: id (-1 once merged away), range in the word, previous and next symbol.
  private ids: Int32Array = new Int32Array(64);
  private starts: Int32Array = new Int32Array(64);
  private ends: Int32Array = new Int32Array(64);
  private prev: Int32Array = new Int32Array(64);
  private next: Int32Array = new Int32Array(64);

  constructor(
    vocab: Vocabulary,
    merges: Array<[string, string]>,
    private readonly options: BpeOptions,
    file: string,
  ) {
    super(vocab);
    const unk = options.unkToken;
    this.unknownId = unk === undefined ? undefined : vocab.byToken.get(unk);
    this.merges = new MergeTable(merges.length);
    const prefixLength = options.continuingSubwordPrefix?.length ?? 0;
    merges.forEach(([a, b], rank) => {
      const left = vocab.byToken.get(a);
      const right = vocab.byToken.get(b);
      const merged = vocab.byToken.get(a + b.slice(prefixLength));
      if (left === undefined || right === undefined || merged === undefined) {
        const missing = left === undefined ? a : right === undefined ? b : a + b.slice(prefixLength);
        throw new TokenizerLoadError(file, `merge ${rank + 1} ("${a} ${b}") uses "${missing}", which is not in the vocabulary`);
      }
      if (this.merges.find(left, right) === -1) this.merges.add(left, right, rank, merged);
    });
    this.splitsAtMetaspace =
      !options.continuingSubwordPrefix && !options.endOfWordSuffix && ![...vocab.byToken.keys()].some((token) => /[^\u2581]\u2581/.test(token));
    if (options.byteFallback) {
      this.byteIds = new Int32Array(256).fill(-1);
      for (let byte = 0; byte < 256; byte++) {
        const id = vocab.byToken.get(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
        if (id !== undefined) this.byteIds[byte] = id;
      }
    }
  }

  tokenize(word: string, out: TokenBuffer): void {
    if (this.options.ignoreMerges) {
      const whole = this.vocab.byToken.get(word);
      if (whole !== undefined) {
        out.push(whole, 0, word.length);
        return;
      }
    }
    if (!this.splitsAtMetaspace || word.length < CACHEABLE_LENGTH) {
      this.tokenizeChunk(word, 0, out);
      return;
    }
    // A long text that was not pre-split (Metaspace with split: false): no token spans "x▁", so each ▁-word
    // merges on its own, with the cache, exactly as the whole text would.
    let start = 0;
    for (let i = 1; i < word.length; i++) {
      if (word.charCodeAt(i) === METASPACE && word.charCodeAt(i - 1) !== METASPACE) {
        this.tokenizeChunk(word.slice(start, i), start, out);
        start = i;
      }
    }
    this.tokenizeChunk(word.slice(start), start, out);
  }

  private tokenizeChunk(word: string, offset: number, out: TokenBuffer): void {
    // Long words are rare and would crowd the cache out.
    const packed = word.length < CACHEABLE_LENGTH ? this.cache.get(word, (w) => this.mergeWord(w)) : this.mergeWord(word);
    for (let i = 0; i < packed.length; i += 3) out.push(packed[i], offset + packed[i + 1], offset + packed[i + 2]);
  }

  /** The merged symbols of `word` as [id, start, end, id, start, end, …]. */
  private mergeWord(word: string): Int32Array {
    const count = this.initialSymbols(word);
    if (count > SCAN_LIMIT) this.mergeWithHeap(count);
    else this.mergeByScan(count);
    const packed: number[] = [];
    for (let s = count > 0 ? 0 : -1; s !== -1; s = this.next[s]) packed.push(this.ids[s], this.starts[s], this.ends[s]);
    return Int32Array.from(packed);
  }

  /** One symbol per character (or per byte, or a run of unknowns); returns how many, linked in order. */
  private initialSymbols(word: string): number {
    const { continuingSubwordPrefix: prefix, endOfWordSuffix: suffix } = this.options;
    let count = 0;
    const add = (id: number, start: number, end: number): void => {
      if (count >= this.ids.length) this.grow(count + 1);
      this.ids[count] = id;
      this.starts[count] = start;
      this.ends[count] = end;
      count++;
    };
    let unknownStart = -1;
    let unknownEnd = -1;
    const flushUnknown = (): void => {
      if (unknownStart !== -1) add(this.unknownId!, unknownStart, unknownEnd);
      unknownStart = -1;
    };
    for (let i = 0; i < word.length; ) {
      const width = unitsAt(word, i);
      let piece = word.slice(i, i + width);
      if (i > 0 && prefix) piece = prefix + piece;
      if (i + width === word.length && suffix) piece += suffix;
      const id = this.vocab.byToken.get(piece);
      const byteIds = id === undefined ? this.byteFallbackIds(piece) : undefined;
      if (id !== undefined || byteIds) {
        flushUnknown();
        // Byte tokens of one character all get that character's range.
        if (id !== undefined) add(id, i, i + width);
        else for (const byteId of byteIds!) add(byteId, i, i + width);
      } else if (this.unknownId !== undefined) {
        if (!this.options.fuseUnk) flushUnknown();
        if (unknownStart === -1) unknownStart = i;
        unknownEnd = i + width;
      } else if (this.options.unkToken !== undefined) {
        throw new Error(`the unknown token "${this.options.unkToken}" is not in the vocabulary`);
      }
      // With no unknown token configured, HF drops the character.
      i += width;
    }
    flushUnknown();
    for (let s = 0; s < count; s++) {
      this.prev[s] = s - 1;
      this.next[s] = s + 1 < count ? s + 1 : -1;
    }
    return count;
  }

  /** Byte-fallback tokens (<0xNN>) for text missing from the vocabulary; undefined when any is missing. */
  private byteFallbackIds(piece: string): number[] | undefined {
    if (!this.byteIds) return undefined;
    const ids: number[] = [];
    for (const byte of Buffer.from(piece, 'utf8')) {
      if (this.byteIds[byte] === -1) return undefined;
      ids.push(this.byteIds[byte]);
    }
    return ids;
  }

  private grow(size: number): void {
    let capacity = this.ids.length;
    while (capacity < size) capacity *= 2;
    const copy = (old: Int32Array): Int32Array => {
      const grown = new Int32Array(capacity);
      grown.set(old);
      return grown;
    };
    this.ids = copy(this.ids);
    this.starts = copy(this.starts);
    this.ends = copy(this.ends);
    this.prev = copy(this.prev);
    this.next = copy(this.next);
  }

  /** Merges `right` into `left` (its next symbol). */
  private mergeInto(left: number, right: number, id: number): void {
    this.ids[left] = id;
    this.ends[left] = this.ends[right];
    const after = this.next[right];
    this.next[left] = after;
    if (after !== -1) this.prev[after] = left;
    this.ids[right] = -1;
  }

  /** Short words: find the lowest-ranked pair, leftmost first, merge, repeat. */
  private mergeByScan(count: number): void {
    if (count < 2) return;
    for (;;) {
      let bestRank = 0x7fffffff;
      let bestLeft = -1;
      let bestSlot = -1;
      for (let s = 0; s !== -1; s = this.next[s]) {
        const n = this.next[s];
        if (n === -1) break;
        const slot = this.merges.find(this.ids[s], this.ids[n]);
        if (slot !== -1 && this.merges.rank[slot] < bestRank) {
          bestRank = this.merges.rank[slot];
          bestLeft = s;
          bestSlot = slot;
        }
      }
      if (bestLeft === -1) return;
      this.mergeInto(bestLeft, this.next[bestLeft], this.merges.merged[bestSlot]);
    }
  }

  /**
   * Long words: a binary heap of candidate merges ordered by (rank, position). An entry is stale when either symbol
   * has since changed; it is then skipped, as in HF's Word::merge_all.
   */
  private mergeWithHeap(count: number): void {
    const heap = new MergeHeap();
    const push = (left: number): void => {
      const right = this.next[left];
      if (right === -1) return;
      const slot = this.merges.find(this.ids[left], this.ids[right]);
      if (slot !== -1) heap.push(this.merges.rank[slot], left, this.ids[left], this.ids[right]);
    };
    for (let s = 0; s < count - 1; s++) push(s);
    while (heap.size > 0) {
      const { position: left, leftId, rightId } = heap.pop();
      const right = this.next[left];
      if (this.ids[left] === -1 || right === -1 || this.ids[left] !== leftId || this.ids[right] !== rightId) continue;
      const slot = this.merges.find(leftId, rightId);
      this.mergeInto(left, right, this.merges.merged[slot]);
      if (this.prev[left] !== -1) push(this.prev[left]);
      push(left);
    }
  }
}

/** Min-heap of merge candidates by rank, then by position. */
class MergeHeap {
  private readonly entries: Array<{ rank: number; position: number; leftId: number; rightId: number }> = [];

  get size(): number {
    return this.entries.length;
  }

  push(rank: number, position: number, leftId: number, rightId: number): void {
    const entries = this.entries;
    entries.push({ rank, position, leftId, rightId });
    let i = entries.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      [entries[i], entries[parent]] = [entries[parent], entries[i]];
      i = parent;
    }
  }

  pop(): { rank: number; position: number; leftId: number; rightId: number } {
    const entries = this.entries;
    const top = entries[0];
    const last = entries.pop()!;
    if (entries.length > 0) {
      entries[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < entries.length && this.less(l, smallest)) smallest = l;
        if (r < entries.length && this.less(r, smallest)) smallest = r;
        if (smallest === i) break;
        [entries[i], entries[smallest]] = [entries[smallest], entries[i]];
        i = smallest;
      }
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const x = this.entries[a];
    const y = this.entries[b];
    return x.rank < y.rank || (x.rank === y.rank && x.position < y.position);
  }
}

/** Merges as tokenizer.json stores them: "a b" strings (older files) or ["a", "b"] pairs. */
export function parseMerges(merges: unknown, file: string): Array<[string, string]> {
  if (!Array.isArray(merges)) throw new TokenizerLoadError(file, 'BPE model "merges" must be a list');
  return merges.map((merge: unknown, index) => {
    if (Array.isArray(merge) && merge.length === 2 && typeof merge[0] === 'string' && typeof merge[1] === 'string') return [merge[0], merge[1]];
    if (typeof merge === 'string') {
      const parts = merge.split(' ');
      if (parts.length === 2) return [parts[0], parts[1]];
    }
    throw new TokenizerLoadError(file, `BPE merge ${index + 1} is neither "a b" nor ["a", "b"]: ${JSON.stringify(merge)}`);
  });
}

export function bpeModelFromJson(json: JsonObject, vocab: Vocabulary, file: string): BpeModel {
  if (json.dropout !== undefined && json.dropout !== null && json.dropout !== 0) {
    throw new UnsupportedFeature(file, `BPE dropout (${String(json.dropout)}): it makes encoding random`);
  }
  return new BpeModel(
    vocab,
    parseMerges(json.merges ?? [], file),
    {
      unkToken: (json.unk_token as string | null | undefined) ?? undefined,
      continuingSubwordPrefix: (json.continuing_subword_prefix as string | null | undefined) ?? undefined,
      endOfWordSuffix: (json.end_of_word_suffix as string | null | undefined) ?? undefined,
      fuseUnk: (json.fuse_unk as boolean | undefined) ?? false,
      byteFallback: (json.byte_fallback as boolean | undefined) ?? false,
      ignoreMerges: (json.ignore_merges as boolean | undefined) ?? false,
    },
    file,
  );
}

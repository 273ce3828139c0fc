/**
 * BPE training with Hugging Face tokenizers' BpeTrainer semantics (models/bpe/trainer.rs): special tokens first,
 * then the alphabet sorted by code point, then one token per merge of the most frequent adjacent pair (ties to
 * the smaller pair of ids), until the vocabulary is full or no pair reaches `minFrequency`. Pair counts are kept
 * up to date incrementally: merging a pair inside a word only changes the counts of its neighbours.
 */
import { MergeQueue } from './mergeQueue';
import type { TrainingProgress } from './trainingProgress';
import { characterCounts } from './wordCounts';

export interface BpeTrainerOptions {
  vocabSize: number;
  /** Pairs seen fewer times than this are never merged (HF's min_frequency; 0 merges everything). */
  minFrequency: number;
  specialTokens: readonly string[];
  /** Characters always in the alphabet, seen or not (byte-level BPE: all 256 byte characters). */
  initialAlphabet?: readonly string[];
  /** Keep only this many characters, the most frequent (HF's limit_alphabet); others are dropped from words. */
  limitAlphabet?: number;
  /** Marks symbols that continue a word (WordPiece's "##"). */
  continuingSubwordPrefix?: string;
  progress?: TrainingProgress;
}

export interface TrainedBpe {
  /** Tokens in id order. */
  vocab: string[];
  /** Merges in rank order. */
  merges: Array<[string, string]>;
}

const codePoint = (char: string): number => char.codePointAt(0)!;

/** The alphabet HF keeps: every character's count over the corpus, initial ones counting as infinitely frequent. */
function alphabetOf(words: ReadonlyArray<readonly [string, number]>, options: BpeTrainerOptions): string[] {
  const counts = characterCounts(words);
  for (const char of options.initialAlphabet ?? []) counts.set(char, Infinity);
  let kept = [...counts];
  const limit = options.limitAlphabet;
  if (limit !== undefined && kept.length > limit) {
    // Rarest first; among equals the later code point goes first (HF leaves this order unspecified).
    kept.sort((a, b) => (a[1] !== b[1] ? (a[1] < b[1] ? -1 : 1) : codePoint(b[0]) - codePoint(a[0])));
    kept = kept.slice(kept.length - limit);
  }
  return kept.map(([char]) => char).sort((a, b) => codePoint(a) - codePoint(b));
}

/** Words as one flat array of symbol ids. */
interface SymbolWords {
  symbols: Int32Array;
  starts: Int32Array;
  lengths: Int32Array;
  counts: Float64Array;
}

export async function trainBpe(wordCounts: Iterable<readonly [string, number]>, options: BpeTrainerOptions): Promise<TrainedBpe> {
  const words = [...wordCounts];
  const vocab: string[] = [];
  const ids = new Map<string, number>();
  const addToken = (token: string): number => {
    let id = ids.get(token);
    if (id === undefined) {
      id = vocab.length;
      vocab.push(token);
      ids.set(token, id);
    }
    return id;
  };
  for (const token of options.specialTokens) addToken(token);
  const alphabet = new Set(alphabetOf(words, options));
  for (const char of alphabet) addToken(char);
  const prefix = options.continuingSubwordPrefix;
  if (prefix) addContinuations(words, alphabet, prefix, addToken);

  const symbolWords = toSymbols(words, alphabet, prefix, ids);
  const keyBase = 2 ** Math.ceil(Math.log2(Math.max(options.vocabSize, vocab.length) + 1));
  const pairCounts = new Map<number, number>();
  const queue = new MergeQueue();
  for (const [key, where] of countPairs(symbolWords, keyBase, pairCounts)) {
    const count = pairCounts.get(key)!;
    if (count > 0) queue.push({ left: Math.floor(key / keyBase), right: key % keyBase, count, words: where });
  }

  const merges: Array<[number, number]> = [];
  const progress = options.progress;
  progress?.phase('merge pairs', options.vocabSize);
  while (ids.size < options.vocabSize) {
    const top = queue.pop();
    if (!top) break;
    const current = pairCounts.get(top.left * keyBase + top.right) ?? 0;
    if (top.count !== current) {
      top.count = current;
      queue.push(top);
      continue;
    }
    if (top.count < 1 || options.minFrequency > top.count) break;
    let right = vocab[top.right];
    if (prefix && right.startsWith(prefix)) right = right.slice(prefix.length);
    const merged = addToken(vocab[top.left] + right);
    merges.push([top.left, top.right]);
    const added = mergeEverywhere(symbolWords, top.words, top.left, top.right, merged, keyBase, pairCounts);
    for (const [key, where] of added) {
      const count = pairCounts.get(key)!;
      if (count > 0) queue.push({ left: Math.floor(key / keyBase), right: key % keyBase, count, words: where });
    }
    progress?.step(ids.size);
    if (progress?.due()) await progress.pause();
  }
  return { vocab, merges: merges.map(([left, right]) => [vocab[left], vocab[right]]) };
}

/** Continuation symbols ("##a") for characters seen inside words, in code point order (HF adds them in hash order). */
function addContinuations(words: ReadonlyArray<readonly [string, number]>, alphabet: ReadonlySet<string>, prefix: string, addToken: (token: string) => number): void {
  const inner = new Set<string>();
  for (const [word] of words) {
    let first = true;
    for (const char of word) {
      if (!first && alphabet.has(char)) inner.add(char);
      first = false;
    }
  }
  for (const char of [...inner].sort((a, b) => codePoint(a) - codePoint(b))) addToken(prefix + char);
}

function toSymbols(words: ReadonlyArray<readonly [string, number]>, alphabet: ReadonlySet<string>, prefix: string | undefined, ids: ReadonlyMap<string, number>): SymbolWords {
  let total = 0;
  for (const [word] of words) total += word.length;
  const symbols = new Int32Array(total);
  const starts = new Int32Array(words.length);
  const lengths = new Int32Array(words.length);
  const counts = new Float64Array(words.length);
  let at = 0;
  words.forEach(([word, count], w) => {
    starts[w] = at;
    counts[w] = count;
    let first = true;
    for (const char of word) {
      // HF drops characters outside the (limited) alphabet; the word's first character stays unprefixed.
      if (alphabet.has(char)) symbols[at++] = ids.get(!first && prefix ? prefix + char : char)!;
      first = false;
    }
    lengths[w] = at - starts[w];
  });
  return { symbols, starts, lengths, counts };
}

/** Every adjacent pair's count, and the words it occurs in. */
function countPairs(words: SymbolWords, keyBase: number, pairCounts: Map<number, number>): Map<number, number[]> {
  const where = new Map<number, number[]>();
  const { symbols, starts, lengths, counts } = words;
  for (let w = 0; w < starts.length; w++) {
    const end = starts[w] + lengths[w];
    for (let i = starts[w]; i + 1 < end; i++) {
      const key = symbols[i] * keyBase + symbols[i + 1];
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + counts[w]);
      noteWord(where, key, w);
    }
  }
  return where;
}

function noteWord(where: Map<number, number[]>, key: number, word: number): void {
  const list = where.get(key);
  if (!list) where.set(key, [word]);
  else if (list[list.length - 1] !== word) list.push(word);
}

/**
 * Replaces (left, right) by `merged` in the given words, left to right without overlaps (HF's Word::merge), and
 * updates pair counts. Returns the pairs that gained occurrences, with the words where they did.
 */
function mergeEverywhere(
  words: SymbolWords,
  where: readonly number[],
  left: number,
  right: number,
  merged: number,
  keyBase: number,
  pairCounts: Map<number, number>,
): Map<number, number[]> {
  const gained = new Map<number, number[]>();
  const { symbols, starts, lengths, counts } = words;
  for (const w of where) {
    const count = counts[w];
    const change = (a: number, b: number, delta: number): void => {
      const key = a * keyBase + b;
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + delta * count);
      if (delta > 0) noteWord(gained, key, w);
    };
    const start = starts[w];
    const end = start + lengths[w];
    let out = start;
    for (let i = start; i < end; ) {
      if (symbols[i] === left && i + 1 < end && symbols[i + 1] === right) {
        if (out > start) {
          change(symbols[out - 1], left, -1);
          change(symbols[out - 1], merged, 1);
        }
        symbols[out++] = merged;
        i += 2;
        if (i < end) {
          change(right, symbols[i], -1);
          change(merged, symbols[i], 1);
        }
      } else symbols[out++] = symbols[i++];
    }
    lengths[w] = out - start;
  }
  return gained;
}

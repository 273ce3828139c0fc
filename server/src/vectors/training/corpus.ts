/**
 * Reads a training corpus into word ids once, in memory the training threads share. One pass over the text: words get
 * ids in first-seen order while counting, then the vocabulary is sorted (most frequent first, ties in first-seen
 * order), rare words dropped, and the ids rewritten into SharedArrayBuffers. A sentence is a line, as gensim's
 * LineSentence and fastText read text; very long lines are cut into sentences of 10,000 words, as gensim does.
 */
import { resized } from '../../tokenizers/sentencepiece/typedArrays';
import { expandCorpusPaths } from '../../tokenizers/training/corpusFiles';
import { forEachCorpusLine } from '../../tokenizers/training/corpusLines';
import { ownCopy } from '../../tokenizers/training/wordCounts';
import type { EncodedCorpus, VectorTrainingProgress } from './vectorTrainingTypes';
import type { WordSplitter } from './wordSplitters';

export const MAX_SENTENCE_WORDS = 10_000;

export interface CorpusOptions {
  splitter: WordSplitter;
  /** Words seen fewer times are dropped. */
  minCount: number;
  /** Keep at most this many words, the most frequent; 0 = no limit. */
  maxVocab: number;
  signal?: AbortSignal;
  onProgress?(progress: VectorTrainingProgress): void;
}

/** `paths` are files or folders (every text file below them, as the tokenizer trainer reads them). */
export async function readCorpus(paths: readonly string[], options: CorpusOptions): Promise<EncodedCorpus> {
  const files = await expandCorpusPaths(paths, options.signal);
  const counter = new WordCounter();
  const started = Date.now();
  await forEachCorpusLine(
    files,
    {
      keepLineEnds: false,
      signal: options.signal,
      onBytes: (done, total) =>
        options.onProgress?.({
          phase: 'reading',
          fraction: total === 0 ? 1 : done / total,
          epoch: 0,
          wordsPerSecond: counter.tokenCount / Math.max(1e-3, (Date.now() - started) / 1000),
          learningRate: 0,
        }),
    },
    (line) => counter.addSentence(options.splitter.words(line)),
  );
  options.signal?.throwIfAborted();
  return counter.encode(options.minCount, options.maxVocab);
}

/** Words in first-seen order with their counts, and the corpus as first-seen ids. */
class WordCounter {
  private readonly ids = new Map<string, number>();
  private readonly words: string[] = [];
  private counts = new Float64Array(1024);
  private tokens = new Int32Array(1 << 16);
  /** Exclusive ends of the sentences in `tokens`. */
  private ends = new Uint32Array(1024);
  tokenCount = 0;
  private sentenceCount = 0;

  addSentence(words: readonly string[]): void {
    let inSentence = 0;
    for (const word of words) {
      let id = this.ids.get(word);
      if (id === undefined) {
        id = this.words.length;
        // The vocabulary outlives the corpus chunks its words were sliced from.
        const copy = ownCopy(word);
        this.ids.set(copy, id);
        this.words.push(copy);
        if (id === this.counts.length) this.counts = grown(this.counts);
      }
      this.counts[id]++;
      if (this.tokenCount === this.tokens.length) this.tokens = grown(this.tokens);
      this.tokens[this.tokenCount++] = id;
      if (++inSentence === MAX_SENTENCE_WORDS) {
        this.endSentence();
        inSentence = 0;
      }
    }
    if (inSentence > 0) this.endSentence();
  }

  private endSentence(): void {
    if (this.sentenceCount === this.ends.length) this.ends = grown(this.ends);
    this.ends[this.sentenceCount++] = this.tokenCount;
  }

  /** The vocabulary sorted and cut, and the corpus rewritten in its ids; sentences left empty disappear. */
  encode(minCount: number, maxVocab: number): EncodedCorpus {
    const order: number[] = [];
    for (let id = 0; id < this.words.length; id++) if (this.counts[id] >= minCount) order.push(id);
    order.sort((a, b) => this.counts[b] - this.counts[a] || a - b);
    if (maxVocab > 0 && order.length > maxVocab) order.length = maxVocab;

    const newId = new Int32Array(this.words.length).fill(-1);
    const words: string[] = [];
    const counts = new Float64Array(order.length);
    let kept = 0;
    order.forEach((id, rank) => {
      newId[id] = rank;
      words.push(this.words[id]);
      counts[rank] = this.counts[id];
      kept += this.counts[id];
    });

    const tokens = new Int32Array(new SharedArrayBuffer(kept * Int32Array.BYTES_PER_ELEMENT));
    const keptEnds: number[] = [];
    let out = 0;
    let start = 0;
    for (let s = 0; s < this.sentenceCount; s++) {
      const end = this.ends[s];
      for (let i = start; i < end; i++) {
        const id = newId[this.tokens[i]];
        if (id >= 0) tokens[out++] = id;
      }
      if (out > (keptEnds.length === 0 ? 0 : keptEnds[keptEnds.length - 1])) keptEnds.push(out);
      start = end;
    }
    const sentenceEnds = new Uint32Array(new SharedArrayBuffer(keptEnds.length * Uint32Array.BYTES_PER_ELEMENT));
    sentenceEnds.set(keptEnds);
    return { words, counts, tokens, sentenceEnds };
  }
}

function grown<T extends Float64Array | Int32Array | Uint32Array>(array: T): T {
  return resized(array, 2 * array.length, array.length);
}

/**
 * A fastText model as its .bin file holds it: the training arguments fastText stores, the vocabulary with counts,
 * the input matrix (a row per word, then `bucket` rows of character n-grams) and the output matrix. Our fastText
 * trainer produces one; `formats/fastTextBin.ts` reads and writes it in fastText 0.9's format.
 */
import { finishInSlices, finishNow, type ChunkedWork, type ChunkedWorkOptions } from './chunkedWork';
import { SubwordVectors } from './subwords';
import { WordVectors } from './wordVectors';

export type FastTextLoss = 'hs' | 'ns' | 'softmax' | 'ova';
export type FastTextModelKind = 'cbow' | 'skipgram' | 'supervised';

/** fastText's Args as its .bin stores them (names as in fastText). */
export interface FastTextArgs {
  dim: number;
  /** Window size. */
  ws: number;
  epoch: number;
  minCount: number;
  /** Negative samples. */
  neg: number;
  wordNgrams: number;
  loss: FastTextLoss;
  model: FastTextModelKind;
  bucket: number;
  minn: number;
  maxn: number;
  lrUpdateRate: number;
  /** Sub-sampling threshold. */
  t: number;
}

/** fastText's defaults for `fasttext skipgram`. */
export const FASTTEXT_SKIPGRAM_DEFAULTS: FastTextArgs = {
  dim: 100,
  ws: 5,
  epoch: 5,
  minCount: 5,
  neg: 5,
  wordNgrams: 1,
  loss: 'ns',
  model: 'skipgram',
  bucket: 2_000_000,
  minn: 3,
  maxn: 6,
  lrUpdateRate: 100,
  t: 1e-4,
};

export interface FastTextModel {
  args: FastTextArgs;
  /** The vocabulary, most frequent first (labels of supervised models are not included). */
  words: readonly string[];
  /** Each word's count in the training corpus. */
  counts: ArrayLike<number>;
  /** (words.length + args.bucket) × args.dim, row-major. */
  input: Float32Array;
  /** Output rows × args.dim (one row per word for unsupervised models). Empty when it was not read. */
  output: Float32Array;
  /** fastText's ntokens, the tokens read in training; the sum of `counts` when absent. */
  tokenCount?: number;
}

/** fastText's end-of-sentence word: the only one without n-grams. */
export const END_OF_SENTENCE = '</s>';

/**
 * Word vectors as `fasttext print-word-vectors` gives them: each word's row is the mean of its own input row and
 * its n-grams' rows, and words without a row get the mean of their n-grams' rows. `limit` keeps the first N words.
 * Synchronous: for a large model use fastTextWordVectorsInSlices.
 */
export function fastTextWordVectors(model: FastTextModel, limit = Infinity): WordVectors {
  return finishNow(fastTextWordVectorsWork(model, limit));
}

export interface FastTextWordVectorsOptions extends ChunkedWorkOptions {
  /** Keep the first N words. */
  limit?: number;
}

/**
 * fastTextWordVectors computed in slices with the event loop turning between them (a 2M-word model takes many
 * seconds): progress in words; rejects with the signal's reason when aborted.
 */
export async function fastTextWordVectorsInSlices(model: FastTextModel, options: FastTextWordVectorsOptions = {}): Promise<WordVectors> {
  const { limit = Infinity, ...slicing } = options;
  return finishInSlices(fastTextWordVectorsWork(model, limit), Math.min(limit, model.words.length), slicing);
}

/** Words per chunk of fastTextWordVectorsWork: about a millisecond each at dim 300. */
const WORDS_PER_CHUNK = 256;

/** fastTextWordVectors as chunked work, yielding the words done. */
function* fastTextWordVectorsWork(model: FastTextModel, limit: number): ChunkedWork<WordVectors> {
  const { dim, minn, maxn, bucket } = model.args;
  const { words, input } = model;
  const subwords = new SubwordVectors({ minn, maxn, bucket }, words.length, dim, input);
  const size = Math.min(limit, words.length);
  const data = new Float32Array(size * dim);
  for (let start = 0; start < size; start += WORDS_PER_CHUNK) {
    const end = Math.min(size, start + WORDS_PER_CHUNK);
    for (let i = start; i < end; i++) {
      // fastText gives the end-of-sentence word no n-grams: its vector is its row.
      if (words[i] === END_OF_SENTENCE) data.set(input.subarray(i * dim, (i + 1) * dim), i * dim);
      else subwords.vectorInto(words[i], data, i * dim, i);
    }
    yield end;
  }
  return new WordVectors(words.slice(0, size), dim, data, subwords);
}

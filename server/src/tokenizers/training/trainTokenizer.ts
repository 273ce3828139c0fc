/**
 * Trains a tokenizer on text files: the one entry point for the CLI, the language server and benchmarks.
 * Files are streamed and their words counted in bounded memory, then the chosen trainer runs on the counts and
 * the result comes back as tokenizer.json content that our engine and Hugging Face tokenizers both load.
 */
import { BYTE_TO_CHAR } from '../hf/byteLevel';
import { trainBpe } from './bpeTrainer';
import { expandCorpusPaths } from './corpusFiles';
import { countCorpusWords, wordSplitter } from './corpusWords';
import { bpeTokenizerJson, pipelineSections, type TokenizerJson, type TrainableModel, unigramTokenizerJson, wordPieceTokenizerJson } from './tokenizerJson';
import { TrainingError } from './trainingError';
import { TrainingProgress, type TrainingProgressEvent } from './trainingProgress';
import { LINE_FINAL_MARK, requiredCharacters } from './unigramCorpus';
import { trainUnigram } from './unigramTrainer';
import { characterCounts } from './wordCounts';
import { trainWordPiece } from './wordPieceTrainer';

export type { TokenizerJson, TrainableModel } from './tokenizerJson';
export type { TrainingProgressEvent } from './trainingProgress';

export const TRAINABLE_MODELS: readonly TrainableModel[] = ['bpe', 'wordpiece', 'unigram'];

export interface TrainTokenizerOptions {
  model: TrainableModel;
  /** Vocabulary size, special tokens included. A small corpus may give fewer tokens. */
  vocabSize: number;
  /** BPE and WordPiece: pairs seen fewer times are not merged. Default 2 (HF's Python trainers). */
  minFrequency?: number;
  /** Default: <|endoftext|> (BPE); [PAD] [UNK] [CLS] [SEP] [MASK] (WordPiece); <unk> <s> </s> (Unigram). */
  specialTokens?: string[];
  /**
   * Unigram and WordPiece: share of character occurrences the alphabet covers; rarer characters are unknown.
   * Default 0.9995 for Unigram (SentencePiece's); WordPiece keeps its 1000 most frequent characters unless set.
   * Byte-level BPE covers every byte and ignores it.
   */
  characterCoverage?: number;
  /** Text files, or folders whose text files are all read. */
  files: string[];
  /** BPE: a space before each text's first word, so it splits like the others (RoBERTa-style). Default false. */
  addPrefixSpace?: boolean;
  /** The most distinct words kept while counting (memory bound); rarer ones are dropped beyond it. */
  maxWords?: number;
  onProgress?(progress: TrainingProgressEvent): void;
  signal?: AbortSignal;
}

const DEFAULT_SPECIAL_TOKENS: Record<TrainableModel, string[]> = {
  bpe: ['<|endoftext|>'],
  wordpiece: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'],
  unigram: ['<unk>', '<s>', '</s>'],
};
const UNKNOWN_TOKEN: Partial<Record<TrainableModel, string>> = { wordpiece: '[UNK]', unigram: '<unk>' };
const DEFAULT_MIN_FREQUENCY = 2;
const UNIGRAM_CHARACTER_COVERAGE = 0.9995;
const WORDPIECE_ALPHABET_LIMIT = 1000;

export async function trainTokenizer(options: TrainTokenizerOptions): Promise<TokenizerJson> {
  const { model } = options;
  const specialTokens = specialTokensFor(options);
  validate(options, specialTokens);
  const progress = new TrainingProgress(options.onProgress, options.signal);
  const files = await expandCorpusPaths(options.files, options.signal);
  if (files.length === 0) throw new TrainingError(`no text files to train on in ${options.files.join(', ')}`);

  progress.phase('read corpus', 1);
  const words = await countCorpusWords(files, {
    splitter: wordSplitter(pipelineSections(model, options)),
    // HF's trainers see line endings (byte-level BPE learns "Ċ"); SentencePiece trains on lines without them.
    keepLineEnds: model !== 'unigram',
    lineFinalMark: model === 'unigram' ? LINE_FINAL_MARK : undefined,
    maxWords: options.maxWords,
    signal: options.signal,
    onBytes: (done, total) => {
      progress.phase('read corpus', total);
      progress.step(done);
    },
  });
  if (words.size === 0) throw new TrainingError(`the training files contain no words: ${files.join(', ')}`);

  const json = await trainModel(options, words, specialTokens, progress);
  options.signal?.throwIfAborted();
  return json;
}

async function trainModel(options: TrainTokenizerOptions, counts: Iterable<[string, number]>, specialTokens: string[], progress: TrainingProgress): Promise<TokenizerJson> {
  const { vocabSize } = options;
  const minFrequency = options.minFrequency ?? DEFAULT_MIN_FREQUENCY;
  switch (options.model) {
    case 'bpe': {
      const { vocab, merges } = await trainBpe(counts, { vocabSize, minFrequency, specialTokens, initialAlphabet: BYTE_TO_CHAR, progress });
      return bpeTokenizerJson(specialTokens, vocab, merges, options.addPrefixSpace);
    }
    case 'wordpiece': {
      const coverage = options.characterCoverage;
      const limitAlphabet = coverage === undefined ? WORDPIECE_ALPHABET_LIMIT : requiredCharacters(characterCounts(counts), coverage).length;
      const vocab = await trainWordPiece(counts, { vocabSize, minFrequency, specialTokens, limitAlphabet, progress });
      return wordPieceTokenizerJson(specialTokens, vocab, UNKNOWN_TOKEN.wordpiece!);
    }
    case 'unigram': {
      const characterCoverage = options.characterCoverage ?? UNIGRAM_CHARACTER_COVERAGE;
      const pieces = await trainUnigram(counts, { vocabSize, specialTokens, characterCoverage, progress });
      return unigramTokenizerJson(specialTokens, pieces, UNKNOWN_TOKEN.unigram!);
    }
  }
}

/** The special tokens, with the unknown token the model needs added first if the caller left it out. */
function specialTokensFor(options: TrainTokenizerOptions): string[] {
  const tokens = [...new Set(options.specialTokens ?? DEFAULT_SPECIAL_TOKENS[options.model])];
  const unknown = UNKNOWN_TOKEN[options.model];
  return unknown && !tokens.includes(unknown) ? [unknown, ...tokens] : tokens;
}

function validate(options: TrainTokenizerOptions, specialTokens: readonly string[]): void {
  if (!TRAINABLE_MODELS.includes(options.model)) throw new TrainingError(`unknown model "${String(options.model)}" (choose ${TRAINABLE_MODELS.join(', ')})`);
  if (!Number.isInteger(options.vocabSize) || options.vocabSize <= specialTokens.length) {
    throw new TrainingError(`vocabulary size must be a whole number above the ${specialTokens.length} special tokens, got ${options.vocabSize}`);
  }
  const { minFrequency, characterCoverage } = options;
  if (minFrequency !== undefined && !(Number.isInteger(minFrequency) && minFrequency >= 0)) throw new TrainingError(`min frequency must be a whole number ≥ 0, got ${minFrequency}`);
  if (characterCoverage !== undefined && !(characterCoverage > 0 && characterCoverage <= 1)) throw new TrainingError(`character coverage must be in (0, 1], got ${characterCoverage}`);
  if (specialTokens.some((token) => token.length === 0)) throw new TrainingError('special tokens must not be empty');
  if (options.files.length === 0) throw new TrainingError('no training files given');
}

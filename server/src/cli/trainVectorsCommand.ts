import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { localTokenizerSource } from '../hub/hubReference';
import { TokenizerCatalog } from '../tokenizers/catalog';
import { VectorFileError } from '../vectors/vectorFiles';
import { saveTrainedVectors } from '../vectors/training/saveTrainedVectors';
import { VectorTrainingCancelled } from '../vectors/training/trainingThreads';
import { trainVectors } from '../vectors/training/trainVectors';
import { VectorTrainingError } from '../vectors/training/vectorTrainingError';
import { DEFAULT_VECTOR_TRAINING, type VectorTrainingOptions, type VectorTrainingProgress } from '../vectors/training/vectorTrainingTypes';
import { lettersSplitter, tokenizerSplitter, unicodeSplitter, type WordSplitter } from '../vectors/training/wordSplitters';
import { InputError } from './inputLines';
import type { Output } from './output';
import { UsageError } from './tokenizeCommand';
import { wholeNumberOption } from './wholeNumberOption';

const d = DEFAULT_VECTOR_TRAINING;

export const TRAIN_VECTORS_HELP = `Usage: embedding-lens train-vectors --algo word2vec|fasttext|glove [options] -o OUT.vec FILE|FOLDER...

Trains word vectors on UTF-8 text files (folders: every text file below them; each line is a sentence) on worker
threads and writes them as word2vec text (OUT.vec); fastText also writes its model as OUT.bin, so words never seen
get vectors. Progress goes to standard error; the files are written only when training completes.

Options:
  --algo <name>              word2vec, fasttext or glove (default ${d.algo})
  --mode <name>              word2vec, fasttext: skipgram or cbow (default ${d.mode})
  --loss <name>              word2vec, fasttext: ns (negative sampling) or hs (hierarchical softmax) (default ${d.loss})
  --dim <N>                  vector size (default ${d.dim})
  --window <N>               context words each side (default ${d.window})
  --negative <N>             negative samples per word (default ${d.negative})
  --min-count <N>            drop words seen fewer times (default ${d.minCount})
  --max-vocab <N>            keep only the N most frequent words; 0 = all (default ${d.maxVocab})
  --sample <X>               sub-sampling threshold of frequent words; 0 = off (default ${d.sample})
  --epochs <N>               passes over the corpus (default ${d.epochs})
  --threads <N>              training threads (default ${d.threads})
  --lr <X>                   starting learning rate (default 0.05; word2vec.c's skip-gram uses 0.025)
  --ns-exponent <X>          negative words are drawn by count^X (default 0.5, as fastText; word2vec.c uses 0.75)
  --seed <N>                 random seed; one thread + a seed = the same vectors every run (default ${d.seed})
  --minn <N>, --maxn <N>     fasttext: character n-gram lengths; --maxn 0 turns n-grams off (default ${d.minn}, ${d.maxn})
  --bucket <N>               fasttext: n-gram hash buckets (default ${d.bucket})
  --x-max <X>, --alpha <X>   glove: weighting function (default ${d.xMax}, ${d.alpha})
  --splitter <name>          how lines become words: unicode (letters, marks and digits; Chinese and Japanese by a
                             word segmenter), letters (lower-cased runs of letters), or tokenizer:NAME-OR-PATH (the
                             tokens of a tokenizer, as for tokenize --tokenizer) (default unicode)
  --lowercase                unicode splitter: lower-case the text first
  --output, -o <OUT.vec>     where to write the vectors
  --quiet, -q                no progress
  --help, -h                 show this help
`;

export async function trainVectorsCommand(args: string[], out: Output): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      algo: { type: 'string' },
      mode: { type: 'string' },
      loss: { type: 'string' },
      dim: { type: 'string' },
      window: { type: 'string' },
      negative: { type: 'string' },
      'min-count': { type: 'string' },
      'max-vocab': { type: 'string' },
      sample: { type: 'string' },
      epochs: { type: 'string' },
      threads: { type: 'string' },
      lr: { type: 'string' },
      'ns-exponent': { type: 'string' },
      seed: { type: 'string' },
      minn: { type: 'string' },
      maxn: { type: 'string' },
      bucket: { type: 'string' },
      'x-max': { type: 'string' },
      alpha: { type: 'string' },
      splitter: { type: 'string', default: 'unicode' },
      lowercase: { type: 'boolean', default: false },
      output: { type: 'string', short: 'o' },
      quiet: { type: 'boolean', short: 'q', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return out.write(TRAIN_VECTORS_HELP);
  if (!values.output) throw new UsageError('train-vectors needs --output OUT.vec');
  if (positionals.length === 0) throw new UsageError('train-vectors needs at least one training file or folder');
  const options: VectorTrainingOptions = {
    ...d,
    algo: choice(values.algo, '--algo', ['word2vec', 'fasttext', 'glove'] as const, d.algo),
    mode: choice(values.mode, '--mode', ['skipgram', 'cbow'] as const, d.mode),
    loss: choice(values.loss, '--loss', ['ns', 'hs'] as const, d.loss),
    dim: whole(values.dim, '--dim', d.dim, 1),
    window: whole(values.window, '--window', d.window, 1),
    negative: whole(values.negative, '--negative', d.negative, 0),
    minCount: whole(values['min-count'], '--min-count', d.minCount, 1),
    maxVocab: whole(values['max-vocab'], '--max-vocab', d.maxVocab, 0),
    sample: real(values.sample, '--sample', d.sample),
    epochs: whole(values.epochs, '--epochs', d.epochs, 1),
    threads: whole(values.threads, '--threads', d.threads, 1),
    learningRate: values.lr === undefined ? undefined : real(values.lr, '--lr', 0),
    nsExponent: values['ns-exponent'] === undefined ? undefined : real(values['ns-exponent'], '--ns-exponent', 0),
    seed: whole(values.seed, '--seed', d.seed, 0),
    minn: whole(values.minn, '--minn', d.minn, 0),
    maxn: whole(values.maxn, '--maxn', d.maxn, 0),
    bucket: whole(values.bucket, '--bucket', d.bucket, 0),
    xMax: real(values['x-max'], '--x-max', d.xMax),
    alpha: real(values.alpha, '--alpha', d.alpha),
  };
  const splitter = await splitterFor(values.splitter, values.lowercase);

  const aborter = new AbortController();
  const interrupt = (): void => aborter.abort();
  process.once('SIGINT', interrupt);
  const report = values.quiet ? undefined : progressReporter(options.epochs);
  try {
    const trained = await trainVectors(positionals, { ...options, splitter }, { signal: aborter.signal, onProgress: report?.update });
    report?.finish();
    const files = await saveTrainedVectors(values.output, trained);
    const { words, vocabulary, seconds, wordsPerSecond } = trained.stats;
    await out.write(
      `${files.map((file) => path.resolve(file)).join(', ')}: ${options.algo}${options.algo === 'glove' ? '' : ` ${options.mode} ${options.loss}`}, ` +
        `${vocabulary} words × ${options.dim}, ${words} corpus words, ${seconds.toFixed(1)} s, ${Math.round(wordsPerSecond)} words/s\n`,
    );
  } catch (error) {
    report?.finish();
    if (error instanceof VectorTrainingCancelled || aborter.signal.aborted) throw new InputError('interrupted; nothing was written');
    if (error instanceof VectorTrainingError || error instanceof VectorFileError) throw new InputError(error.message);
    throw error;
  } finally {
    process.off('SIGINT', interrupt);
  }
}

async function splitterFor(name: string, lowercase: boolean): Promise<WordSplitter> {
  if (name === 'unicode') return unicodeSplitter({ lowercase });
  if (name === 'letters') return lettersSplitter();
  if (name.startsWith('tokenizer:') && name.length > 'tokenizer:'.length) {
    const tokenizer = await new TokenizerCatalog().load(await localTokenizerSource(name.slice('tokenizer:'.length)));
    return tokenizerSplitter(tokenizer);
  }
  throw new UsageError(`--splitter takes unicode, letters or tokenizer:NAME-OR-PATH, got "${name}"`);
}

function choice<T extends string>(text: string | undefined, option: string, allowed: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`${option} takes ${allowed.join(', ')}, got "${text}"`);
  return text as T;
}

function whole(text: string | undefined, option: string, fallback: number, least: number): number {
  return text === undefined ? fallback : wholeNumberOption(text, option, least);
}

function real(text: string | undefined, option: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`${option} takes a number ≥ 0, got "${text}"`);
  return value;
}

const LOG_EVERY_MS = 5000;

/** One stderr line redrawn in place on a terminal; otherwise a line every few seconds. */
function progressReporter(epochs: number): { update(progress: VectorTrainingProgress): void; finish(): void } {
  const terminal = process.stderr.isTTY;
  let lastLogged = 0;
  let drawn = false;
  return {
    update(progress) {
      const line = progressLine(progress, epochs);
      if (terminal) {
        process.stderr.write(`\r\x1b[K${line}`);
        drawn = true;
      } else if (Date.now() - lastLogged >= LOG_EVERY_MS || progress.fraction >= 1) {
        process.stderr.write(`${line}\n`);
        lastLogged = Date.now();
      }
    },
    finish() {
      if (drawn) process.stderr.write('\n');
      drawn = false;
    },
  };
}

function progressLine(progress: VectorTrainingProgress, epochs: number): string {
  const parts = [`${progress.phase} ${(100 * progress.fraction).toFixed(1)}%`];
  if (progress.phase === 'training') {
    parts.push(`epoch ${progress.epoch}/${epochs}`, `${Math.round(progress.wordsPerSecond)} words/s`, `lr ${progress.learningRate.toPrecision(3)}`);
    if (progress.loss !== undefined) parts.push(`loss ${progress.loss.toFixed(4)}`);
    if (progress.etaSeconds !== undefined) parts.push(`ETA ${duration(progress.etaSeconds)}`);
  }
  return parts.join(', ');
}

function duration(seconds: number): string {
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  return minutes > 0 ? `${minutes}m${String(whole % 60).padStart(2, '0')}s` : `${whole}s`;
}

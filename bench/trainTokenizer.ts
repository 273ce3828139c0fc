/**
 * npm run bench:train-tokenizer — our BPE and Unigram trainers beside Debian's spm_train with the same settings
 * (vocab 8000, character coverage 0.9995, every training line, 2 threads for spm_train): time, CPU, peak memory,
 * vocab size, and compression (characters per token) on held-out text that neither trainer saw. Numbers, not assertions.
 *
 * `--mb N`: MB of Gutenberg to train on (default 50; use 2 while developing); `--only botchan,gutenberg`.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TokenizerCatalog } from '../server/src/tokenizers/catalog';
import { gutenbergFile, prefix, requireShared, ScratchDir, splitHeldOut } from './corpora';
import { errorMessage, grouped, MB, nonEmptyLines, workload, type Engine, type Workload } from './measure';
import { describeRun, runMeasured, type ProcessRun } from './measuredProcess';
import { benchOptions, wants } from './options';
import { OURS, ourEngine, sentencePieceEncodeEngine } from './peers';
import type { TrainTokenizerOptions } from '../server/src/tokenizers/training/trainTokenizer';
import type { TrainWorkerReport } from './trainWorker';

const VOCAB_SIZE = 8000;
const CHARACTER_COVERAGE = 0.9995;
const SPM_THREADS = 2;
/** spm_train merges pairs however rare (it has no such setting), so ours gets no minimum either (HF's Python default is 2). */
const MIN_FREQUENCY = 0;
const MODELS = ['bpe', 'unigram'] as const;
type Model = (typeof MODELS)[number];
/** Ours should compress held-out text at least this well relative to spm_train's model (within 2%). */
const COMPRESSION_TARGET = 0.98;

interface TrainingCorpus {
  name: string;
  trainFile: string;
  /** The longest training line in bytes: spm_train skips longer lines, so its limit is set above it. */
  longestLineBytes: number;
  trainLines: number;
  heldOut: Workload;
}

type TrainerResult = { name: string; run: Omit<ProcessRun, 'stdout'>; vocabSize: number; charsPerToken: number; note?: string } | { name: string; error: string };

function trainingCorpus(name: string, text: string, heldOutChars: number, scratch: ScratchDir): TrainingCorpus {
  const { train, heldOut } = splitHeldOut(text, heldOutChars);
  const lines = train.split('\n');
  return {
    name: `${name} · ${grouped(train.length)} chars trained on, ${grouped(heldOut.length)} held out`,
    trainFile: scratch.file(`${name}-train.txt`, train),
    longestLineBytes: lines.reduce((max, line) => Math.max(max, Buffer.byteLength(line)), 0),
    trainLines: lines.length,
    heldOut: workload('held out', nonEmptyLines(heldOut)),
  };
}

/** Characters (code points) per token over the held-out lines: higher is better compression. */
async function charsPerToken(engine: Engine, heldOut: Workload): Promise<number> {
  const tokens = (await engine.encode(heldOut)) ?? (await engine.count!(heldOut));
  const chars = heldOut.texts.reduce((sum, line) => sum + [...line].length, 0);
  return chars / tokens;
}

function vocabSizeOf(tokenizerJsonFile: string): number {
  const vocab = (JSON.parse(readFileSync(tokenizerJsonFile, 'utf8')) as { model: { vocab: unknown[] | object } }).model.vocab;
  return Array.isArray(vocab) ? vocab.length : Object.keys(vocab).length;
}

async function trainOurs(model: Model, corpus: TrainingCorpus, scratch: ScratchDir, vocabSize = VOCAB_SIZE): Promise<TrainerResult> {
  const name = vocabSize === VOCAB_SIZE ? OURS : `${OURS} (vocab ${vocabSize})`;
  try {
    const out = scratch.file(`ours-${model}-${vocabSize}-${path.basename(corpus.trainFile, '.txt')}.json`);
    const options: TrainTokenizerOptions = { model, vocabSize, characterCoverage: CHARACTER_COVERAGE, minFrequency: MIN_FREQUENCY, files: [corpus.trainFile] };
    const args = [path.join(__dirname, 'trainWorker.js'), JSON.stringify(options), out];
    const run = runMeasured(process.execPath, args, { stdout: 'pipe' });
    const report = JSON.parse(run.stdout.toString('utf8')) as TrainWorkerReport;
    let engine: Engine;
    try {
      engine = await ourEngine(new TokenizerCatalog(), out);
    } catch (error) {
      throw new Error(`trained in ${run.seconds.toFixed(1)} s, but our engine cannot load the result: ${errorMessage(error)}`);
    }
    return { name, run: { seconds: run.seconds, ...report }, vocabSize: vocabSizeOf(out), charsPerToken: await charsPerToken(engine, corpus.heldOut) };
  } catch (error) {
    return { name, error: errorMessage(error) };
  }
}

async function trainSentencePiece(model: Model, corpus: TrainingCorpus, scratch: ScratchDir): Promise<TrainerResult> {
  const name = `spm_train (${SPM_THREADS} threads)`;
  const modelPrefix = scratch.file(`spm-${model}-${path.basename(corpus.trainFile, '.txt')}`);
  const args = [
    `--input=${corpus.trainFile}`,
    `--model_prefix=${modelPrefix}`,
    `--vocab_size=${VOCAB_SIZE}`,
    `--model_type=${model}`,
    `--character_coverage=${CHARACTER_COVERAGE}`,
    // Every line, in order, none skipped for length: the same data our trainer reads.
    `--input_sentence_size=${corpus.trainLines}`,
    '--shuffle_input_sentence=false',
    `--max_sentence_length=${Math.max(4192, corpus.longestLineBytes + 1)}`,
    `--num_threads=${SPM_THREADS}`,
    '--minloglevel=1',
  ];
  try {
    let run: ProcessRun;
    let note: string | undefined;
    try {
      run = runMeasured('spm_train', args, { stdout: 'ignore' });
    } catch (error) {
      // A small corpus (botchan) has fewer candidate pieces than the vocab asks for: spm_train then refuses with a
      // hard limit, so it runs again with a soft one, and the differing vocab is said beside the figures.
      const limit = /Vocabulary size too high .*?<= (\d+)/.exec(errorMessage(error));
      if (!limit) throw error;
      run = runMeasured('spm_train', [...args, '--hard_vocab_limit=false'], { stdout: 'ignore' });
      note = `spm_train cannot make ${VOCAB_SIZE} pieces from this corpus (at most ${limit[1]}); it ran with --hard_vocab_limit=false, so the vocabs differ`;
    }
    const vocabSize = readFileSync(`${modelPrefix}.vocab`, 'utf8').split('\n').filter((line) => line.length > 0).length;
    const encoder = sentencePieceEncodeEngine(`${modelPrefix}.model`, scratch);
    return { name, run, vocabSize, charsPerToken: await charsPerToken(encoder, corpus.heldOut), note };
  } catch (error) {
    return { name, error: errorMessage(error) };
  }
}

/** Ours beside spm_train; where spm_train made a smaller vocab, ours again at that size, so compression compares like with like. */
async function compareTrainers(model: Model, corpus: TrainingCorpus, scratch: ScratchDir): Promise<void> {
  const ours = await trainOurs(model, corpus, scratch);
  const spm = await trainSentencePiece(model, corpus, scratch);
  const results = [ours, spm];
  let sameVocab = ours;
  if ('vocabSize' in spm && 'vocabSize' in ours && spm.vocabSize < ours.vocabSize) results.push((sameVocab = await trainOurs(model, corpus, scratch, spm.vocabSize)));
  console.log(`${corpus.name} · ${model}`);
  for (const result of results) {
    const figures = 'error' in result ? `n/a (${result.error})` : `${describeRun(result.run)} · vocab ${grouped(result.vocabSize)} · ${result.charsPerToken.toFixed(3)} chars/token`;
    console.log(`  ${result.name.padEnd(30)} ${figures}`);
  }
  if (!('error' in ours) && !('error' in spm) && !('error' in sameVocab)) {
    const compression = sameVocab.charsPerToken / spm.charsPerToken;
    const verdict = compression >= COMPRESSION_TARGET ? '✓' : '✗';
    const label = `ours ÷ spm_train${sameVocab === ours ? '' : ` (vocab ${grouped(sameVocab.vocabSize)})`}`;
    console.log(`  ${label.padEnd(30)} time ${(ours.run.seconds / spm.run.seconds).toFixed(2)}x spm_train's · chars/token ${compression.toFixed(3)} ${verdict} (target ≥ ${COMPRESSION_TARGET})`);
  }
  for (const result of results) if ('note' in result && result.note) console.log(`  note: ${result.note}`);
  console.log('');
}

async function main(): Promise<void> {
  const options = benchOptions('out/bench/trainTokenizer.js', 50, ['botchan', 'gutenberg']);
  const shared = requireShared('bench:train-tokenizer');
  console.log(`# bench:train-tokenizer · node ${process.version} · ${new Date().toISOString()}`);
  console.log(`  vocab ${VOCAB_SIZE}, character coverage ${CHARACTER_COVERAGE}, min frequency ${MIN_FREQUENCY}; ours in a child process, spm_train with ${SPM_THREADS} threads`);
  console.log('  compression: characters per token on held-out lines (higher is better); time: wall clock of the whole process\n');
  const scratch = new ScratchDir();
  try {
    const corpora: TrainingCorpus[] = [];
    if (wants(options, 'botchan')) {
      const botchan = readFileSync(path.join(shared, 'corpora', 'botchan.txt'), 'utf8');
      corpora.push(trainingCorpus('botchan', botchan, Math.round(botchan.length / 10), scratch));
    }
    if (wants(options, 'gutenberg')) {
      corpora.push(trainingCorpus(`gutenberg-${options.mb}MB`, prefix(gutenbergFile(shared), (options.mb + 1) * MB), MB, scratch));
    }
    for (const corpus of corpora) {
      for (const model of MODELS) await compareTrainers(model, corpus, scratch);
    }
  } finally {
    scratch.dispose();
  }
}

void main();

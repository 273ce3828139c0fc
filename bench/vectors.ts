/**
 * npm run bench:vectors — our word2vec (skip-gram, CBOW), fastText and GloVe trainers beside Debian's fastText 0.9.2
 * and gensim 4.2.0 in one run, with the settings (dim 100, window 5, negative 5, min count 5, sample 1e-3,
 * 5 epochs, 2 threads) on Gutenberg lower-cased and split on non-letters: words/s, wall time, peak memory, and each
 * model's analogy accuracy (questions-words, top 30,000 words) and Spearman on WordSim-353 and SimLex-999.
 * Numbers, not assertions: targets are marked ✓/✗.
 *
 * `--corpus-mb N`: use the first N MB of Gutenberg (default: all 60); `--only word2vec-sg,word2vec-cbow,fasttext-sg,glove`.
 */
import { createWriteStream, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { forEachCorpusLine } from '../server/src/tokenizers/training/corpusLines';
import { evaluateWordAnalogies } from '../server/src/vectors/evaluation/wordAnalogies';
import { evaluateWordPairs } from '../server/src/vectors/evaluation/wordPairs';
import { readVectorFile } from '../server/src/vectors/vectorFiles';
import { DEFAULT_VECTOR_TRAINING, type VectorTrainingOptions } from '../server/src/vectors/training/vectorTrainingTypes';
import { lettersSplitter } from '../server/src/vectors/training/wordSplitters';
import { gutenbergFile, requireShared, ScratchDir } from './corpora';
import { errorMessage, grouped, MB } from './measure';
import { runMeasured, type ProcessRun } from './measuredProcess';
import { fastTextAvailable, gensimAvailable, runFastText, runGensim, type PeerSettings } from './vectorsPeers';
import type { VectorsWorkerReport } from './vectorsWorker';

const SETTINGS: PeerSettings = { dim: 100, window: 5, negative: 5, minCount: 5, sample: 1e-3, epochs: 5, threads: 2 };
const RESTRICT_VOCAB = 30_000;
/** Targets: at least the fastest peer's words/s; within these of the best peer's quality. */
const ANALOGY_POINTS = 1;
const SPEARMAN_GAP = 0.02;

const GROUPS = ['word2vec-sg', 'word2vec-cbow', 'fasttext-sg', 'glove'] as const;
type Group = (typeof GROUPS)[number];

interface Trainer {
  name: string;
  ours: boolean;
  /** Trains and writes `vecFile`; the process's figures. */
  train(corpus: string, vecFile: string): ProcessRun & { trainSeconds?: number };
}

interface Quality {
  analogy: number;
  wordsim: number;
  simlex: number;
}

type Result = { name: string; ours: boolean; run: ProcessRun & { trainSeconds?: number }; wordsPerSecond: number; quality: Quality } | { name: string; ours: boolean; error: string };

function ourTrainer(name: string, options: Partial<VectorTrainingOptions>): Trainer {
  const request: VectorTrainingOptions = { ...DEFAULT_VECTOR_TRAINING, ...SETTINGS, ...options };
  return {
    name,
    ours: true,
    train(corpus, vecFile) {
      const run = runMeasured(process.execPath, [path.join(__dirname, 'vectorsWorker.js'), JSON.stringify(request), corpus, vecFile], { stdout: 'pipe' });
      rmSync(vecFile.replace(/\.vec$/, '.bin'), { force: true });
      const report = JSON.parse(run.stdout.toString('utf8')) as VectorsWorkerReport;
      return { ...run, trainSeconds: report.seconds };
    },
  };
}

function trainersOf(group: Group): Trainer[] {
  const fastText = fastTextAvailable();
  const gensim = gensimAvailable();
  const unavailable = (name: string, why: string): Trainer => ({
    name,
    ours: false,
    train: () => {
      throw new Error(why);
    },
  });
  const fastTextPeer = (mode: 'skipgram' | 'cbow', subwords: boolean): Trainer => {
    const name = `fasttext ${mode}${subwords ? ' (n-grams 3-6)' : ' -minn 0 -maxn 0'}`;
    if (fastText) return unavailable(name, fastText);
    return { name, ours: false, train: (corpus, vecFile) => runFastText(mode, subwords, corpus, vecFile.replace(/\.vec$/, ''), SETTINGS) };
  };
  const gensimPeer = (mode: 'skipgram' | 'cbow'): Trainer => {
    const name = `gensim Word2Vec sg=${mode === 'skipgram' ? 1 : 0}`;
    if (gensim) return unavailable(name, gensim);
    return { name, ours: false, train: (corpus, vecFile) => runGensim(mode, corpus, vecFile, SETTINGS) };
  };
  switch (group) {
    case 'word2vec-sg':
      return [ourTrainer('ours word2vec skip-gram', { algo: 'word2vec', mode: 'skipgram' }), fastTextPeer('skipgram', false), gensimPeer('skipgram')];
    case 'word2vec-cbow':
      return [ourTrainer('ours word2vec CBOW', { algo: 'word2vec', mode: 'cbow' }), fastTextPeer('cbow', false), gensimPeer('cbow')];
    case 'fasttext-sg':
      return [ourTrainer('ours fastText skip-gram', { algo: 'fasttext', mode: 'skipgram' }), fastTextPeer('skipgram', true)];
    case 'glove':
      return [ourTrainer('ours GloVe', { algo: 'glove', learningRate: undefined })];
  }
}

/**
 * The first `mb` MB of Gutenberg, lower-cased and split on non-letters, one line in, one line out, words joined by
 * single spaces; kept in the temp folder between runs. Returns the file and its word count.
 */
async function preparedCorpus(shared: string, mb: number): Promise<{ file: string; words: number }> {
  const file = path.join(tmpdir(), `embedding-lens-bench-gutenberg-letters-${mb}MB.txt`);
  const countFile = `${file}.words`;
  if (existsSync(file) && existsSync(countFile)) return { file, words: Number(readFileSync(countFile, 'utf8')) };
  const source = gutenbergFile(shared);
  const limit = Math.min(statSync(source).size, Math.round(mb * MB));
  const partial = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(partial);
  const splitter = lettersSplitter();
  let words = 0;
  let bytes = 0;
  let pending: string[] = [];
  const flush = async (): Promise<void> => {
    if (!out.write(pending.join(''))) await once(out, 'drain');
    pending = [];
  };
  const lines: string[] = [];
  await forEachCorpusLine([source], { keepLineEnds: false }, (line) => lines.push(line));
  for (const line of lines) {
    bytes += Buffer.byteLength(line) + 1;
    if (bytes > limit) break;
    const lineWords = splitter.words(line);
    words += lineWords.length;
    pending.push(`${lineWords.join(' ')}\n`);
    if (pending.length >= 10_000) await flush();
  }
  await flush();
  out.end();
  await once(out, 'close');
  renameSync(partial, file);
  writeFileSync(countFile, `${words}`);
  return { file, words };
}

async function evaluate(vecFile: string, shared: string): Promise<Quality> {
  const { vectors } = await readVectorFile(vecFile);
  const evalDir = path.join(shared, 'eval');
  const analogies = await evaluateWordAnalogies(vectors, path.join(evalDir, 'questions-words.txt'), { restrictVocab: RESTRICT_VOCAB });
  const wordsim = await evaluateWordPairs(vectors, path.join(evalDir, 'wordsim353.tsv'));
  const simlex = await evaluateWordPairs(vectors, path.join(evalDir, 'simlex999.txt'));
  return { analogy: analogies.score * 100, wordsim: wordsim.spearman.rho, simlex: simlex.spearman.rho };
}

async function runGroup(group: Group, corpus: { file: string; words: number }, shared: string, scratch: ScratchDir): Promise<Result[]> {
  const results: Result[] = [];
  for (const trainer of trainersOf(group)) {
    const vecFile = scratch.file(`${group}-${trainer.name.replace(/[^a-z0-9]+/gi, '-')}.vec`);
    process.stderr.write(`  training ${trainer.name}…\n`);
    try {
      const run = trainer.train(corpus.file, vecFile);
      const quality = await evaluate(vecFile, shared);
      rmSync(vecFile, { force: true });
      results.push({ name: trainer.name, ours: trainer.ours, run, wordsPerSecond: (corpus.words * SETTINGS.epochs) / run.seconds, quality });
    } catch (error) {
      results.push({ name: trainer.name, ours: trainer.ours, error: errorMessage(error) });
    }
  }
  return results;
}

function printGroup(group: Group, results: readonly Result[]): void {
  console.log(`## ${group}`);
  console.log(`  ${'trainer'.padEnd(34)} ${'words/s'.padStart(10)} ${'wall s'.padStart(8)} ${'train s'.padStart(8)} ${'peak MB'.padStart(8)} ${'analogy %'.padStart(10)} ${'WS353 ρ'.padStart(8)} ${'SimLex ρ'.padStart(9)}`);
  for (const r of results) {
    if ('error' in r) {
      console.log(`  ${r.name.padEnd(34)} n/a (${r.error})`);
      continue;
    }
    const memory = r.run.maxRssKb === undefined ? 'n/a' : (r.run.maxRssKb / 1024).toFixed(0);
    console.log(
      `  ${r.name.padEnd(34)} ${grouped(Math.round(r.wordsPerSecond)).padStart(10)} ${r.run.seconds.toFixed(1).padStart(8)} ${(r.run.trainSeconds?.toFixed(1) ?? '').padStart(8)} ${memory.padStart(8)} ` +
        `${r.quality.analogy.toFixed(2).padStart(10)} ${r.quality.wordsim.toFixed(3).padStart(8)} ${r.quality.simlex.toFixed(3).padStart(9)}`,
    );
  }
  const ours = results.find((r) => r.ours);
  const peers = results.filter((r): r is Extract<Result, { run: ProcessRun }> => !r.ours && !('error' in r));
  if (ours && !('error' in ours) && peers.length > 0) {
    const best = (pick: (r: (typeof peers)[number]) => number): number => Math.max(...peers.map(pick));
    const mark = (ok: boolean): string => (ok ? '✓' : '✗');
    const speed = best((r) => r.wordsPerSecond);
    const analogy = best((r) => r.quality.analogy);
    const wordsim = best((r) => r.quality.wordsim);
    const simlex = best((r) => r.quality.simlex);
    console.log(
      `  targets: words/s ${(ours.wordsPerSecond / speed).toFixed(2)}x the fastest peer ${mark(ours.wordsPerSecond >= speed)} · ` +
        `analogy ${(ours.quality.analogy - analogy).toFixed(2)} points vs best ${mark(ours.quality.analogy >= analogy - ANALOGY_POINTS)} · ` +
        `WS353 ${(ours.quality.wordsim - wordsim).toFixed(3)} ${mark(ours.quality.wordsim >= wordsim - SPEARMAN_GAP)} · ` +
        `SimLex ${(ours.quality.simlex - simlex).toFixed(3)} ${mark(ours.quality.simlex >= simlex - SPEARMAN_GAP)}`,
    );
  }
  console.log('');
}

async function main(): Promise<void> {
  const usage = `usage: node out/bench/vectors.js [--corpus-mb N (default 60)] [--only ${GROUPS.join(',')}]`;
  let mb: number;
  let only: Group[];
  try {
    const { values } = parseArgs({ options: { 'corpus-mb': { type: 'string' }, only: { type: 'string' } } });
    mb = values['corpus-mb'] === undefined ? 60 : Number(values['corpus-mb']);
    only = (values.only?.split(',') ?? [...GROUPS]) as Group[];
    if (!(mb > 0) || only.some((group) => !GROUPS.includes(group))) throw new Error('bad value');
  } catch {
    console.error(usage);
    process.exit(2);
  }
  const shared = requireShared('bench:vectors');
  console.log(`# bench:vectors · node ${process.version} · ${new Date().toISOString()}`);
  const corpus = await preparedCorpus(shared, mb);
  console.log(`  corpus: Gutenberg first ${mb} MB, lower-cased, split on non-letters: ${grouped(corpus.words)} words (${corpus.file})`);
  console.log(`  settings: dim ${SETTINGS.dim}, window ${SETTINGS.window}, negative ${SETTINGS.negative}, min count ${SETTINGS.minCount}, sample ${SETTINGS.sample}, ${SETTINGS.epochs} epochs, ${SETTINGS.threads} threads`);
  console.log(`  words/s = corpus words × epochs / wall time of the whole process (reading, training, writing); train s: ours' training alone`);
  console.log(`  quality: analogy accuracy on questions-words.txt (top ${grouped(RESTRICT_VOCAB)} words), Spearman ρ on WordSim-353 and SimLex-999`);
  console.log(`  targets: words/s ≥ the fastest peer's; analogy within ${ANALOGY_POINTS} point and ρ within ${SPEARMAN_GAP} of the best peer\n`);
  const scratch = new ScratchDir();
  try {
    for (const group of only) printGroup(group, await runGroup(group, corpus, shared, scratch));
  } finally {
    scratch.dispose();
  }
}

void main();

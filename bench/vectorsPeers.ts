/**
 * The peers of bench:vectors, each run as a process with the same settings: Debian's fastText 0.9.2 (word2vec
 * settings with -minn 0 -maxn 0, or with its character n-grams) and Debian's gensim 4.2.0 Word2Vec.
 */
import { existsSync, rmSync } from 'node:fs';
import { runMeasured, type ProcessRun } from './measuredProcess';

export interface PeerSettings {
  dim: number;
  window: number;
  negative: number;
  minCount: number;
  sample: number;
  epochs: number;
  threads: number;
}

export const GENSIM_PYTHON = '/usr/bin/python3';

/** `fasttext skipgram|cbow`; writes OUT.vec (and OUT.bin, removed: the bench reads the .vec). */
export function runFastText(mode: 'skipgram' | 'cbow', subwords: boolean, corpus: string, outPrefix: string, s: PeerSettings): ProcessRun {
  const args = [mode, '-input', corpus, '-output', outPrefix, '-dim', `${s.dim}`, '-ws', `${s.window}`, '-neg', `${s.negative}`, '-minCount', `${s.minCount}`, '-t', `${s.sample}`, '-epoch', `${s.epochs}`, '-thread', `${s.threads}`, '-verbose', '0'];
  if (!subwords) args.push('-minn', '0', '-maxn', '0');
  const run = runMeasured('fasttext', args, { stdout: 'ignore' });
  rmSync(`${outPrefix}.bin`, { force: true });
  return run;
}

/** gensim's Word2Vec on a LineSentence corpus; writes OUT.vec in word2vec text format. */
export function runGensim(mode: 'skipgram' | 'cbow', corpus: string, outFile: string, s: PeerSettings): ProcessRun {
  const script = [
    'import sys',
    'from gensim.models import Word2Vec',
    'from gensim.models.word2vec import LineSentence',
    `model = Word2Vec(LineSentence(sys.argv[1]), sg=${mode === 'skipgram' ? 1 : 0}, vector_size=${s.dim}, window=${s.window}, negative=${s.negative}, hs=0, ` +
      `min_count=${s.minCount}, sample=${s.sample}, epochs=${s.epochs}, workers=${s.threads}, seed=1)`,
    'model.wv.save_word2vec_format(sys.argv[2])',
  ].join('\n');
  return runMeasured(GENSIM_PYTHON, ['-c', script, corpus, outFile], { stdout: 'ignore' });
}

export function gensimAvailable(): string | undefined {
  if (!existsSync(GENSIM_PYTHON)) return `${GENSIM_PYTHON} is absent`;
  try {
    runMeasured(GENSIM_PYTHON, ['-c', 'import gensim'], { stdout: 'ignore' });
    return undefined;
  } catch {
    return `gensim is not installed for ${GENSIM_PYTHON}`;
  }
}

export function fastTextAvailable(): string | undefined {
  try {
    runMeasured('fasttext', ['skipgram', '-h'], { stdout: 'ignore' });
    return undefined;
  } catch (error) {
    return /ENOENT/.test(String(error)) ? 'fasttext is not installed' : undefined;
  }
}

/**
 * The embeddingLens/evaluateWordVectors request: analogy accuracy and word-pair correlations, as gensim reports them,
 * computed in a worker thread (evaluateWorker.ts) with work-done progress and cancel.
 */
import type { CancellationToken, Connection } from 'vscode-languageserver';
import type { EvaluateWordVectorsResult, WeatRequest } from '../protocol';
import { DEFAULT_RESTRICT_VOCAB } from '../vectors/evaluation/evaluationVocabulary';
import { readWeatFile } from '../vectors/evaluation/weatFile';
import { weatSet, type WeatWordSets } from '../vectors/evaluation/weatSets';
import type { WordVectors } from '../vectors/wordVectors';
import { JobCancelled, runJobInWorker } from '../workers/jobInWorker';
import type { LoadedWordVectors } from './activeWordVectors';
import { EVALUATE_WORKER_ROLE, type EvaluateJob, type EvaluateProgress, type EvaluateSummary } from './evaluateWorker';
import { cancelled, failed, InvalidParams, optionalBoolean, optionalString, optionalStrings, optionalWholeNumber, optionalWorkDoneToken, paramsObject } from '../requestErrors';
import type { WordVectorsSettingsReader } from './wordVectorsSettings';

export interface EvaluateContext {
  connection: Connection;
  /** The server bundle, started again as the evaluation worker. */
  script: string;
  settings: WordVectorsSettingsReader;
  cancel: CancellationToken;
  /** The active vectors, loaded if needed (throws a ResponseError when there are none). */
  vectors(): Promise<LoadedWordVectors>;
}

/** The request's params, checked, with the files made absolute. */
interface EvaluateRequest {
  analogies: string | undefined;
  pairs: string[];
  weat: WeatRequest | undefined;
  restrictVocab: number | undefined;
  caseInsensitive: boolean | undefined;
  workDoneToken: string | number | undefined;
}

export async function evaluateVectors(raw: unknown, context: EvaluateContext): Promise<EvaluateWordVectorsResult> {
  const request = checkedParams(raw, context.settings);
  const { info, vectors } = await context.vectors();
  const abort = new AbortController();
  const subscription = context.cancel.onCancellationRequested(() => abort.abort());
  const progress = context.connection.window.attachWorkDoneProgress(request.workDoneToken);
  progress.begin('Evaluating word vectors', 0, request.analogies ? 'analogies' : request.pairs.length > 0 ? 'word pairs' : 'WEAT', true);
  let lastPercent = -1;
  const onProgress = (event: EvaluateProgress): void => {
    const percent = Math.max(lastPercent, progressPercent(event, request));
    if (percent === lastPercent && event.phase !== 'pairs') return;
    lastPercent = percent;
    progress.report(percent, progressMessage(event));
  };
  try {
    const job = await evaluateJob(vectors, request);
    const summary = await runJobInWorker<EvaluateJob, EvaluateSummary, EvaluateProgress>(context.script, EVALUATE_WORKER_ROLE, job, onProgress, abort.signal);
    return { vectors: info.path, ...summary };
  } catch (error) {
    if (error instanceof JobCancelled || abort.signal.aborted) throw cancelled('the evaluation was cancelled');
    throw failed((error as Error).message);
  } finally {
    progress.done();
    subscription.dispose();
  }
}

/**
 * Analogies and word pairs look at the first restrictVocab rows only (gensim's rule): the worker gets those, copied
 * once into shared memory (a memcpy, much faster than reading the file again). WEAT gets the vectors of its words.
 */
async function evaluateJob(vectors: WordVectors, request: EvaluateRequest): Promise<EvaluateJob> {
  const rowCount = request.analogies || request.pairs.length > 0 ? Math.min(request.restrictVocab ?? DEFAULT_RESTRICT_VOCAB, vectors.size) : 0;
  const rows = sharedRows(rowCount * vectors.dim);
  rows.set(vectors.data.subarray(0, rowCount * vectors.dim));
  const { analogies, pairs, restrictVocab, caseInsensitive } = request;
  const weat = request.weat && { request: request.weat, ...(await weatVectors(vectors, request.weat)) };
  return { words: vectors.words.slice(0, rowCount), dim: vectors.dim, rows, analogies, pairs, restrictVocab, caseInsensitive, weat };
}

/**
 * Every spelling WEAT may look up for the words of the requested sets (as written, and lower-cased) that has a vector,
 * with that vector. Unknown set ids and unreadable files are left to the worker, which reports them.
 */
async function weatVectors(vectors: WordVectors, request: WeatRequest): Promise<{ words: string[]; rows: Float32Array }> {
  const sets: WeatWordSets[] = (request.sets ?? []).flatMap((id) => weatSet(id) ?? []);
  for (const file of request.files ?? []) sets.push(...(await readWeatFile(file).catch(() => [])));
  const found = new Map<string, Float32Array>();
  for (const set of sets) {
    for (const word of [...set.targetX, ...set.targetY, ...set.attributeA, ...set.attributeB]) {
      for (const spelling of [word, word.toLowerCase()]) {
        const vector = found.has(spelling) ? undefined : vectors.vector(spelling);
        if (vector) found.set(spelling, vector);
      }
    }
  }
  const rows = sharedRows(found.size * vectors.dim);
  [...found.values()].forEach((vector, i) => rows.set(vector, i * vectors.dim));
  return { words: [...found.keys()], rows };
}

function sharedRows(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT));
}

function checkedParams(raw: unknown, settings: WordVectorsSettingsReader): EvaluateRequest {
  const params = paramsObject(raw, 'evaluate word vectors');
  const analogies = optionalString(params, 'analogies');
  const pairs = optionalStrings(params, 'pairs', true) ?? [];
  const weat = params.weat === undefined ? undefined : weatRequest(params.weat);
  if (!analogies && pairs.length === 0 && !weat) throw new InvalidParams('give an analogy file (analogies), word-pair files (pairs) or WEAT sets (weat) to evaluate with');
  return {
    analogies: analogies ? settings.resolve(analogies) : undefined,
    pairs: pairs.map((file) => settings.resolve(file)),
    weat: weat && { sets: weat.sets, files: weat.files?.map((file) => settings.resolve(file)) },
    restrictVocab: optionalWholeNumber(params, 'restrictVocab', 1, Number.MAX_SAFE_INTEGER),
    caseInsensitive: optionalBoolean(params, 'caseInsensitive'),
    workDoneToken: optionalWorkDoneToken(params),
  };
}

function weatRequest(raw: unknown): WeatRequest {
  const params = paramsObject(raw, 'weat');
  const request = { sets: optionalStrings(params, 'sets', true), files: optionalStrings(params, 'files', true) };
  if (!request.sets && !request.files) throw new InvalidParams('weat: give built-in set ids (sets) or WEAT files (files)');
  return request;
}

/** Analogies take most of the time when there are some: 0–90 %, the word-pair files the rest. */
function progressPercent(event: EvaluateProgress, request: EvaluateRequest): number {
  const share = request.analogies === undefined ? 0 : request.pairs.length === 0 && !request.weat ? 100 : 90;
  const fraction = event.total > 0 ? event.done / event.total : 0;
  if (event.phase === 'weat') return 95;
  return Math.floor(event.phase === 'analogies' ? share * fraction : share + (100 - share) * fraction);
}

function progressMessage(event: EvaluateProgress): string {
  if (event.phase === 'weat') return 'WEAT';
  return event.phase === 'analogies'
    ? `analogies: ${event.done.toLocaleString('en-US')} of ${event.total.toLocaleString('en-US')} words scanned`
    : `word pairs: file ${event.done + 1} of ${event.total}`;
}

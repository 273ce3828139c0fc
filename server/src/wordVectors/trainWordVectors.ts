/**
 * The embeddingLens/trainWordVectors request: trains on workspace files in a worker thread with work-done progress,
 * has the worker write into a staging folder, and moves the files into `.embedding-lens/vectors/` only once
 * everything is written, so a cancel or a failure leaves nothing behind. The result becomes the active vectors.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { CancellationToken, Connection, ResponseError } from 'vscode-languageserver';
import type { TrainWordVectorsParams, TrainWordVectorsResult } from '../protocol';
import { expandCorpusPaths } from '../tokenizers/training/corpusFiles';
import { fastTextBinPath } from '../vectors/training/saveTrainedVectors';
import { DEFAULT_VECTOR_TRAINING, type VectorTrainingOptions, type VectorTrainingProgress } from '../vectors/training/vectorTrainingTypes';
import { JobCancelled, runJobInWorker } from '../workers/jobInWorker';
import { cancelled, failed, InvalidParams, optionalBoolean, optionalChoice, optionalNumber, optionalString, optionalStrings, optionalWholeNumber, optionalWorkDoneToken, paramsObject } from '../requestErrors';
import { progressMessage, progressPercent } from './trainingProgressMessage';
import { VECTOR_TRAIN_WORKER_ROLE, type VectorTrainJob, type VectorTrainSummary } from './vectorTrainWorker';
import type { WordVectorsSettingsReader } from './wordVectorsSettings';

/** Where trained vectors go, under the workspace folder. */
const TRAINED_VECTORS_FOLDER = path.join('.embedding-lens', 'vectors');

export interface TrainContext {
  connection: Connection;
  /** The server bundle, started again as the training worker. */
  script: string;
  settings: WordVectorsSettingsReader;
  cancel: CancellationToken;
  /** Makes the written file the active vectors. */
  activate(file: string): Promise<unknown>;
}

/** Trains as the params say; bad params throw InvalidParams, which the caller answers with. */
export async function trainWordVectors(raw: unknown, context: TrainContext): Promise<TrainWordVectorsResult | ResponseError<void>> {
  const { connection, settings } = context;
  const root = settings.workspaceRoot;
  const params = checkedParams(raw);
  const resolve = (p: string): string => settings.resolve(p);
  const given = (params.paths ?? []).map(resolve);
  const sources = given.length > 0 ? given : root ? [root] : undefined;
  if (!sources) return failed('no workspace folder is open; give the files or folders to train on');
  const options = trainingOptions(params);
  const name = params.name ?? defaultName(options);
  if (!/^[\w.-]+$/u.test(name)) return failed(`"${name}" cannot be a file name: use letters, digits, ".", "-" and "_"`);
  const vecPath = params.output ? resolve(params.output) : root ? path.join(root, TRAINED_VECTORS_FOLDER, `${name}.vec`) : undefined;
  if (!vecPath) return failed('no workspace folder to save the vectors in; give an output path');
  const binPath = options.algo === 'fasttext' ? fastTextBinPath(vecPath) : undefined;

  const abort = new AbortController();
  const subscription = context.cancel.onCancellationRequested(() => abort.abort());
  const progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
  progress.begin(`Training ${options.algo} vectors`, 0, 'finding text files', true);
  // A fresh folder beside the output: renames from it are atomic, and removing it removes every partial file.
  const staging = path.join(path.dirname(vecPath), `.training-${randomBytes(6).toString('hex')}`);
  const started = Date.now();
  try {
    const files = await expandCorpusPaths(sources, abort.signal);
    if (files.length === 0) return failed(`no text files to train on in ${sources.join(', ')}`);
    await mkdir(staging, { recursive: true });
    const staged = { vecPath: path.join(staging, path.basename(vecPath)), binPath: binPath && fastTextBinPath(path.join(staging, path.basename(vecPath))) };
    let lastPercent = -1;
    let lastMessage = '';
    const summary = await runJobInWorker<VectorTrainJob, VectorTrainSummary, VectorTrainingProgress>(
      context.script,
      VECTOR_TRAIN_WORKER_ROLE,
      { files, options, lowercase: params.lowercase ?? true, vecPath: staged.vecPath },
      (event) => {
        const percent = progressPercent(event);
        const message = progressMessage(event, options.epochs, files.length);
        if (percent === lastPercent && message === lastMessage) return;
        progress.report(Math.max(percent, lastPercent), message);
        lastPercent = Math.max(percent, lastPercent);
        lastMessage = message;
      },
      abort.signal,
    );
    if (abort.signal.aborted) throw new JobCancelled(VECTOR_TRAIN_WORKER_ROLE);
    await moveIntoPlace(staged, { vecPath, binPath });
    const result = { path: vecPath, binPath, words: summary.words, dim: options.dim, files: files.length, tokens: summary.tokens, seconds: (Date.now() - started) / 1000 };
    progress.report(100, 'loading the trained vectors');
    try {
      await context.activate(binPath ?? vecPath);
    } catch (error) {
      return failed(`trained and saved to ${binPath ?? vecPath}, but loading it failed: ${(error as Error).message}`);
    }
    return result;
  } catch (error) {
    if (error instanceof JobCancelled || abort.signal.aborted) return cancelled('word-vector training was cancelled; nothing was written');
    return failed((error as Error).message);
  } finally {
    await rm(staging, { recursive: true, force: true });
    progress.done();
    subscription.dispose();
  }
}

/**
 * The .vec, then fastText's .bin, from the staging folder to their places; if the .bin cannot follow, the .vec goes
 * too, so no half of a model is left.
 */
async function moveIntoPlace(staged: { vecPath: string; binPath: string | undefined }, target: { vecPath: string; binPath: string | undefined }): Promise<void> {
  await rename(staged.vecPath, target.vecPath);
  if (!staged.binPath || !target.binPath) return;
  try {
    await rename(staged.binPath, target.binPath);
  } catch (error) {
    await rm(target.vecPath, { force: true });
    throw error;
  }
}

/** The request's params, checked field by field (any LSP client may send them). */
function checkedParams(raw: unknown): TrainWordVectorsParams {
  const params = paramsObject(raw, 'train word vectors');
  const algo = optionalChoice(params, 'algo', ['word2vec', 'fasttext', 'glove'] as const);
  if (algo === undefined) throw new InvalidParams('algo is required: word2vec, fasttext or glove');
  return {
    algo,
    mode: optionalChoice(params, 'mode', ['skipgram', 'cbow'] as const),
    loss: optionalChoice(params, 'loss', ['ns', 'hs'] as const),
    dim: optionalWholeNumber(params, 'dim', 1, 10_000),
    window: optionalWholeNumber(params, 'window', 1, 1000),
    epochs: optionalWholeNumber(params, 'epochs', 1, 10_000),
    minCount: optionalWholeNumber(params, 'minCount', 1, Number.MAX_SAFE_INTEGER),
    negative: optionalWholeNumber(params, 'negative', 0, 1000),
    threads: optionalWholeNumber(params, 'threads', 1, 256),
    sample: optionalNumber(params, 'sample', 0, 1),
    minn: optionalWholeNumber(params, 'minn', 0, 100),
    maxn: optionalWholeNumber(params, 'maxn', 0, 100),
    lowercase: optionalBoolean(params, 'lowercase'),
    paths: optionalStrings(params, 'paths', true),
    name: optionalString(params, 'name'),
    output: optionalString(params, 'output'),
    workDoneToken: optionalWorkDoneToken(params),
  };
}

/** The engine's options from the checked params. */
function trainingOptions(params: TrainWordVectorsParams): VectorTrainingOptions {
  return {
    ...DEFAULT_VECTOR_TRAINING,
    algo: params.algo,
    mode: params.mode ?? DEFAULT_VECTOR_TRAINING.mode,
    loss: params.loss ?? DEFAULT_VECTOR_TRAINING.loss,
    dim: params.dim ?? DEFAULT_VECTOR_TRAINING.dim,
    window: params.window ?? DEFAULT_VECTOR_TRAINING.window,
    epochs: params.epochs ?? DEFAULT_VECTOR_TRAINING.epochs,
    minCount: params.minCount ?? DEFAULT_VECTOR_TRAINING.minCount,
    negative: params.negative ?? DEFAULT_VECTOR_TRAINING.negative,
    threads: params.threads ?? DEFAULT_VECTOR_TRAINING.threads,
    sample: params.sample ?? DEFAULT_VECTOR_TRAINING.sample,
    minn: params.minn ?? DEFAULT_VECTOR_TRAINING.minn,
    maxn: params.maxn ?? DEFAULT_VECTOR_TRAINING.maxn,
  };
}

/** word2vec-skipgram-100, fasttext-cbow-50, glove-100. */
function defaultName(options: VectorTrainingOptions): string {
  return options.algo === 'glove' ? `glove-${options.dim}` : `${options.algo}-${options.mode}-${options.dim}`;
}

/**
 * The embeddingLens/trainWordVectors request: trains on workspace files in a worker thread with work-done progress,
 * has the worker write into a staging folder, and moves the files into `.embedding-lens/vectors/` only once
 * everything is written, so a cancel or a failure leaves nothing behind. The result becomes the active vectors.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver';
import type { TrainWordVectorsParams, TrainWordVectorsResult } from '../protocol';
import { expandCorpusPaths } from '../tokenizers/training/corpusFiles';
import { fastTextBinPath } from '../vectors/training/saveTrainedVectors';
import { DEFAULT_VECTOR_TRAINING, type VectorTrainingOptions, type VectorTrainingProgress } from '../vectors/training/vectorTrainingTypes';
import { JobCancelled, runJobInWorker } from '../workers/jobInWorker';
import { progressMessage, progressPercent } from './trainingProgressMessage';
import { VECTOR_TRAIN_WORKER_ROLE, type VectorTrainJob, type VectorTrainSummary } from './vectorTrainWorker';
import type { WordVectorsSettingsReader } from './wordVectorsSettings';

/** Where trained vectors go, under the workspace folder. */
export const TRAINED_VECTORS_FOLDER = path.join('.embedding-lens', 'vectors');

export interface TrainContext {
  connection: Connection;
  /** The server bundle, started again as the training worker. */
  script: string;
  settings: WordVectorsSettingsReader;
  cancel: CancellationToken;
  /** Makes the written file the active vectors. */
  activate(file: string): Promise<unknown>;
}

export async function trainWordVectors(params: TrainWordVectorsParams, context: TrainContext): Promise<TrainWordVectorsResult | ResponseError<void>> {
  const { connection, settings } = context;
  const root = settings.workspaceRoot;
  const resolve = (p: string): string => (p.startsWith('file:') ? fileURLToPath(p) : settings.resolve(p));
  const given = (params.paths ?? []).map(resolve);
  const sources = given.length > 0 ? given : root ? [root] : undefined;
  if (!sources) return failed('no workspace folder is open; give the files or folders to train on');
  const options = trainingOptions(params);
  if (typeof options === 'string') return failed(options);
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
    if (binPath && staged.binPath) await rename(staged.binPath, binPath);
    await rename(staged.vecPath, vecPath);
    await context.activate(binPath ?? vecPath);
    return { path: vecPath, binPath, words: summary.words, dim: options.dim, files: files.length, tokens: summary.tokens, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    if (error instanceof JobCancelled || abort.signal.aborted) return new ResponseError(LSPErrorCodes.RequestCancelled, 'word-vector training was cancelled; nothing was written');
    return failed((error as Error).message);
  } finally {
    await rm(staging, { recursive: true, force: true });
    progress.done();
    subscription.dispose();
  }
}

/** The engine's options from the request, or what is wrong with them. */
function trainingOptions(params: TrainWordVectorsParams): VectorTrainingOptions | string {
  const options: VectorTrainingOptions = {
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
  };
  if (!['word2vec', 'fasttext', 'glove'].includes(options.algo)) return `unknown algorithm "${options.algo}": word2vec, fasttext or glove`;
  const limits: Array<[keyof VectorTrainingOptions, number, number]> = [
    ['dim', 1, 10_000],
    ['window', 1, 1000],
    ['epochs', 1, 10_000],
    ['minCount', 1, Number.MAX_SAFE_INTEGER],
    ['negative', 0, 1000],
    ['threads', 1, 256],
  ];
  for (const [key, min, max] of limits) {
    const value = options[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) return `${key} must be a whole number from ${min} to ${max}, not ${String(value)}`;
  }
  return options;
}

/** word2vec-skipgram-100, fasttext-cbow-50, glove-100. */
function defaultName(options: VectorTrainingOptions): string {
  return options.algo === 'glove' ? `glove-${options.dim}` : `${options.algo}-${options.mode}-${options.dim}`;
}

function failed(message: string): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestFailed, message);
}

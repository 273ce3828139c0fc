/**
 * The server side of tokenizer training: the embeddingLens/trainTokenizer request. Training runs in a worker
 * thread with work-done progress; cancelling stops the worker, and the tokenizer.json is written (atomically)
 * only once training has finished.
 */
import * as path from 'node:path';
import type { CancellationToken, Connection, InitializeParams, ResponseError, WorkDoneProgressReporter } from 'vscode-languageserver';
import { TrainTokenizerRequest, type TrainTokenizerParams, type TrainTokenizerResult } from '../protocol';
import { resolveClientPath, workspaceRootOf } from '../pulledSettings';
import { cancelled, failed } from '../requestErrors';
import { expandCorpusPaths } from '../tokenizers/training/corpusFiles';
import { writeFileAtomically } from '../vectors/formats/atomicFile';
import type { TrainingProgressEvent } from '../tokenizers/training/trainTokenizer';
import { JobCancelled, runJobInWorker } from '../workers/jobInWorker';
import { TRAIN_WORKER_ROLE, type TrainedText, type TrainJob } from './trainWorker';

/** Where trained tokenizers go, under the workspace folder. */
export const TRAINED_TOKENIZERS_FOLDER = path.join('.embedding-lens', 'tokenizers');
/** Reading the corpus is about this share of the work; training is the rest. */
const READING_SHARE = 0.4;

export class TrainTokenizerFeature {
  private workspaceRoot: string | undefined;

  /** @param script the server bundle, started again as the training worker */
  constructor(
    private readonly connection: Connection,
    private readonly script: string,
  ) {}

  /** From onInitialize: the workspace folder (the first one, or the older rootUri). */
  initialize(params: Pick<InitializeParams, 'workspaceFolders' | 'rootUri'>): void {
    this.workspaceRoot = workspaceRootOf(params);
  }

  register(): void {
    this.connection.onRequest(TrainTokenizerRequest, (params, cancel) => this.train(params, cancel));
  }

  private async train(params: TrainTokenizerParams, cancel: CancellationToken): Promise<TrainTokenizerResult | ResponseError<void>> {
    const root = this.workspaceRoot;
    // Relative paths are taken from the workspace folder, as settings are.
    const resolve = (p: string): string => resolveClientPath(p, root);
    const given = (params.paths ?? []).map(resolve);
    const sources = given.length > 0 ? given : root ? [root] : undefined;
    if (!sources) return failed('no workspace folder is open; give the files or folders to train on');
    const output = params.output ? resolve(params.output) : root ? path.join(root, TRAINED_TOKENIZERS_FOLDER, `${params.model}-${params.vocabSize}.json`) : undefined;
    if (!output) return failed('no workspace folder to save the tokenizer in; give an output path');

    const abort = new AbortController();
    const subscription = cancel.onCancellationRequested(() => abort.abort());
    const progress: WorkDoneProgressReporter = this.connection.window.attachWorkDoneProgress(params.workDoneToken);
    progress.begin(`Training a ${params.model} tokenizer`, 0, 'finding text files', true);
    try {
      const files = await expandCorpusPaths(sources, abort.signal);
      if (files.length === 0) return failed(`no text files to train on in ${sources.join(', ')}`);
      const job: TrainJob = {
        model: params.model,
        vocabSize: params.vocabSize,
        minFrequency: params.minFrequency,
        specialTokens: params.specialTokens,
        characterCoverage: params.characterCoverage,
        files,
      };
      const onProgress = (event: TrainingProgressEvent): void => report(progress, event, files.length);
      const trained = await runJobInWorker<TrainJob, TrainedText, TrainingProgressEvent>(this.script, TRAIN_WORKER_ROLE, job, onProgress, abort.signal);
      if (abort.signal.aborted) throw new JobCancelled(TRAIN_WORKER_ROLE);
      await writeFileAtomically(output, trained.json);
      return { path: output, vocabSize: trained.vocabSize, files: files.length };
    } catch (error) {
      if (error instanceof JobCancelled || abort.signal.aborted) return cancelled('tokenizer training was cancelled; nothing was written');
      return failed((error as Error).message);
    } finally {
      progress.done();
      subscription.dispose();
    }
  }
}

function report(progress: WorkDoneProgressReporter, { phase, done, total }: TrainingProgressEvent, files: number): void {
  const share = total > 0 ? Math.min(1, done / total) : 0;
  const overall = phase === 'read corpus' ? READING_SHARE * share : READING_SHARE + (1 - READING_SHARE) * share;
  const message = phase === 'read corpus' ? `reading ${files} file${files === 1 ? '' : 's'}` : phase;
  progress.report(Math.floor(100 * overall), message);
}

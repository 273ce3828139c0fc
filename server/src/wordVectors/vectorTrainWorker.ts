/**
 * Word-vector training in a worker thread (the server bundle started with workerData.role = VECTOR_TRAIN_WORKER_ROLE),
 * so reading and encoding the corpus never blocks the language server; the engine starts its own training threads
 * from here. The worker writes the files into the staging paths it is given; the server moves them into place.
 */
import { saveTrainedVectors } from '../vectors/training/saveTrainedVectors';
import { trainVectors } from '../vectors/training/trainVectors';
import type { VectorTrainingOptions, VectorTrainingProgress } from '../vectors/training/vectorTrainingTypes';
import { unicodeSplitter } from '../vectors/training/wordSplitters';
import { runJobWorker } from '../workers/jobWorker';

export const VECTOR_TRAIN_WORKER_ROLE = 'trainWordVectors';

export interface VectorTrainJob {
  files: string[];
  options: VectorTrainingOptions;
  lowercase: boolean;
  /** Where to write the .vec (fastText's .bin goes beside it: fastTextBinPath). */
  vecPath: string;
}

export interface VectorTrainSummary {
  /** Words in the vocabulary, and corpus words trained on. */
  words: number;
  tokens: number;
}

export function runVectorTrainWorker(): void {
  runJobWorker<VectorTrainJob, VectorTrainSummary, VectorTrainingProgress>(train);
}

async function train(job: VectorTrainJob, onProgress: (progress: VectorTrainingProgress) => void): Promise<VectorTrainSummary> {
  const splitter = unicodeSplitter({ lowercase: job.lowercase });
  const trained = await trainVectors(job.files, { ...job.options, splitter }, { onProgress });
  const writing = (fraction: number): void => onProgress({ phase: 'writing', fraction, epoch: job.options.epochs, wordsPerSecond: 0, learningRate: 0 });
  writing(0);
  await saveTrainedVectors(job.vecPath, trained);
  writing(1);
  return { words: trained.stats.vocabulary, tokens: trained.stats.words };
}

/**
 * Tokenizer training in a worker thread (the server bundle started with workerData.role = TRAIN_WORKER_ROLE), so
 * hours of CPU never block the language server. The worker only computes: it posts progress and the tokenizer.json
 * text back, and the server writes the file, so stopping the worker can never leave half a file behind.
 */
import { tokenizerJsonText } from '../tokenizers/training/saveTokenizerJson';
import { vocabularySize } from '../tokenizers/training/tokenizerJson';
import { trainTokenizer, type TrainTokenizerOptions, type TrainingProgressEvent } from '../tokenizers/training/trainTokenizer';
import { runJobWorker } from '../workers/jobWorker';

export const TRAIN_WORKER_ROLE = 'train';

export type TrainJob = Omit<TrainTokenizerOptions, 'onProgress' | 'signal'>;

export interface TrainedText {
  json: string;
  vocabSize: number;
}

export function runTrainWorker(): void {
  runJobWorker<TrainJob, TrainedText, TrainingProgressEvent>(async (job, onProgress) => {
    const json = await trainTokenizer({ ...job, onProgress });
    return { json: tokenizerJsonText(json), vocabSize: vocabularySize(json) };
  });
}

/**
 * Tokenizer training in a worker thread (the server bundle started with workerData.role = 'train'), so hours of
 * CPU never block the language server. The worker only computes: it posts progress and the tokenizer.json text
 * back, and the server writes the file, so stopping the worker can never leave half a file behind.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { tokenizerJsonText } from '../tokenizers/training/saveTokenizerJson';
import { vocabularySize } from '../tokenizers/training/tokenizerJson';
import { trainTokenizer, type TrainTokenizerOptions, type TrainingProgressEvent } from '../tokenizers/training/trainTokenizer';

export type TrainJob = Omit<TrainTokenizerOptions, 'onProgress' | 'signal'>;

export interface TrainWorkerData {
  role: 'train';
  job: TrainJob;
}

export type TrainWorkerMessage =
  | { type: 'progress'; progress: TrainingProgressEvent }
  | { type: 'done'; json: string; vocabSize: number }
  | { type: 'error'; message: string };

export function runTrainWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('runTrainWorker must run in a worker thread');
  const { job } = workerData as TrainWorkerData;
  const post = (message: TrainWorkerMessage): void => port.postMessage(message);
  trainTokenizer({ ...job, onProgress: (progress) => post({ type: 'progress', progress }) }).then(
    (json) => post({ type: 'done', json: tokenizerJsonText(json), vocabSize: vocabularySize(json) }),
    (error: unknown) => post({ type: 'error', message: (error as Error).message }),
  );
}

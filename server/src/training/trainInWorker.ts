/** Runs one training job in a worker thread; stopping it terminates the worker at once. */
import { Worker } from 'node:worker_threads';
import type { TrainingProgressEvent } from '../tokenizers/training/trainTokenizer';
import type { TrainJob, TrainWorkerData, TrainWorkerMessage } from './trainWorker';

export interface TrainedText {
  json: string;
  vocabSize: number;
}

export class TrainingCancelled extends Error {
  constructor() {
    super('tokenizer training was cancelled');
  }
}

/**
 * Trains in `script` (the server bundle, which runs the training worker when workerData.role is 'train').
 * Rejects with TrainingCancelled when `signal` aborts, or with the worker's error.
 */
export function trainInWorker(script: string, job: TrainJob, onProgress: (progress: TrainingProgressEvent) => void, signal: AbortSignal): Promise<TrainedText> {
  return new Promise((resolve, reject) => {
    const data: TrainWorkerData = { role: 'train', job };
    const worker = new Worker(script, { workerData: data });
    let settled = false;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', stop);
      void worker.terminate();
      settle();
    };
    const stop = (): void => finish(() => reject(new TrainingCancelled()));
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop);
    worker.on('message', (message: TrainWorkerMessage) => {
      if (message.type === 'progress') onProgress(message.progress);
      else if (message.type === 'done') finish(() => resolve({ json: message.json, vocabSize: message.vocabSize }));
      else finish(() => reject(new Error(message.message)));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`the training worker stopped (exit code ${code})`))));
  });
}

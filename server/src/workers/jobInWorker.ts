/** Runs one job in a worker thread (see jobWorker.ts); stopping it terminates the worker, and any threads it started. */
import { Worker } from 'node:worker_threads';
import type { JobWorkerData, JobWorkerMessage } from './jobWorker';

/** The job's signal aborted: the worker was stopped before it finished. */
export class JobCancelled extends Error {
  constructor(role: string) {
    super(`the ${role} job was cancelled`);
    this.name = 'JobCancelled';
  }
}

/**
 * Runs `job` in `script` (the server bundle, which starts the job's worker when workerData.role is `role`). Settles
 * once the worker has stopped; rejects with JobCancelled when `signal` aborts, or with the worker's error.
 */
export function runJobInWorker<Job, Result, Progress>(
  script: string,
  role: string,
  job: Job,
  onProgress: (progress: Progress) => void,
  signal: AbortSignal,
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const data: JobWorkerData<Job> = { role, job };
    const worker = new Worker(script, { workerData: data });
    let settled = false;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', stop);
      void worker.terminate().finally(settle);
    };
    const stop = (): void => finish(() => reject(new JobCancelled(role)));
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop);
    worker.on('message', (message: JobWorkerMessage<Result, Progress>) => {
      if (message.type === 'progress') onProgress(message.progress);
      else if (message.type === 'done') finish(() => resolve(message.result));
      else finish(() => reject(new Error(message.message)));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`the ${role} worker stopped unexpectedly (exit code ${code})`))));
  });
}

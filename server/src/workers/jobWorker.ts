/**
 * One long job in a worker thread (the server bundle started again with workerData.role naming the job), so hours
 * of CPU never block the language server. The worker posts progress and its result back; the server side
 * (runJobInWorker) can stop it at any moment by terminating it.
 */
import { parentPort, workerData } from 'node:worker_threads';

export interface JobWorkerData<Job> {
  /** Which job the bundle runs (server.ts dispatches on it). */
  role: string;
  job: Job;
}

export type JobWorkerMessage<Result, Progress> =
  | { type: 'progress'; progress: Progress }
  | { type: 'done'; result: Result }
  | { type: 'error'; message: string };

/** Worker side: runs `work` on the job in workerData and posts its progress, result or error to the parent. */
export function runJobWorker<Job, Result, Progress>(work: (job: Job, onProgress: (progress: Progress) => void) => Promise<Result>): void {
  const port = parentPort;
  if (!port) throw new Error('a job worker must run in a worker thread');
  const { job } = workerData as JobWorkerData<Job>;
  const post = (message: JobWorkerMessage<Result, Progress>): void => port.postMessage(message);
  work(job, (progress) => post({ type: 'progress', progress })).then(
    (result) => post({ type: 'done', result }),
    (error: unknown) => post({ type: 'error', message: (error as Error).message }),
  );
}

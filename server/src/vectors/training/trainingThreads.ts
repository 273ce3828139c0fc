/**
 * Runs training threads as worker_threads over shared matrices, reports progress every half second from the numbers
 * they publish, and stops them all at once on cancel or on the first error.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PROGRESS_SLOTS, ProgressSlot, TRAINING_THREAD_ROLE, type TrainingThreadData, type TrainingThreadJob, type TrainingThreadMessage } from './trainingJob';
import type { VectorTrainingProgress } from './vectorTrainingTypes';

export const PROGRESS_INTERVAL_MS = 500;

/** Training was cancelled through its AbortSignal; nothing was written. */
export class VectorTrainingCancelled extends Error {
  constructor() {
    super('word-vector training was cancelled; nothing was written');
    this.name = 'VectorTrainingCancelled';
  }
}

/**
 * The thread script: trainingThread.js beside this module when running from tsc output, or
 * vectorTrainingThread.js beside the bundle (dist/cli.js, dist/server.js) that inlined this module.
 */
export function trainingThreadScript(): string {
  const candidates = [path.join(__dirname, 'trainingThread.js'), path.join(__dirname, 'vectorTrainingThread.js')];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`the vector training thread script is missing (looked for ${candidates.join(', ')})`);
  return found;
}

export interface ThreadRunOptions {
  signal?: AbortSignal;
  onProgress?(progress: VectorTrainingProgress): void;
  /** Overrides trainingThreadScript(). */
  script?: string;
}

/** Starts one worker per job (all sharing one state) and resolves when every one has finished. */
export function runTrainingThreads(jobs: readonly TrainingThreadJob[], options: ThreadRunOptions): Promise<void> {
  const script = options.script ?? trainingThreadScript();
  const { progress } = jobs[0].state;
  const totalWords = jobs[0].totalWords;
  const epochs = jobs[0].epochs;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new VectorTrainingCancelled());
    const workers: Worker[] = [];
    let running = jobs.length;
    let settled = false;
    const started = Date.now();
    let lastLoss = { sum: 0, count: 0 };
    let lastReported = 0;

    const report = (): void => {
      let words = 0;
      let lossSum = 0;
      let lossCount = 0;
      for (let t = 0; t < jobs.length; t++) {
        words += progress[t * PROGRESS_SLOTS + ProgressSlot.Words];
        lossSum += progress[t * PROGRESS_SLOTS + ProgressSlot.LossSum];
        lossCount += progress[t * PROGRESS_SLOTS + ProgressSlot.LossCount];
      }
      const seconds = (Date.now() - started) / 1000;
      const wordsPerSecond = seconds > 0 ? words / seconds : 0;
      const recentCount = lossCount - lastLoss.count;
      const loss = recentCount > 0 ? (lossSum - lastLoss.sum) / recentCount : lastReported;
      lastLoss = { sum: lossSum, count: lossCount };
      lastReported = loss;
      options.onProgress?.({
        phase: 'training',
        fraction: Math.min(1, words / totalWords),
        epoch: Math.min(epochs, Math.floor((words / totalWords) * epochs) + 1),
        wordsPerSecond,
        learningRate: progress[ProgressSlot.LearningRate],
        etaSeconds: wordsPerSecond > 0 ? Math.max(0, (totalWords - words) / wordsPerSecond) : undefined,
        loss: lossCount > 0 ? loss : undefined,
      });
    };
    const timer = options.onProgress ? setInterval(report, PROGRESS_INTERVAL_MS) : undefined;

    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      if (timer) clearInterval(timer);
      options.signal?.removeEventListener('abort', cancel);
      for (const worker of workers) void worker.terminate();
      if (error) reject(error);
      else {
        if (options.onProgress) report();
        resolve();
      }
    };
    const cancel = (): void => finish(new VectorTrainingCancelled());
    options.signal?.addEventListener('abort', cancel);

    const finished = new Set<number>();
    for (const job of jobs) {
      const data: TrainingThreadData = { role: TRAINING_THREAD_ROLE, job };
      const worker = new Worker(script, { workerData: data });
      workers.push(worker);
      worker.on('message', (message: TrainingThreadMessage) => {
        if (message.type === 'error') finish(new Error(`vector training thread ${job.thread}: ${message.message}`));
        else {
          finished.add(job.thread);
          if (--running === 0) finish();
        }
      });
      worker.on('error', (error) => finish(error));
      worker.on('exit', (code) => {
        if (!settled && !finished.has(job.thread)) finish(new Error(`vector training thread ${job.thread} stopped (exit code ${code})`));
      });
    }
  });
}

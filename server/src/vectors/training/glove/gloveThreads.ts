/**
 * Runs GloVe's epochs on worker threads, each owning a contiguous share of the (shuffled) entries, all updating the
 * shared parameters without locks, as GloVe's pthreads do. The workers live for the whole run; an abort terminates
 * them at once.
 */
import { Worker } from 'node:worker_threads';
import type { GloveSharedState } from './gloveThread';
import type { GloveWorkerData, GloveWorkerMessage, GloveWorkerRequest } from './gloveWorker';

export interface GloveEpochHooks {
  signal?: AbortSignal;
  /** Entries trained so far in epoch `epochIndex` (0-based), over all threads. */
  onEntries?(epochIndex: number, done: number): void;
  /** Epoch `epochIndex` is over; its cost is GloVe's: the mean of ½·f·diff² over the entries. */
  onEpoch?(epochIndex: number, meanCost: number): void;
}

export async function runGloveEpochs(state: GloveSharedState, entryCount: number, epochs: number, threads: number, workerScript: string, hooks: GloveEpochHooks): Promise<void> {
  const { signal } = hooks;
  signal?.throwIfAborted();
  const workers: Worker[] = [];
  let fail: ((error: unknown) => void) | undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);
  const onAbort = (): void => fail!(signal!.reason);
  signal?.addEventListener('abort', onAbort);
  try {
    const doneByThread = new Float64Array(threads);
    const epochCosts: Array<(cost: number) => void> = [];
    let epoch = 0;
    for (let t = 0; t < threads; t++) {
      const data: GloveWorkerData = {
        role: 'glove',
        state,
        start: Math.floor((entryCount * t) / threads),
        end: Math.floor((entryCount * (t + 1)) / threads),
      };
      const worker = new Worker(workerScript, { workerData: data });
      workers.push(worker);
      worker.on('message', (message: GloveWorkerMessage) => {
        if (message.type === 'slice') {
          doneByThread[t] = message.done;
          let done = 0;
          for (const d of doneByThread) done += d;
          hooks.onEntries?.(epoch, done);
        } else if (message.type === 'epoch') {
          epochCosts[t](message.cost);
        } else {
          fail!(new Error(`GloVe training thread ${t + 1}: ${message.message}`));
        }
      });
      worker.on('error', (error) => fail!(new Error(`GloVe training thread ${t + 1} failed: ${error.message}`)));
      worker.on('exit', (code) => fail!(new Error(`GloVe training thread ${t + 1} stopped (exit code ${code})`)));
    }
    for (epoch = 0; epoch < epochs; epoch++) {
      doneByThread.fill(0);
      const costs = workers.map((worker, t) => {
        const cost = new Promise<number>((resolve) => (epochCosts[t] = resolve));
        const request: GloveWorkerRequest = { type: 'epoch' };
        worker.postMessage(request);
        return cost;
      });
      const total = (await Promise.race([Promise.all(costs), failed])).reduce((sum, cost) => sum + cost, 0);
      hooks.onEpoch?.(epoch, entryCount === 0 ? 0 : total / entryCount);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    for (const worker of workers) worker.removeAllListeners('exit');
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

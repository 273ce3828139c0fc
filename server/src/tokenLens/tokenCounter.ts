import { Worker } from 'node:worker_threads';
import type { CountAnswer, CountJob } from './countWorker';

interface Pending {
  resolve(count: number): void;
  reject(error: Error): void;
}

/**
 * Counts tokens in a worker thread, so counting a 50 MB document never stalls hovers.
 * The worker runs this same bundle (`script`) with workerData.role = 'count'.
 */
export class TokenCounter {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly script: string) {}

  count(tokenizer: string, text: string): Promise<number> {
    const id = this.nextId++;
    const job: CountJob = { id, tokenizer, text };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ensureWorker().postMessage(job);
    });
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    this.failAll(new Error('token counter stopped'));
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { workerData: { role: 'count' } });
    worker.unref();
    worker.on('message', (answer: CountAnswer) => {
      const pending = this.pending.get(answer.id);
      if (!pending) return;
      this.pending.delete(answer.id);
      if ('error' in answer) pending.reject(new Error(answer.error));
      else pending.resolve(answer.count);
    });
    // A crashed worker fails what it held; the next count starts a fresh one.
    const onExit = (error: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(error);
    };
    worker.on('error', onExit);
    worker.on('exit', (code) => onExit(new Error(`token counting worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

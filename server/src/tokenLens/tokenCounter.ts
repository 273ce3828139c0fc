import { Worker } from 'node:worker_threads';
import type { WorkerAnswer, WorkerJob } from './countWorker';
import type { TaskInput, TaskName, TaskOutput } from './tokenizerTasks';

interface Pending {
  resolve(output: unknown): void;
  reject(error: Error): void;
}

/**
 * Runs tokenizer tasks (counting, comparing, chunk counts) in a worker thread, so a 50 MB document never stalls
 * hovers. The worker runs this same bundle (`script`) with workerData.role = 'count'.
 */
export class TokenCounter {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly script: string) {}

  count(tokenizer: string, text: string): Promise<number> {
    return this.run('count', tokenizer, { text });
  }

  run<K extends TaskName>(task: K, tokenizer: string, input: TaskInput<K>): Promise<TaskOutput<K>> {
    const id = this.nextId++;
    const job: WorkerJob<K> = { id, task, tokenizer, input };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (output: unknown) => void, reject });
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
    worker.on('message', (answer: WorkerAnswer) => {
      const pending = this.pending.get(answer.id);
      if (!pending) return;
      this.pending.delete(answer.id);
      if ('error' in answer) pending.reject(new Error(answer.error));
      else pending.resolve(answer.output);
    });
    // A crashed worker fails what it held; the next job starts a fresh one.
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

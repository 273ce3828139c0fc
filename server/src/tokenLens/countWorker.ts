import { parentPort } from 'node:worker_threads';
import { TokenizerCatalog } from '../tokenizers/catalog';
import { runTokenizerTask, type TaskInput, type TaskName, type TaskOutput } from './tokenizerTasks';

/** A request to the counting worker, and its answer. */
export interface WorkerJob<K extends TaskName = TaskName> {
  id: number;
  task: K;
  /** What the catalog loads: a bundled name or an absolute path. */
  tokenizer: string;
  input: TaskInput<K>;
}
export type WorkerAnswer<K extends TaskName = TaskName> = { id: number; output: TaskOutput<K> } | { id: number; error: string };

/** Body of the counting worker thread: runs tokenizer tasks on whole documents off the server's message loop. */
export function runCountWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('runCountWorker must run in a worker thread');
  const catalog = new TokenizerCatalog();
  port.on('message', async (job: WorkerJob) => {
    let answer: WorkerAnswer;
    try {
      const tokenizer = await catalog.load(job.tokenizer);
      answer = { id: job.id, output: runTokenizerTask(job.task, tokenizer, job.input) };
    } catch (error) {
      answer = { id: job.id, error: (error as Error).message };
    }
    port.postMessage(answer);
  });
}

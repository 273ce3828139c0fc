import { parentPort } from 'node:worker_threads';
import { TokenizerCatalog } from '../tokenizers/catalog';

/** A request to the counting worker, and its answer. */
export interface CountJob {
  id: number;
  tokenizer: string;
  text: string;
}
export type CountAnswer = { id: number; count: number } | { id: number; error: string };

/** Body of the counting worker thread: counts tokens of whole documents off the server's message loop. */
export function runCountWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('runCountWorker must run in a worker thread');
  const catalog = new TokenizerCatalog();
  port.on('message', async (job: CountJob) => {
    let answer: CountAnswer;
    try {
      const tokenizer = await catalog.load(job.tokenizer);
      answer = { id: job.id, count: tokenizer.count(job.text) };
    } catch (error) {
      answer = { id: job.id, error: (error as Error).message };
    }
    port.postMessage(answer);
  });
}

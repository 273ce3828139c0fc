/**
 * Worker-thread entry for GloVe training (built on its own, beside the bundles, as dist/gloveWorker.js; tsc output
 * has it beside trainGlove.js). The parent sends `{ type: 'epoch' }` once per epoch; the worker trains its range of
 * entries and answers with progress and the epoch's summed cost. Errors go back as messages, never unheard.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { gloveThreadLoop, type GloveSharedState } from './gloveThread';

export interface GloveWorkerData {
  role: 'glove';
  state: GloveSharedState;
  start: number;
  end: number;
}

export type GloveWorkerRequest = { type: 'epoch' };

export type GloveWorkerMessage =
  | { type: 'slice'; done: number }
  | { type: 'epoch'; cost: number }
  | { type: 'error'; message: string };

const data = workerData as GloveWorkerData | undefined;
const port = parentPort;
if (port && data?.role === 'glove') {
  const post = (message: GloveWorkerMessage): void => port.postMessage(message);
  port.on('message', (request: GloveWorkerRequest) => {
    if (request.type !== 'epoch') return;
    try {
      const cost = gloveThreadLoop(data.state, data.start, data.end, (done) => post({ type: 'slice', done }));
      post({ type: 'epoch', cost });
    } catch (error) {
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  });
}

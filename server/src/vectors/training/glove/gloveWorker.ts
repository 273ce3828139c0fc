/**
 * A GloVe training thread (started through the vector training thread entry, trainingThread.ts). The parent sends
 * `{ type: 'epoch' }` once per epoch; the thread trains its range of entries and answers with progress and the
 * epoch's summed cost. Errors go back as messages, never unheard.
 */
import type { MessagePort } from 'node:worker_threads';
import { gloveThreadLoop, type GloveSharedState } from './gloveThread';

export const GLOVE_THREAD_ROLE = 'glove';

export interface GloveWorkerData {
  role: typeof GLOVE_THREAD_ROLE;
  state: GloveSharedState;
  start: number;
  end: number;
}

export type GloveWorkerRequest = { type: 'epoch' };

export type GloveWorkerMessage =
  | { type: 'slice'; done: number }
  | { type: 'epoch'; cost: number }
  | { type: 'error'; message: string };

export function runGloveThread(data: GloveWorkerData, port: MessagePort): void {
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

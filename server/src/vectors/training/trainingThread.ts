/**
 * The entry of a word-vector training thread: word2vec/fastText (ContextTrainer) or GloVe, by workerData.role. Built as
 * its own file (tsc: beside this module; esbuild: dist/vectorTrainingThread.js), so it runs the same from the CLI
 * bundle, the server bundle and compiled tests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ContextTrainer } from './contextTrainer';
import { GLOVE_THREAD_ROLE, runGloveThread, type GloveWorkerData } from './glove/gloveWorker';
import { TRAINING_THREAD_ROLE, type TrainingThreadData, type TrainingThreadMessage } from './trainingJob';

const data = workerData as TrainingThreadData | GloveWorkerData | undefined;
if (parentPort && data?.role === GLOVE_THREAD_ROLE) runGloveThread(data, parentPort);
else if (parentPort && data?.role === TRAINING_THREAD_ROLE) {
  let message: TrainingThreadMessage;
  try {
    new ContextTrainer(data.job).run();
    message = { type: 'done' };
  } catch (error) {
    message = { type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort.postMessage(message);
}

/**
 * Child process of bench:vectors: trains one model with our trainer, writes OUT.vec (and OUT.bin for fastText), and
 * prints its training figures as JSON, so the parent measures this run alone (wall time, peak memory).
 * Usage: node vectorsWorker.js OPTIONS_JSON CORPUS OUT.vec, where OPTIONS_JSON is VectorTrainingOptions.
 */
import { saveTrainedVectors } from '../server/src/vectors/training/saveTrainedVectors';
import { trainVectors, type VectorTrainingStats } from '../server/src/vectors/training/trainVectors';
import type { VectorTrainingOptions } from '../server/src/vectors/training/vectorTrainingTypes';
import { lettersSplitter } from '../server/src/vectors/training/wordSplitters';
import { errorMessage } from './measure';

export type VectorsWorkerReport = VectorTrainingStats;

async function main(): Promise<void> {
  const [options, corpus, outFile] = process.argv.slice(2);
  // The bench's corpus is already lower-cased letters joined by spaces: the letters splitter reads it as it is.
  const trained = await trainVectors([corpus], { ...(JSON.parse(options) as VectorTrainingOptions), splitter: lettersSplitter() });
  await saveTrainedVectors(outFile, trained);
  const report: VectorsWorkerReport = trained.stats;
  process.stdout.write(JSON.stringify(report));
}

main().catch((error: unknown) => {
  console.error(errorMessage(error));
  process.exit(1);
});

/**
 * Writes a training run's result: the word vectors as word2vec text (OUT.vec), and for fastText the whole model as
 * OUT.bin beside it, each atomically, so a reader never sees half a file.
 */
import { writeFastTextBin, writeVectorFile } from '../vectorFiles';
import type { TrainedVectors } from './trainVectors';

/** The files written: the .vec, then the .bin for fastText. */
export async function saveTrainedVectors(vecFile: string, trained: TrainedVectors): Promise<string[]> {
  await writeVectorFile(vecFile, trained.vectors, 'word2vec-text');
  if (!trained.fastText) return [vecFile];
  const binFile = fastTextBinPath(vecFile);
  await writeFastTextBin(binFile, trained.fastText);
  return [vecFile, binFile];
}

/** OUT.vec → OUT.bin (any other name gets ".bin" added). */
export function fastTextBinPath(vecFile: string): string {
  return vecFile.endsWith('.vec') ? `${vecFile.slice(0, -4)}.bin` : `${vecFile}.bin`;
}

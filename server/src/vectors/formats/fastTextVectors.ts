/**
 * A fastText .bin model read as word vectors: the model read, then each word's vector computed from its subwords
 * (seconds per million words) without blocking the event loop. Progress covers both: the read as the first half of
 * the total (in file bytes), the computation as the second half, so it reaches the total only when the vectors are done.
 */
import { fastTextWordVectorsInSlices } from '../fastTextModel';
import { readFastTextBin } from './fastTextBin';
import { VectorFileError, type LoadedVectors, type VectorReadOptions } from './vectorFileError';

export async function readFastTextVectors(file: string, options: VectorReadOptions = {}): Promise<LoadedVectors> {
  const { limit, signal, onProgress } = options;
  let fileBytes = 0;
  const model = await readFastTextBin(file, {
    signal,
    onProgress: (bytesRead, totalBytes) => {
      fileBytes = totalBytes;
      onProgress?.(bytesRead, 2 * totalBytes);
    },
  });
  try {
    const vectors = await fastTextWordVectorsInSlices(model, {
      limit,
      signal,
      onProgress: (done, total) => onProgress?.(fileBytes + Math.round((fileBytes * done) / Math.max(1, total)), 2 * fileBytes),
    });
    onProgress?.(2 * fileBytes, 2 * fileBytes);
    return { vectors, format: 'fasttext-bin', warnings: [] };
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new VectorFileError(file, `malformed model: ${(error as Error).message}`);
  }
}

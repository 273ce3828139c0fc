/**
 * Word-vector files in, word-vector files out: word2vec text (and fastText's .vec, the same format) and binary,
 * GloVe text, and fastText .bin models (read, with their subword vectors). Each format lives in `formats/`; this
 * module picks one and is what the rest of the code calls.
 */
import { detectVectorFormat } from './formats/detectVectorFormat';
import { readFastTextVectors } from './formats/fastTextVectors';
import { readTextVectors, writeTextVectors } from './formats/textVectors';
import { VectorFileError, type LoadedVectors, type VectorFormat, type VectorReadOptions } from './formats/vectorFileError';
import { readWord2VecBinary, writeWord2VecBinary } from './formats/word2vecBinary';
import type { WordVectors } from './wordVectors';

export { detectVectorFormat } from './formats/detectVectorFormat';
export { readFastTextBin, writeFastTextBin } from './formats/fastTextBin';
export { VECTOR_FORMATS, VectorFileError } from './formats/vectorFileError';
export type { LoadedVectors, VectorFileWarning, VectorFormat, VectorReadOptions } from './formats/vectorFileError';

export interface ReadVectorFileOptions extends VectorReadOptions {
  /** The file's format; detected from its content when absent. */
  format?: VectorFormat;
}

export async function readVectorFile(file: string, options: ReadVectorFileOptions = {}): Promise<LoadedVectors> {
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 0)) throw new VectorFileError(file, `the word limit must be a whole number, got ${options.limit}`);
  const format = options.format ?? (await detectVectorFormat(file));
  switch (format) {
    case 'word2vec-text':
    case 'glove':
      return readTextVectors(file, format, options);
    case 'word2vec-binary':
      return readWord2VecBinary(file, options);
    case 'fasttext-bin':
      return readFastTextVectors(file, options);
    default:
      throw new VectorFileError(file, `unknown vector format "${String(format)}"`);
  }
}

/** Writes the vectors atomically; fastText's .vec is word2vec-text. */
export async function writeVectorFile(file: string, vectors: WordVectors, format: Exclude<VectorFormat, 'fasttext-bin'>): Promise<void> {
  switch (format) {
    case 'word2vec-text':
    case 'glove':
      return writeTextVectors(file, vectors, format);
    case 'word2vec-binary':
      return writeWord2VecBinary(file, vectors);
    default:
      throw new VectorFileError(file, `cannot write vector format "${String(format)}"`);
  }
}

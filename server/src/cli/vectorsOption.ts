/**
 * What the commands that read a vector file share: the --vectors and --format options, their help lines, reading
 * the file (its warnings go to standard error), and refusing words that have no vector. Errors reading the file
 * (VectorFileError) reach main.ts as they are: their message names the file and the line.
 */
import { readVectorFile, VECTOR_FORMATS, type LoadedVectors, type VectorFormat, type VectorReadOptions } from '../vectors/vectorFiles';
import type { WordVectors } from '../vectors/wordVectors';
import { InputError } from './inputLines';
import { UsageError } from './tokenizeCommand';

/** For parseArgs' options. */
export const VECTORS_OPTIONS = {
  vectors: { type: 'string' },
  format: { type: 'string' },
} as const;

export const VECTORS_OPTIONS_HELP = `  --vectors <FILE>        the vector file (word2vec text or binary, GloVe, fastText .vec or .bin)
  --format <F>            ${VECTOR_FORMATS.join(', ')} (default: detected from the content)`;

export interface VectorsChoice {
  file: string;
  /** Undefined: detected from the content. */
  format?: VectorFormat;
}

/** The checked --vectors and --format values; a UsageError (naming `command`) when they are missing or wrong. */
export function vectorsChoice(values: { vectors?: string; format?: string }, command: string): VectorsChoice {
  if (!values.vectors) throw new UsageError(`${command} needs --vectors FILE`);
  const format = values.format as VectorFormat | undefined;
  if (format !== undefined && !VECTOR_FORMATS.includes(format)) throw new UsageError(`--format takes ${VECTOR_FORMATS.join(', ')}; got "${format}"`);
  return { file: values.vectors, format };
}

/** Reads the chosen file, writing its warnings (duplicate words and the like) to standard error. */
export async function loadVectors({ file, format }: VectorsChoice, options: VectorReadOptions = {}): Promise<LoadedVectors> {
  const loaded = await readVectorFile(file, { ...options, format });
  for (const warning of loaded.warnings) process.stderr.write(`warning: ${warning.message}\n`);
  return loaded;
}

/**
 * The words that have a vector (a row, or subword vectors); words without one are an InputError naming them all,
 * unless `skipMissing`. Called before anything is printed, so a failure leaves no partial output.
 */
export function wordsWithVectors(vectors: WordVectors, file: string, words: readonly string[], skipMissing: boolean): string[] {
  const missing = words.filter((word) => vectors.vector(word) === undefined);
  if (missing.length > 0 && !skipMissing) {
    const list = missing.map((word) => JSON.stringify(word)).join(', ');
    throw new InputError(`${file}: not in the vocabulary (${vectors.size} words, no subword vectors): ${list}; --skip-missing leaves such words out`);
  }
  const left = new Set(missing);
  return words.filter((word) => !left.has(word));
}

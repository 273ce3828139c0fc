/**
 * The lines of an evaluation file. Benchmarks are small (questions-words.txt is 600 KB), so the file is read whole;
 * it must be strict UTF-8, as gensim decodes it.
 */
import { readFile } from 'node:fs/promises';
import { strictUtf8Decoder } from '../formats/wordBytes';
import { EvaluationFileError } from './evaluationFileError';

export async function readEvaluationLines(file: string): Promise<string[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new EvaluationFileError(file, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let text: string;
  try {
    text = strictUtf8Decoder().decode(bytes);
  } catch {
    throw new EvaluationFileError(file, 'not UTF-8 text', lineOfFirstBadByte(bytes));
  }
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The 1-based line holding the first byte that breaks UTF-8 decoding (an error path: decoding line by line is fine). */
function lineOfFirstBadByte(bytes: Buffer): number {
  const decoder = strictUtf8Decoder();
  let line = 1;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(0x0a, start);
    const slice = bytes.subarray(start, end < 0 ? bytes.length : end);
    try {
      decoder.decode(slice);
    } catch {
      return line;
    }
    if (end < 0) return line;
    start = end + 1;
    line++;
  }
}

/**
 * Which format a vector file is in, from its first bytes: fastText's signature; a word2vec header followed by raw
 * floats (binary) or by text; otherwise GloVe text. Binary content without either signature is refused here, so
 * an image or an archive gets a clear message rather than a parse error on "line 1". Text rows are told from binary
 * ones by content, not by parsing, so a text file with a bad first row still reads as text and gets its error.
 */
import { open } from 'node:fs/promises';
import { FASTTEXT_MAGIC } from './fastTextBin';
import { VectorFileError, type VectorFormat } from './vectorFileError';
import { parseHeaderLine } from './word2vecHeader';

const HEAD_BYTES = 64 * 1024;

export async function detectVectorFormat(file: string): Promise<VectorFormat> {
  const head = await readHead(file);
  if (head.length === 0) throw new VectorFileError(file, 'empty file');
  if (head.length >= 4 && head.readInt32LE(0) === FASTTEXT_MAGIC) return 'fasttext-bin';
  const newline = head.indexOf(10);
  const header = newline < 0 ? parseHeaderLine(head, 0, head.length) : parseHeaderLine(head, 0, newline);
  if (header && header.dim > 0) return newline >= 0 && !isText(head.subarray(newline + 1)) ? 'word2vec-binary' : 'word2vec-text';
  if (!isText(head)) throw new VectorFileError(file, 'not a vector file: binary content without a word2vec header or the fastText signature');
  return 'glove';
}

/**
 * Text has no control characters other than tab and line breaks; raw floats are sure to, over a row or more.
 * (Bad UTF-8 alone does not make a file binary: the reader reports it with its line.)
 */
function isText(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte < 0x20 && !(byte >= 9 && byte <= 13)) return false;
  return true;
}

async function readHead(file: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, 'r');
    if (!(await handle.stat()).isFile()) throw new VectorFileError(file, 'not a file');
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } catch (error) {
    if (error instanceof VectorFileError) throw error;
    throw new VectorFileError(file, `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  } finally {
    await handle?.close();
  }
}

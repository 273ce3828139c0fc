/**
 * word2vec's binary format (the C tool's -binary 1, gensim's binary=True): a text header "COUNT DIMENSIONS\n", then
 * per word its UTF-8 bytes, a space, DIMENSIONS little-endian float32 and usually a "\n" (skipped before each word,
 * as the C reader does). Each row's floats are copied as bytes into the matrix: no parsing.
 */
import type { WordVectors } from '../wordVectors';
import { writeFileAtomicallyWith } from './atomicFile';
import { withChunkedReader, type ChunkedReader } from './chunkedReader';
import { firstNonFinite } from './finiteFloats';
import { checkFiniteForWriting } from './textVectors';
import { VectorFileError, WarningList, type LoadedVectors, type VectorReadOptions } from './vectorFileError';
import { VectorRows } from './vectorRows';
import { strictUtf8Decoder, wordFromBytes } from './wordBytes';
import { headerLine, parseHeaderLine } from './word2vecHeader';

// Rows are copied as bytes into the Float32Array: right on little-endian machines, which is all Node runs on here.
const SPACE = 32;
const NEWLINE = 10;
/** Longer than any real word; a file without a space this far in is not word2vec binary. */
const MAX_WORD_BYTES = 1 << 16;

export async function readWord2VecBinary(file: string, options: VectorReadOptions = {}): Promise<LoadedVectors> {
  return withChunkedReader(file, options, async (reader) => {
    const warnings = new WarningList(file);
    const { count, dim } = await readHeader(reader);
    const rowBytes = dim * 4;
    // Each row takes its floats and at least two bytes (a one-byte word and its space).
    const fitting = Math.floor(reader.size / (rowBytes + 2)) + 1;
    const wanted = Math.min(count, options.limit ?? Infinity);
    const rows = new VectorRows(dim, Math.min(wanted, fitting), warnings, 'row');
    const decoder = strictUtf8Decoder();
    let bits: Uint32Array = new Uint32Array(0);
    for (let row = 0; row < wanted; row++) {
      // Most rows are whole in the buffer: awaiting only when they are not saves a million promises.
      const word = wordInBuffer(reader, decoder, row) ?? (await readWord(reader, decoder, row, count));
      const rowStart = reader.offsetOf(reader.pos);
      if (reader.end - reader.pos < rowBytes && !(await reader.ensure(rowBytes))) {
        throw new VectorFileError(file, `truncated: row ${row + 1} ("${word}") needs ${rowBytes} bytes of floats from byte offset ${rowStart}, but the file ends at byte ${reader.size}`);
      }
      const offset = rows.nextRowOffset();
      const data = rows.data;
      if (bits.buffer !== data.buffer) bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
      new Uint8Array(data.buffer, data.byteOffset + offset * 4, rowBytes).set(reader.buffer.subarray(reader.pos, reader.pos + rowBytes));
      reader.pos += rowBytes;
      const bad = firstNonFinite(bits, offset, offset + dim);
      if (bad >= 0) throw new VectorFileError(file, `row ${row + 1} ("${word}") value ${bad - offset + 1} is ${data[bad]} (byte offset ${rowStart + (bad - offset) * 4})`);
      rows.commit(word, row + 1);
    }
    if (wanted === count) await checkNothingFollows(reader, count);
    return { vectors: rows.finish(), format: 'word2vec-binary' as const, warnings: warnings.finish() };
  });
}

async function readHeader(reader: ChunkedReader): Promise<{ count: number; dim: number }> {
  const file = reader.file;
  let newline = -1;
  while ((newline = reader.buffer.subarray(0, reader.end).indexOf(NEWLINE, reader.pos)) < 0) {
    if (reader.end - reader.pos > 1024 || !(await reader.more())) break;
  }
  if (reader.end === 0) throw new VectorFileError(file, 'empty file');
  const header = newline < 0 ? undefined : parseHeaderLine(reader.buffer, reader.pos, newline);
  if (!header) throw new VectorFileError(file, 'expected a word2vec header "COUNT DIMENSIONS" on the first line', 1);
  if (header.dim === 0) throw new VectorFileError(file, 'the header gives 0 dimensions', 1);
  if (header.count > 0 && header.dim * 4 > reader.size) throw new VectorFileError(file, `the header announces ${header.dim} dimensions, more than a file of ${reader.size} bytes can hold`, 1);
  reader.pos = newline + 1;
  return header;
}

/** The next word when the buffer holds it whole (line breaks before it skipped), else undefined. */
function wordInBuffer(reader: ChunkedReader, decoder: TextDecoder, row: number): string | undefined {
  const { buffer, end } = reader;
  let pos = reader.pos;
  while (pos < end && buffer[pos] === NEWLINE) pos++;
  let space = pos;
  while (space < end && buffer[space] !== SPACE && space - pos <= MAX_WORD_BYTES) space++;
  if (space >= end || space - pos > MAX_WORD_BYTES) return undefined;
  const word = wordFromBytes(buffer, pos, space, decoder);
  if (word === undefined) throw new VectorFileError(reader.file, `row ${row + 1} at byte offset ${reader.offsetOf(pos)}: invalid UTF-8 in the word (is the header's dimension count right?)`);
  reader.pos = space + 1;
  return word;
}

/** The next word, reading more of the file as needed; errors name the row and where it starts. */
async function readWord(reader: ChunkedReader, decoder: TextDecoder, row: number, count: number): Promise<string> {
  const file = reader.file;
  for (;;) {
    while (reader.pos < reader.end && reader.buffer[reader.pos] === NEWLINE) reader.pos++;
    if (reader.pos < reader.end) break;
    if (!(await reader.more())) {
      throw new VectorFileError(file, `truncated: the header announces ${count} words, but the file ends after ${row} rows (byte offset ${reader.size})`);
    }
  }
  const start = reader.offsetOf(reader.pos);
  for (;;) {
    const word = wordInBuffer(reader, decoder, row);
    if (word !== undefined) return word;
    if (reader.end - reader.pos > MAX_WORD_BYTES) throw new VectorFileError(file, `row ${row + 1} at byte offset ${start}: no space after the word within ${MAX_WORD_BYTES} bytes; not word2vec binary`);
    if (!(await reader.more())) throw new VectorFileError(file, `truncated: row ${row + 1} at byte offset ${start} ends inside its word`);
  }
}

/** After the announced rows only line breaks may follow; more means the header undercounts. */
async function checkNothingFollows(reader: ChunkedReader, count: number): Promise<void> {
  do {
    while (reader.pos < reader.end && (reader.buffer[reader.pos] === NEWLINE || reader.buffer[reader.pos] === 13)) reader.pos++;
    if (reader.pos < reader.end) {
      throw new VectorFileError(reader.file, `more data after the ${count} rows the header announces (byte offset ${reader.offsetOf(reader.pos)})`);
    }
  } while (await reader.more());
}

/** Writes word2vec binary, each row ended by "\n" as word2vec and gensim write it, atomically. */
export async function writeWord2VecBinary(file: string, vectors: WordVectors): Promise<void> {
  for (const word of vectors.words) {
    if (word === '' || word.includes(' ') || word.startsWith('\n')) throw new VectorFileError(file, `cannot write the word ${JSON.stringify(word)} to word2vec binary: words there cannot be empty, contain a space or start with a line break`);
  }
  checkFiniteForWriting(file, vectors);
  const { dim, data } = vectors;
  await writeFileAtomicallyWith(file, async (sink) => {
    await sink.text(headerLine(vectors.size, dim));
    const rowBytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    for (let i = 0; i < vectors.size; i++) {
      await sink.text(`${vectors.words[i]} `);
      await sink.bytes(rowBytes.subarray(i * dim * 4, (i + 1) * dim * 4));
      await sink.text('\n');
    }
  });
}

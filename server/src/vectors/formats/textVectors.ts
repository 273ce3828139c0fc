/**
 * Text vector files: word2vec text (and fastText .vec), a "COUNT DIMENSIONS" header then one "word v1 … vD" line
 * per word; GloVe, the same lines without the header. Values are separated by spaces or tabs; "\r\n" endings and
 * trailing spaces are accepted; blank lines are skipped. Lines are parsed from the bytes of each chunk: only words
 * become strings, numbers go straight into the matrix.
 */
import type { WordVectors } from '../wordVectors';
import { writeFileAtomicallyWith } from './atomicFile';
import { withChunkedReader, type ChunkedReader } from './chunkedReader';
import { describeBadNumber, float32Text, parseDecimal, parsed } from './decimalText';
import { firstNonFinite } from './finiteFloats';
import { VectorFileError, WarningList, type LoadedVectors, type VectorReadOptions } from './vectorFileError';
import { VectorRows } from './vectorRows';
import { strictUtf8Decoder, wordFromBytes } from './wordBytes';
import { headerLine, parseHeaderLine, type VectorHeader } from './word2vecHeader';

export type TextVectorFormat = 'word2vec-text' | 'glove';

const SPACE = 32;
const TAB = 9;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

export async function readTextVectors(file: string, format: TextVectorFormat, options: VectorReadOptions = {}): Promise<LoadedVectors> {
  return withChunkedReader(file, options, async (reader) => {
    const parser = new TextVectorParser(reader, format, options.limit ?? Infinity);
    for (;;) {
      const view = reader.buffer.subarray(0, reader.end);
      let pos = reader.pos;
      while (!parser.done) {
        const newline = view.indexOf(NEWLINE, pos);
        if (newline < 0) break;
        parser.line(view, pos, newline);
        pos = newline + 1;
      }
      reader.pos = pos;
      if (parser.done) break;
      if (!(await reader.more())) {
        if (reader.pos < reader.end) parser.line(reader.buffer, reader.pos, reader.end);
        break;
      }
    }
    return { vectors: parser.finish(), format, warnings: parser.warnings.finish() };
  });
}

class TextVectorParser {
  readonly warnings: WarningList;
  /** Set when the limit is reached: the rest of the file is not read. */
  done = false;
  private lineNumber = 0;
  private header?: VectorHeader & { line: number };
  private rows?: VectorRows;
  private firstRowLine = 0;
  private readonly decoder = strictUtf8Decoder();

  constructor(
    private readonly reader: ChunkedReader,
    private readonly format: TextVectorFormat,
    private readonly limit: number,
  ) {
    this.warnings = new WarningList(reader.file);
  }

  /** Parses the line in bytes [start, end), its "\n" excluded. */
  line(bytes: Uint8Array, start: number, end: number): void {
    this.lineNumber++;
    if (end > start && bytes[end - 1] === CARRIAGE_RETURN) end--;
    while (start < end && (bytes[start] === SPACE || bytes[start] === TAB)) start++;
    if (start === end) return;
    if (this.format === 'word2vec-text' && !this.header) return this.readHeader(bytes, start, end);
    if (this.header && this.rows?.count === this.header.count) {
      this.fail(`more rows than the ${this.header.count} the header on line ${this.header.line} announces`);
    }

    // The word: up to the first space or tab.
    let wordEnd = start;
    while (wordEnd < end && bytes[wordEnd] !== SPACE && bytes[wordEnd] !== TAB) wordEnd++;
    const rows = this.rows ?? this.startRows(bytes, wordEnd, end);
    const offset = rows.nextRowOffset();
    const data = rows.data;
    const dim = rows.dim;

    let count = 0;
    let p = wordEnd;
    for (;;) {
      while (p < end && (bytes[p] === SPACE || bytes[p] === TAB)) p++;
      if (p >= end) break;
      const value = parseDecimal(bytes, p, end);
      const after = parsed.end;
      if (value !== value || (after < end && bytes[after] !== SPACE && bytes[after] !== TAB)) {
        let tokenEnd = after;
        while (tokenEnd < end && bytes[tokenEnd] !== SPACE && bytes[tokenEnd] !== TAB) tokenEnd++;
        this.fail(`value ${count + 1}: ${describeBadNumber(bytes, p, tokenEnd)}`);
      }
      const single = Math.fround(value);
      if (single === Infinity || single === -Infinity) this.fail(`value ${count + 1}: ${Buffer.from(bytes.subarray(p, after)).toString('latin1')} is too large for a 32-bit float`);
      if (count < dim) data[offset + count] = single;
      count++;
      p = after;
    }
    if (count !== dim) this.fail(this.wrongLength(dim, count));

    const word = wordFromBytes(bytes, start, wordEnd, this.decoder) ?? this.fail('invalid UTF-8 in the word (vector files must be UTF-8 text)');
    if (rows.count >= this.limit) {
      this.done = true;
      return;
    }
    rows.commit(word, this.lineNumber);
    if (rows.count >= this.limit) this.done = true;
  }

  finish(): WordVectors {
    const file = this.reader.file;
    if (this.format === 'word2vec-text' && !this.header) throw new VectorFileError(file, 'empty file: no header and no vectors');
    if (!this.rows) {
      if (this.header?.count === 0) return new VectorRows(this.header.dim, 0, this.warnings, 'line').finish();
      throw new VectorFileError(file, 'empty file: no vectors');
    }
    if (this.header && !this.done && this.rows.count < this.header.count) {
      const found = this.rows.count === 0 ? 'no rows' : `only ${this.rows.count} rows`;
      throw new VectorFileError(file, `the header announces ${this.header.count} words, but the file has ${found} (truncated?)`);
    }
    return this.rows.finish();
  }

  private readHeader(bytes: Uint8Array, start: number, end: number): void {
    const header = parseHeaderLine(bytes, start, end);
    if (!header) this.fail('expected a word2vec header "COUNT DIMENSIONS" (a file without one is GloVe format)');
    if (header.dim === 0) this.fail('the header gives 0 dimensions');
    // A value takes at least two bytes ("0 "), which bounds what a truthful header can announce.
    if (header.count > 0 && header.dim * 2 > this.reader.size) this.fail(`the header announces ${header.dim} dimensions, more than a file of ${this.reader.size} bytes can hold`);
    this.header = { ...header, line: this.lineNumber };
    if (header.count > 0) {
      const fitting = Math.floor(this.reader.size / (2 * header.dim)) + 1;
      this.rows = new VectorRows(header.dim, Math.min(header.count, fitting, this.limit), this.warnings, 'line');
      this.firstRowLine = this.lineNumber + 1;
    }
  }

  /** A GloVe file's first row sets the dimension: the fields after the word. */
  private startRows(bytes: Uint8Array, wordEnd: number, end: number): VectorRows {
    let fields = 0;
    for (let p = wordEnd; p < end; ) {
      while (p < end && (bytes[p] === SPACE || bytes[p] === TAB)) p++;
      if (p === end) break;
      fields++;
      while (p < end && bytes[p] !== SPACE && bytes[p] !== TAB) p++;
    }
    if (fields === 0) this.fail('a word without values');
    // Rows of about this line's length fill the file; a little more room saves a doubling.
    const estimate = Math.ceil((this.reader.size / Math.max(1, end - wordEnd)) * 1.05) + 16;
    this.firstRowLine = this.lineNumber;
    this.rows = new VectorRows(fields, Math.min(estimate, this.limit), this.warnings, 'line');
    return this.rows;
  }

  private wrongLength(dim: number, count: number): string {
    if (this.header) return `expected ${dim} values (as the header on line ${this.header.line} says), found ${count}`;
    let message = `expected ${dim} values (as on line ${this.firstRowLine}), found ${count}`;
    if (this.rows?.count === 1 && dim === 1 && /^\d+$/.test(this.rows.firstWord)) {
      message += `; line ${this.firstRowLine} looks like a word2vec header, so read the file as word2vec-text`;
    }
    return message;
  }

  private fail(problem: string): never {
    throw new VectorFileError(this.reader.file, problem, this.lineNumber);
  }
}

/** Writes word2vec text (with the header; also fastText's .vec) or GloVe (without), atomically. */
export async function writeTextVectors(file: string, vectors: WordVectors, format: TextVectorFormat): Promise<void> {
  checkWordsForText(file, vectors);
  checkFiniteForWriting(file, vectors);
  await writeFileAtomicallyWith(file, async (sink) => {
    if (format === 'word2vec-text') await sink.text(headerLine(vectors.size, vectors.dim));
    const { dim, data } = vectors;
    const values: string[] = new Array<string>(dim);
    for (let i = 0; i < vectors.size; i++) {
      const base = i * dim;
      for (let k = 0; k < dim; k++) values[k] = float32Text(data[base + k]);
      await sink.text(`${vectors.words[i]} ${values.join(' ')}\n`);
    }
  });
}

/** A text format splits on whitespace, so a word containing some cannot be written. */
function checkWordsForText(file: string, vectors: WordVectors): void {
  for (const word of vectors.words) {
    if (word === '' || /[ \t\n\r]/.test(word)) throw new VectorFileError(file, `cannot write the word ${JSON.stringify(word)} to a text vector file: words there cannot be empty or contain spaces, tabs or line breaks`);
  }
}

/** NaN and infinities would write a file no reader accepts. */
export function checkFiniteForWriting(file: string, vectors: WordVectors): void {
  const { data, dim } = vectors;
  const bad = firstNonFinite(new Uint32Array(data.buffer, data.byteOffset, data.length), 0, data.length);
  if (bad < 0) return;
  const row = Math.floor(bad / dim);
  throw new VectorFileError(file, `cannot write the vector of "${vectors.words[row]}" (row ${row + 1}): it holds ${data[bad]}`);
}

/**
 * Streams the lines of training files in chunks, decoding UTF-8 strictly: bad bytes are an error that names the file
 * and where, never U+FFFD silently counted as text.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { TokenizerLoadError } from '../types';

export interface CorpusReadOptions {
  /** Keep each line's ending ("\n" or "\r\n"), as Hugging Face tokenizers' trainers see lines; otherwise strip it. */
  keepLineEnds: boolean;
  signal?: AbortSignal;
  /** Called after each chunk with the bytes read so far over all files. */
  onBytes?(done: number, total: number): void;
}

const CHUNK_BYTES = 1 << 20;
const MAX_LINE_UNITS = 1 << 20;

/** Total size of the files, for progress. Unreadable files fail here, before any work is done. */
export async function corpusSize(files: readonly string[]): Promise<number> {
  let total = 0;
  for (const file of files) {
    try {
      total += (await stat(file)).size;
    } catch (error) {
      throw new TokenizerLoadError(file, `cannot read the training file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  return total;
}

/** Calls `onLine` for every line of every file, in order. The last line of a file may lack an ending. */
export async function forEachCorpusLine(files: readonly string[], options: CorpusReadOptions, onLine: (line: string) => void): Promise<void> {
  const total = await corpusSize(files);
  let done = 0;
  for (const file of files) {
    options.signal?.throwIfAborted();
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let carry = '';
    let fileBytes = 0;
    const emit = (text: string, final: boolean): void => {
      const lines = (carry + text).split('\n');
      carry = final ? '' : lines.pop()!;
      const last = lines.length - 1;
      for (let i = 0; i <= last; i++) {
        const line = lines[i];
        if (final && i === last) {
          if (line !== '') onLine(options.keepLineEnds ? line : stripCarriageReturn(line));
        } else onLine(options.keepLineEnds ? `${line}\n` : stripCarriageReturn(line));
      }
      // A line longer than any text's (minified code, a file without line breaks) is cut, or each chunk would
      // copy it again.
      if (carry.length > MAX_LINE_UNITS) {
        onLine(carry);
        carry = '';
      }
    };
    try {
      for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
        let text: string;
        try {
          text = decoder.decode(chunk, { stream: true });
        } catch {
          throw new TokenizerLoadError(file, `invalid UTF-8 at byte ${fileBytes + invalidUtf8Offset(chunk)}; training files must be UTF-8 text`);
        }
        fileBytes += chunk.length;
        done += chunk.length;
        emit(text, false);
        options.onBytes?.(done, total);
        options.signal?.throwIfAborted();
      }
      let rest: string;
      try {
        rest = decoder.decode();
      } catch {
        throw new TokenizerLoadError(file, 'invalid UTF-8 at its end (a truncated character); training files must be UTF-8 text');
      }
      emit(rest, true);
    } catch (error) {
      if (error instanceof TokenizerLoadError || options.signal?.aborted) throw error;
      throw new TokenizerLoadError(file, `cannot read the training file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
}

/**
 * Where in `chunk` the first bad UTF-8 sequence starts: found from the shortest prefix that fails to decode, by
 * bisection (an error path, so a few decodes are fine). 0 when the bad sequence began in the previous chunk.
 */
function invalidUtf8Offset(chunk: Buffer): number {
  const fails = (length: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(0, length), { stream: true });
      return false;
    } catch {
      return true;
    }
  };
  if (!fails(chunk.length)) return 0;
  let lo = 0;
  let hi = chunk.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fails(mid)) hi = mid;
    else lo = mid;
  }
  // chunk[lo] broke the decoding. A byte that is not a continuation byte cut short a sequence begun just before it.
  if ((chunk[lo] & 0xc0) !== 0x80) {
    for (let back = lo - 1; back >= Math.max(0, lo - 3); back--) {
      if ((chunk[back] & 0xc0) === 0x80) continue;
      if (chunk[back] >= 0xc0) return back;
      break;
    }
  }
  return lo;
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

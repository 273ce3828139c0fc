import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

/** Bad input: the message names the input and the problem. */
export class InputError extends Error {}

/**
 * Yields the lines of a file (or stdin for "-") as strings, without their line breaks (\n or \r\n).
 * The bytes must be UTF-8: invalid input is an error naming the input and the byte offset, not silent U+FFFD.
 */
export async function* inputLines(file: string): AsyncGenerator<string> {
  const name = file === '-' ? 'standard input' : file;
  const stream: Readable = file === '-' ? process.stdin : createReadStream(file);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry = '';
  let bytesRead = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw new InputError(`${name}: invalid UTF-8 between bytes ${bytesRead} and ${bytesRead + chunk.length}`);
      }
      bytesRead += chunk.length;
      const lines = (carry + text).split('\n');
      carry = lines.pop()!;
      for (const line of lines) yield stripCarriageReturn(line);
    }
    try {
      carry += decoder.decode();
    } catch {
      throw new InputError(`${name}: invalid UTF-8 at its end (a truncated character)`);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${name}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (carry !== '') yield stripCarriageReturn(carry);
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** word2vec's first line, "COUNT DIMENSIONS", shared by its text and binary formats (and fastText's .vec). */

export interface VectorHeader {
  count: number;
  dim: number;
}

/** The header in bytes [start, end) (a line without its "\n"), or undefined when the line is not one. */
export function parseHeaderLine(bytes: Uint8Array, start: number, end: number): VectorHeader | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
  const match = /^[ \t]*(\d{1,15})[ \t]+(\d{1,15})[ \t\r]*$/.exec(text);
  if (!match) return undefined;
  return { count: Number(match[1]), dim: Number(match[2]) };
}

export function headerLine(count: number, dim: number): string {
  return `${count} ${dim}\n`;
}

import type { Offset } from '../tokenizers/types';

/** ATX headings (`# Title`, up to three spaces of indent), which start a chunk in Markdown. */
const MARKDOWN_HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
/** Code fences: headings inside them are code comments, not headings. */
const MARKDOWN_FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * The text's paragraphs as an embedding pipeline would chunk them: runs of non-blank lines, separated by blank
 * lines; in Markdown a heading also starts a new chunk. Offsets (UTF-16 units) cover the lines without the
 * final line break.
 */
export function paragraphChunks(text: string, markdown: boolean): Offset[] {
  const chunks: Offset[] = [];
  let chunkStart = -1;
  let chunkEnd = 0;
  let fence: string | undefined;
  const lineBreak = /\r\n|\r|\n/g;
  for (let lineStart = 0; lineStart <= text.length; ) {
    const match = lineBreak.exec(text);
    const lineEnd = match ? match.index : text.length;
    const line = text.slice(lineStart, lineEnd);
    const blank = line.trim() === '';
    let startsChunk = false;
    if (markdown && !blank) {
      const fenceMark = MARKDOWN_FENCE.exec(line)?.[1];
      if (fence === undefined && fenceMark) fence = fenceMark;
      else if (fence !== undefined && fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length) fence = undefined;
      else startsChunk = fence === undefined && MARKDOWN_HEADING.test(line);
    }
    if (chunkStart >= 0 && (blank || startsChunk)) {
      chunks.push([chunkStart, chunkEnd]);
      chunkStart = -1;
    }
    if (!blank) {
      if (chunkStart < 0) chunkStart = lineStart;
      chunkEnd = lineEnd;
    }
    if (!match) break;
    lineStart = match.index + match[0].length;
  }
  if (chunkStart >= 0) chunks.push([chunkStart, chunkEnd]);
  return chunks;
}

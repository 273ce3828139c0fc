// Table tests for how chunk-limit diagnostics split a document into paragraphs (plain text and Markdown).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paragraphChunks } from '../../server/src/diagnostics/paragraphChunks';

/** The chunks as the texts they cover, which is what the offsets are for. */
const chunkTexts = (text: string, markdown: boolean): string[] => paragraphChunks(text, markdown).map(([s, e]) => text.slice(s, e));

const CASES: { name: string; text: string; markdown?: boolean; chunks: string[] }[] = [
  { name: 'empty', text: '', chunks: [] },
  { name: 'only blank lines', text: '\n  \n\t\n', chunks: [] },
  { name: 'one line, no break', text: 'one', chunks: ['one'] },
  { name: 'blank lines separate', text: 'a\nb\n\nc\n\n\n d \n', chunks: ['a\nb', 'c', ' d '] },
  { name: 'whitespace-only lines are blank', text: 'a\n \t \nb', chunks: ['a', 'b'] },
  { name: 'CRLF and CR line breaks', text: 'a\r\nb\r\n\r\nc\r\rd', chunks: ['a\r\nb', 'c', 'd'] },
  { name: 'headings are text outside Markdown', text: '# a\nb\n# c', chunks: ['# a\nb\n# c'] },
  { name: 'Markdown headings start a chunk', text: '# a\nb\n## c\nd', markdown: true, chunks: ['# a\nb', '## c\nd'] },
  { name: 'a hash without a space is no heading', text: 'a\n#tag\n####### seven', markdown: true, chunks: ['a\n#tag\n####### seven'] },
  { name: 'indented up to three spaces', text: 'a\n   # b\n    # c', markdown: true, chunks: ['a', '   # b\n    # c'] },
  { name: 'no heading inside a code fence', text: 'x\n```sh\n# comment\n```\n# h', markdown: true, chunks: ['x\n```sh\n# comment\n```', '# h'] },
  { name: 'a fence closes only with its own mark', text: '~~~\n```\n# in\n~~~~\n# out', markdown: true, chunks: ['~~~\n```\n# in\n~~~~', '# out'] },
  { name: 'astral characters keep UTF-16 offsets', text: '😀 a\n\nb 😀', chunks: ['😀 a', 'b 😀'] },
];

for (const { name, text, markdown = false, chunks } of CASES) {
  test(`paragraph chunks: ${name}`, () => {
    assert.deepEqual(chunkTexts(text, markdown), chunks);
  });
}

test('paragraph chunks are in order, do not overlap, and hold no blank line', () => {
  const text = 'p1 line\np1 more\n\n\n# h\npara\n\n```\ncode\n\ncode\n```\n';
  const chunks = paragraphChunks(text, true);
  for (let i = 0; i < chunks.length; i++) {
    const [start, end] = chunks[i];
    assert.ok(start < end, `chunk ${i} is empty`);
    if (i > 0) assert.ok(chunks[i - 1][1] < start, `chunk ${i} overlaps the one before`);
    assert.ok(!/\n[ \t]*\n/.test(text.slice(start, end)), `chunk ${i} holds a blank line`);
  }
});

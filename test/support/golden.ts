/** The shape of ../shared/tokenizers/reference/golden-public.json, and its code-point offsets in UTF-16 units. */
export interface GoldenFile<HfRow = unknown, SpRow = unknown> {
  strings: string[];
  files: { hf: Record<string, string>; sentencepiece: Record<string, string>; tiktoken: Record<string, string> };
  hf: Record<string, HfRow[]>;
  sentencepiece: Record<string, SpRow[]>;
}

/** Reference offsets count Unicode code points; editors (and our Encoding) count UTF-16 units. */
export function codePointOffsetsToUtf16(text: string, offsets: Array<[number, number]>): Array<[number, number]> {
  const unitAt: number[] = [0];
  let units = 0;
  for (const char of text) {
    units += char.length;
    unitAt.push(units);
  }
  return offsets.map(([start, end]) => [unitAt[start], unitAt[end]]);
}

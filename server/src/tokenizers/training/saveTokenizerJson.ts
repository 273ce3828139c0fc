/** Writes a tokenizer.json atomically: a reader (or a crash, or a cancel) never sees half a file. */
import { writeFileAtomically } from '../../vectors/formats/atomicFile';
import type { TokenizerJson } from './tokenizerJson';

/** Pretty-printed, as Hugging Face's `Tokenizer.save` writes by default. */
export function tokenizerJsonText(json: TokenizerJson): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}

export async function saveTokenizerJson(json: TokenizerJson, file: string): Promise<void> {
  await writeFileAtomically(file, tokenizerJsonText(json));
}

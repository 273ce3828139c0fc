/** Writes a tokenizer.json atomically: a reader (or a crash, or a cancel) never sees half a file. */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { TokenizerJson } from './tokenizerJson';

/** Pretty-printed, as Hugging Face's `Tokenizer.save` writes by default. */
export function tokenizerJsonText(json: TokenizerJson): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}

export async function saveTokenizerJson(json: TokenizerJson, file: string): Promise<void> {
  await writeFileAtomically(file, tokenizerJsonText(json));
}

/** Writes a temporary file beside `file` and renames it over `file`; the folder is created if missing. */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The benchmark corpora (Gutenberg prose, TypeScript's compiler as code) and a scratch folder for files peers read. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { repoRoot, sharedDir } from '../test/support/paths';

/** ../shared, or exit with a message: every benchmark reads its corpora and tokenizers from there. */
export function requireShared(bench: string): string {
  if (sharedDir) return sharedDir;
  console.error(`${bench} needs ../shared (corpora and tokenizers) beside the checkout; it is absent.`);
  process.exit(1);
}

export const gutenbergFile = (shared: string): string => path.join(shared, 'corpora', 'gutenberg_en_60MB.txt');

/** The first `bytes` of a UTF-8 file, cut at a line break. */
export function prefix(file: string, bytes: number): string {
  const text = readFileSync(file).subarray(0, bytes).toString('utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1);
}

/** The text cut at a line break about `heldOutChars` before its end: training text first, the held-out rest after. */
export function splitHeldOut(text: string, heldOutChars: number): { train: string; heldOut: string } {
  const cut = text.lastIndexOf('\n', text.length - heldOutChars) + 1;
  return { train: text.slice(0, cut), heldOut: text.slice(cut) };
}

/** Code: TypeScript's own compiler (a pinned devDependency), so every run reads the same bytes. */
export function codeCorpus(bytes: number): string {
  const files = ['typescript.js', '_tsc.js'].map((f) => path.join(repoRoot, 'node_modules', 'typescript', 'lib', f));
  const code = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  return code.slice(0, code.lastIndexOf('\n', bytes) + 1);
}

/** A temporary folder for the files that processes (spm_encode, spm_train, a training child) read and write. */
export class ScratchDir {
  readonly path = mkdtempSync(path.join(tmpdir(), 'embedding-lens-bench-'));

  file(name: string, content?: string): string {
    const file = path.join(this.path, name);
    if (content !== undefined) writeFileSync(file, content);
    return file;
  }

  dispose(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

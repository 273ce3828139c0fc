/** Which files a training run reads: files as given, folders walked for the text files inside them. */
import { open, readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { TokenizerLoadError } from '../types';

/** Folders never walked into: tool caches and dependencies, not the user's text. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn', '.embedding-lens', '.vscode-test', 'out', 'dist']);
const SNIFF_BYTES = 8192;

/**
 * The training files for `paths`: a file is used as it is (bad UTF-8 in it is an error later, naming it); a folder
 * contributes every text file below it (UTF-8 without NUL bytes in its first 8 KB), hidden folders skipped,
 * in sorted order so a run is repeatable.
 */
export async function expandCorpusPaths(paths: readonly string[], signal?: AbortSignal): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    let info;
    try {
      info = await stat(given);
    } catch (error) {
      throw new TokenizerLoadError(given, `cannot read the training file or folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    if (info.isDirectory()) await walk(given, files, signal);
    else files.push(given);
  }
  return [...new Set(files)];
}

async function walk(dir: string, files: string[], signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && !SKIPPED_FOLDERS.has(entry.name)) await walk(full, files, signal);
    } else if (entry.isFile() && !entry.name.startsWith('.') && (await looksLikeText(full))) files.push(full);
  }
}

/** UTF-8 without NUL bytes at its start: text, not an image or an archive. */
export async function looksLikeText(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    if (bytesRead === 0) return false;
    const head = buffer.subarray(0, bytesRead);
    if (head.includes(0)) return false;
    // Streaming when the file goes on, so a character cut by the 8 KB boundary is not taken for bad UTF-8.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: bytesRead === SNIFF_BYTES });
    return true;
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/**
 * The server's active word vectors: at most one loaded file, kept while the setting names it. Loading streams the
 * file with async reads (the message loop keeps running), and two requests for the same file share one load.
 */
import { stat } from 'node:fs/promises';
import type { WordVectorsInfo, WordVectorsStatus } from '../protocol';
import { readVectorFile, type VectorFormat } from '../vectors/vectorFiles';
import type { WordVectors } from '../vectors/wordVectors';

export interface LoadedWordVectors {
  vectors: WordVectors;
  info: WordVectorsInfo;
}

export interface LoadOptions {
  format?: VectorFormat;
  signal?: AbortSignal;
  onProgress?: (bytes: number, total: number) => void;
}

interface FileStamp {
  mtimeMs: number;
  size: number;
}

export class ActiveWordVectors {
  private loaded: (LoadedWordVectors & { stamp: FileStamp }) | undefined;
  private pending: { path: string; promise: Promise<LoadedWordVectors> } | undefined;
  private failure: { path: string; error: string } | undefined;

  /** The state of `file` (the active setting, or '' for none), for the status request. */
  status(file: string): WordVectorsStatus {
    if (file === '') return { state: 'none' };
    if (this.pending?.path === file) return { state: 'loading', path: file };
    if (this.loaded?.info.path === file) return { state: 'ready', info: this.loaded.info };
    if (this.failure?.path === file) return { state: 'failed', ...this.failure };
    return { state: 'none' };
  }

  /** The loaded vectors if they are `file`'s (the active setting), without waiting for a load. */
  ready(file: string): LoadedWordVectors | undefined {
    return this.loaded?.info.path === file ? this.loaded : undefined;
  }

  /**
   * The vectors of `file`, loading it when needed (again when the file changed on disk since). A failed load is
   * remembered, so hovers do not retry a broken file; an explicit load (`retry`) does.
   */
  async use(file: string, options: LoadOptions = {}, retry = false): Promise<LoadedWordVectors> {
    if (this.pending?.path === file) return this.pending.promise;
    if (!retry && this.failure?.path === file) throw new Error(this.failure.error);
    const stamp = await fileStamp(file);
    if (this.loaded?.info.path === file && sameStamp(this.loaded.stamp, stamp)) return this.loaded;
    const promise = this.read(file, stamp, options);
    this.pending = { path: file, promise };
    try {
      return await promise;
    } finally {
      if (this.pending?.promise === promise) this.pending = undefined;
    }
  }

  /** Makes vectors that are already in memory (just trained) the active ones for `info.path`. */
  async adopt(vectors: WordVectors, info: WordVectorsInfo): Promise<void> {
    this.loaded = { vectors, info, stamp: await fileStamp(info.path) };
    this.failure = undefined;
  }

  /** No vectors are active (the setting was cleared): the memory goes back. */
  clear(): void {
    this.loaded = undefined;
    this.failure = undefined;
  }

  private async read(file: string, stamp: FileStamp, options: LoadOptions): Promise<LoadedWordVectors> {
    try {
      const { vectors, format, warnings } = await readVectorFile(file, options);
      const info: WordVectorsInfo = { path: file, format, words: vectors.size, dim: vectors.dim, subwords: vectors.subwords !== undefined, warnings };
      // Replaced only once the new file has loaded, so a failed load keeps the previous vectors.
      this.loaded = { vectors, info, stamp };
      this.failure = undefined;
      return this.loaded;
    } catch (error) {
      if (!options.signal?.aborted) this.failure = { path: file, error: (error as Error).message };
      throw error;
    }
  }
}

async function fileStamp(file: string): Promise<FileStamp> {
  try {
    const { mtimeMs, size } = await stat(file);
    return { mtimeMs, size };
  } catch (error) {
    throw new Error(`${file}: cannot read the vectors file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.mtimeMs === b.mtimeMs && a.size === b.size;
}

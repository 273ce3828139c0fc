/**
 * The server's active word vectors: at most one loaded file, kept while it is the active one. Loading streams the
 * file with async reads, then prepares the search index off the message loop; the status stays 'loading' until both
 * are done. Callers asking for the same file share one load, each with its own progress and cancel: the load stops
 * only when no caller waits for it any more, or when another file is loaded instead.
 */
import { stat } from 'node:fs/promises';
import type { WordVectorsInfo, WordVectorsStatus } from '../protocol';
import { prepareSearch, releaseSearchIndex } from '../vectors/search/neighbourSearch';
import { readVectorFile, type VectorFormat } from '../vectors/vectorFiles';
import type { WordVectors } from '../vectors/wordVectors';

export interface LoadedWordVectors {
  vectors: WordVectors;
  info: WordVectorsInfo;
}

/** Reading the file (bytes), then building the search index (the engine's units of work). */
export type LoadProgress = { phase: 'reading'; bytes: number; total: number } | { phase: 'indexing'; done: number; total: number };

export interface LoadOptions {
  format?: VectorFormat;
  /** Stops this caller's wait; the load itself stops once no caller waits for it. */
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
}

interface FileStamp {
  mtimeMs: number;
  size: number;
}

interface PendingLoad {
  path: string;
  format: VectorFormat | undefined;
  abort: AbortController;
  promise: Promise<LoadedWordVectors>;
  listeners: Set<(progress: LoadProgress) => void>;
  /** The latest progress, replayed to a caller that joins. */
  last: LoadProgress | undefined;
  /** Callers still waiting. */
  waiters: number;
}

export class ActiveWordVectors {
  private loaded: (LoadedWordVectors & { stamp: FileStamp }) | undefined;
  private pending: PendingLoad | undefined;
  /** The last failed load, with the file's stamp then (undefined: the file could not be read), to retry once it changes. */
  private failure: { path: string; error: string; stamp: FileStamp | undefined } | undefined;
  /** The file last asked for: a caller still looking at an older one's stamp must not start loading it. */
  private latest: string | undefined;

  /** The state of `file` (the active setting, or '' for none), for the status request. */
  status(file: string): WordVectorsStatus {
    if (file === '') return { state: 'none' };
    if (this.loading()?.path === file) return { state: 'loading', path: file };
    if (this.loaded?.info.path === file) return { state: 'ready', info: this.loaded.info };
    if (this.failure?.path === file) return { state: 'failed', path: file, error: this.failure.error };
    return { state: 'none' };
  }

  /** The loaded vectors if they are `file`'s (the active setting), without waiting for a load. */
  ready(file: string): LoadedWordVectors | undefined {
    return this.loaded?.info.path === file ? this.loaded : undefined;
  }

  /**
   * The vectors of `file`, loading it when needed (again when the file changed on disk since). A failed load is
   * remembered until the file changes, so hovers do not retry a broken file; an explicit load (`retry`) does.
   */
  async use(file: string, options: LoadOptions = {}, retry = false): Promise<LoadedWordVectors> {
    const joinable = (): PendingLoad | undefined => {
      const pending = this.loading();
      return pending?.path === file && (options.format === undefined || options.format === pending.format) ? pending : undefined;
    };
    const pending = joinable();
    if (pending) return this.wait(pending, options);
    this.stopLoading(`${file} was asked for instead`);
    this.latest = file;
    let stamp: FileStamp;
    try {
      stamp = await fileStamp(file);
    } catch (error) {
      this.failure = { path: file, error: (error as Error).message, stamp: undefined };
      throw error;
    }
    options.signal?.throwIfAborted();
    if (this.latest !== file) throw new Error(`loading ${file} stopped: ${this.latest || 'no file'} was asked for instead`);
    if (!retry && this.failure?.path === file && sameStamp(this.failure.stamp, stamp)) throw new Error(this.failure.error);
    const started = joinable(); // while the file was looked at
    if (started) return this.wait(started, options);
    const loaded = this.loaded;
    if (loaded?.info.path === file && sameStamp(loaded.stamp, stamp) && (options.format === undefined || options.format === loaded.info.format)) return loaded;
    return this.wait(this.start(file, stamp, options.format), options);
  }

  /**
   * The active file is now `file` ('' for none): vectors and a load of any other file are let go, so that their
   * memory goes back even if loading `file` then fails.
   */
  keepOnly(file: string): void {
    if (this.pending?.path !== file) this.stopLoading(`the active vectors are now ${file || 'none'}`);
    this.latest = file;
    if (this.loaded && this.loaded.info.path !== file) {
      releaseSearchIndex(this.loaded.vectors);
      this.loaded = undefined;
    }
    if (this.failure?.path !== file) this.failure = undefined;
  }

  /** The load in progress, unless it was stopped and is only winding down. */
  private loading(): PendingLoad | undefined {
    return this.pending?.abort.signal.aborted ? undefined : this.pending;
  }

  /** Stops the load in progress, if any: its callers get an error that says why. */
  private stopLoading(why: string): void {
    this.pending?.abort.abort(new Error(`loading ${this.pending.path} stopped: ${why}`));
  }

  /** A new load of `file`, replacing any other in progress. */
  private start(file: string, stamp: FileStamp, format: VectorFormat | undefined): PendingLoad {
    this.stopLoading(`${file} is being loaded instead`);
    const load: PendingLoad = { path: file, format, abort: new AbortController(), promise: Promise.resolve(undefined as never), listeners: new Set(), last: undefined, waiters: 0 };
    this.pending = load;
    load.promise = this.read(load, stamp);
    load.promise.catch(() => undefined); // its callers get the error; a load nobody waits for any more must not go unhandled
    return load;
  }

  private async read(load: PendingLoad, stamp: FileStamp): Promise<LoadedWordVectors> {
    const { path: file, abort } = load;
    const report = (progress: LoadProgress): void => {
      load.last = progress;
      for (const listener of load.listeners) listener(progress);
    };
    try {
      const { vectors, format, warnings } = await readVectorFile(file, { format: load.format, signal: abort.signal, onProgress: (bytes, total) => report({ phase: 'reading', bytes, total }) });
      try {
        await prepareSearch(vectors, { signal: abort.signal, onProgress: (done: number, total: number) => report({ phase: 'indexing', done, total }) });
        abort.signal.throwIfAborted();
      } catch (error) {
        releaseSearchIndex(vectors);
        throw error;
      }
      const info: WordVectorsInfo = { path: file, format, words: vectors.size, dim: vectors.dim, subwords: vectors.subwords !== undefined, warnings };
      const loaded = { vectors, info, stamp };
      // Only the current load replaces the vectors; until then a failed load keeps the previous ones.
      if (this.loaded && this.loaded.vectors !== vectors) releaseSearchIndex(this.loaded.vectors);
      this.loaded = loaded;
      this.failure = undefined;
      return loaded;
    } catch (error) {
      if (abort.signal.aborted) throw abort.signal.reason instanceof Error ? abort.signal.reason : error;
      this.failure = { path: file, error: (error as Error).message, stamp };
      throw error;
    } finally {
      if (this.pending === load) this.pending = undefined;
    }
  }

  /** Waits for `load` as one of its callers: progress until it settles, and a cancel that only stops this wait. */
  private wait(load: PendingLoad, { signal, onProgress }: LoadOptions): Promise<LoadedWordVectors> {
    return new Promise((resolve, reject) => {
      load.waiters++;
      if (onProgress) {
        load.listeners.add(onProgress);
        if (load.last) onProgress(load.last);
      }
      let left = false;
      const leave = (): void => {
        if (left) return;
        left = true;
        signal?.removeEventListener('abort', cancel);
        if (onProgress) load.listeners.delete(onProgress);
        load.waiters--;
      };
      const cancel = (): void => {
        if (left) return;
        leave();
        if (load.waiters === 0) load.abort.abort(new Error(`loading ${load.path} was cancelled`));
        reject(signal?.reason instanceof Error ? signal.reason : new Error(`loading ${load.path} was cancelled`));
      };
      if (signal?.aborted) return cancel();
      signal?.addEventListener('abort', cancel, { once: true });
      load.promise.then(
        (loaded) => {
          leave();
          resolve(loaded);
        },
        (error: unknown) => {
          leave();
          reject(error);
        },
      );
    });
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

function sameStamp(a: FileStamp | undefined, b: FileStamp): boolean {
  return a !== undefined && a.mtimeMs === b.mtimeMs && a.size === b.size;
}

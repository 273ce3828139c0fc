/**
 * Long computations written once as generators that yield after each chunk of work (with how much is done), then
 * run either straight through or with the event loop turning between chunks, so a server stays responsive while it
 * prepares large vectors.
 */

export interface ChunkedWorkOptions {
  signal?: AbortSignal;
  /** Called between chunks: work done so far, and the total. */
  onProgress?(done: number, total: number): void;
}

/** A generator that yields the work done so far after each chunk and returns its result. */
export type ChunkedWork<T> = Generator<number, T, void>;

/** The longest stretch of chunks run before letting the event loop turn. */
const SLICE_MS = 15;

/** Runs the work to its end without yielding (for synchronous callers). */
export function finishNow<T>(work: ChunkedWork<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs the work with the event loop turning about every SLICE_MS (chunks should take a few milliseconds each);
 * rejects with the signal's reason when it is aborted, leaving the rest undone.
 */
export async function finishInSlices<T>(work: ChunkedWork<T>, total: number, options: ChunkedWorkOptions = {}): Promise<T> {
  const { signal, onProgress } = options;
  let sliceStart = performance.now();
  for (;;) {
    signal?.throwIfAborted();
    const step = work.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= SLICE_MS) {
      onProgress?.(step.value, total);
      await turnEventLoop();
      sliceStart = performance.now();
    }
  }
}

/** Lets pending I/O and messages run before continuing. */
export function turnEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * The quantised scan split across threads: the index lives in a shared WebAssembly memory, each helper thread runs
 * the same kernel on its slice of the rows, and the calling thread scans the first slice itself. Calls stay
 * synchronous (the caller blocks on Atomics.wait until the helpers finish, a few milliseconds), like fastText's
 * threads sharing one model. Helpers are unref'd: they never keep the process alive. A helper that fails (an error,
 * an exit, or silence past STALL_MS) closes the helpers, and that scan and later ones run on the calling thread.
 */
import { Worker } from 'node:worker_threads';
import { instantiateScan, scanKernelModule, type ScanFunction } from './scanKernel';

/** Per helper, in the shared control array: [request number, finished request number, the scan's 9 arguments]. */
const SLOT = 12;
const REQUEST = 0;
const FINISHED = 1;
const ARGUMENTS = 2;
/** A helper silent this long has died (a slice takes milliseconds; its first start-up, on a busy machine, longer). */
const STALL_MS = 2_000;
/** How long ready() lets helpers start, not blocking anything meanwhile. */
const READY_MS = 10_000;

// Plain JavaScript run in each helper (eval'd, so bundling needs no extra entry file).
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot } = workerData;
const scan = new WebAssembly.Instance(module, { env: { memory } }).exports.scan;
const base = slot * ${SLOT};
Atomics.store(control, base + ${FINISHED}, 0);
Atomics.notify(control, base + ${FINISHED});
let seen = 0;
for (;;) {
  Atomics.wait(control, base + ${REQUEST}, seen);
  seen = Atomics.load(control, base + ${REQUEST});
  if (seen < 0) break;
  const a = control.subarray(base + ${ARGUMENTS}, base + ${ARGUMENTS + 9});
  scan(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
  Atomics.store(control, base + ${FINISHED}, seen);
  Atomics.notify(control, base + ${FINISHED});
}
`;

export class ScanThreads {
  private readonly scanHere: ScanFunction;
  private readonly helpers: Worker[] = [];
  private readonly control: Int32Array;
  private request = 0;
  private closed = false;

  /** `threads` scanning threads in all, this one included; the memory must be shared when threads > 1. */
  constructor(memory: WebAssembly.Memory, threads: number) {
    const shared = threads > 1;
    this.scanHere = instantiateScan(memory, shared);
    this.control = new Int32Array(new SharedArrayBuffer(4 * SLOT * Math.max(1, threads - 1)));
    if (!shared) return;
    for (let slot = 0; slot < threads - 1; slot++) this.control[slot * SLOT + FINISHED] = -1; // -1 until it is ready
    const module = scanKernelModule(true);
    for (let slot = 0; slot < threads - 1; slot++) {
      const helper = new Worker(HELPER_SOURCE, { eval: true, workerData: { module, memory, control: this.control, slot } });
      helper.unref();
      // Without listeners a helper's error would be thrown in the server's event loop; scans fall back instead.
      helper.on('error', () => this.close());
      helper.on('exit', () => this.close());
      this.helpers.push(helper);
    }
  }

  /**
   * Blocks until every helper has its instance (scans work before that too, waiting inside the first one). A helper
   * that does not start within STALL_MS closes the helpers.
   */
  waitUntilReady(): void {
    for (let slot = 0; slot < this.helpers.length; slot++) {
      const at = slot * SLOT + FINISHED;
      for (let value = Atomics.load(this.control, at); value < 0; value = Atomics.load(this.control, at)) {
        if (this.closed || Atomics.wait(this.control, at, value, STALL_MS) === 'timed-out') return this.close();
      }
    }
  }

  /** waitUntilReady() without blocking: polls while the event loop runs. */
  async ready(): Promise<void> {
    const deadline = performance.now() + READY_MS;
    for (let slot = 0; slot < this.helpers.length && !this.closed; slot++) {
      while (Atomics.load(this.control, slot * SLOT + FINISHED) < 0 && !this.closed) {
        if (performance.now() > deadline) return this.close();
        await new Promise<void>((resolve) => setTimeout(resolve, 2));
      }
    }
  }

  get threads(): number {
    return this.helpers.length + 1;
  }

  /** The kernel over rows [0, rowCount), in contiguous slices of whole rows, one per thread. */
  scan(rows: number, stride: number, rowCount: number, queries: number, queryCount: number, rowScales: number, queryScales: number, out: number): void {
    const threads = rowCount >= 4096 && !this.closed ? this.threads : 1;
    const slice = Math.ceil(rowCount / threads);
    const request = ++this.request;
    for (let slot = 0; slot < threads - 1; slot++) {
      const start = Math.min(rowCount, (slot + 1) * slice);
      const count = Math.min(rowCount, start + slice) - start;
      const base = slot * SLOT;
      this.control.set([rows + start * stride, stride, count, queries, queryCount, rowScales + 4 * start, queryScales, out + 4 * start, rowCount], base + ARGUMENTS);
      Atomics.store(this.control, base + REQUEST, request);
      Atomics.notify(this.control, base + REQUEST);
    }
    this.scanHere(rows, stride, Math.min(slice, rowCount), queries, queryCount, rowScales, queryScales, out, rowCount);
    for (let slot = 0; slot < threads - 1; slot++) {
      if (this.waitFinished(slot, request)) continue;
      // A helper died: its slice (and any after it) may be unwritten, so this thread scans every row again.
      this.scanHere(rows, stride, rowCount, queries, queryCount, rowScales, queryScales, out, rowCount);
      return;
    }
  }

  /** Stops the helpers (safe to call again); later scans run on this thread alone. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (let slot = 0; slot < this.helpers.length; slot++) {
      Atomics.store(this.control, slot * SLOT + REQUEST, -1);
      Atomics.notify(this.control, slot * SLOT + REQUEST);
    }
  }

  /** Terminates the helper threads abruptly, as a crash would (for tests of the fallback). */
  async terminateHelpersForTest(): Promise<void> {
    await Promise.all(this.helpers.map((helper) => helper.terminate()));
  }

  /** Waits for a helper to finish `request`: false, with the helpers closed, when it has failed or stays silent. */
  private waitFinished(slot: number, request: number): boolean {
    const at = slot * SLOT + FINISHED;
    for (let value = Atomics.load(this.control, at); value !== request; value = Atomics.load(this.control, at)) {
      if (this.closed || Atomics.wait(this.control, at, value, STALL_MS) === 'timed-out') {
        this.close();
        return false;
      }
    }
    return true;
  }
}

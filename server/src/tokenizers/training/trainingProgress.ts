/**
 * Progress and cancellation for the trainers. Training is long synchronous work; the trainers ask `due()` often
 * (a counter, nearly free) and, when it says so, await `pause()`, which reports progress, lets the event loop run
 * (so an abort() from a timer, a message or a request gets through) and throws if the signal was aborted.
 */
export interface TrainingProgressEvent {
  phase: string;
  done: number;
  total: number;
}

const PAUSE_EVERY_MS = 50;
const CHECK_EVERY = 256;

export class TrainingProgress {
  private name = '';
  private total = 0;
  private done = 0;
  private calls = 0;
  private lastPause = Date.now();

  constructor(
    private readonly onProgress?: (event: TrainingProgressEvent) => void,
    readonly signal?: AbortSignal,
  ) {}

  /** Starts a phase of `total` steps and reports it; throws if the signal was aborted. */
  phase(name: string, total: number): void {
    this.name = name;
    this.total = total;
    this.done = 0;
    this.report();
    this.signal?.throwIfAborted();
  }

  /** Records how far the phase has come; reported at the next pause. */
  step(done: number): void {
    this.done = done;
  }

  /** Whether it is time to await pause(): about every 50 ms of work. */
  due(): boolean {
    if (++this.calls < CHECK_EVERY) return false;
    this.calls = 0;
    return Date.now() - this.lastPause >= PAUSE_EVERY_MS;
  }

  async pause(): Promise<void> {
    this.report();
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.lastPause = Date.now();
    this.signal?.throwIfAborted();
  }

  private report(): void {
    this.onProgress?.({ phase: this.name, done: this.done, total: this.total });
  }
}

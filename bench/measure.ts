/** Timing helpers shared by the benchmarks: the engine interface, throughput, medians and formatting. */

export const MB = 1024 * 1024;
/** Timed runs per engine and workload, at most; the median is reported. */
const RUNS = 3;
/** A slow engine stops after this many seconds of timed runs (after one run at least), so a full run stays minutes long. */
const BUDGET_SECONDS = 30;
/**
 * Warm-ups double from 16 KB to 1 MB, and after the first (which pays for JIT and lazy set-up) each is a guard: an
 * engine whose full run is projected past MAX_RUN_SECONDS, or whose time grows much faster than its input, on two
 * steps in a row (one step may catch a garbage-collection pause), is reported too slow instead of run, since a
 * superlinear case on 10 MB would run for hours.
 */
const WARM_UP_BYTES = [16, 32, 64, 128, 256, 512, 1024].map((kb) => kb * 1024);
const MAX_RUN_SECONDS = 300;
/** Time growing 8x for twice the input (a cubic curve) is no noise, once a step takes this long. */
const SUPERLINEAR_GROWTH = 8;
const GUARD_FLOOR_SECONDS = 1;

/** What one timed run encodes: every text of it, one call each (one text: the whole corpus in one call). */
export interface Workload {
  label: string;
  texts: readonly string[];
  /** UTF-8 bytes of all texts: the MB in MB/s. */
  bytes: number;
}

export interface Engine {
  readonly name: string;
  /** Untimed set-up a workload needs before it is timed (an input file for a process). */
  prepare?(workload: Workload): void;
  /** Encodes every text of the workload; the total token count, or undefined where the run cannot see its output. */
  encode(workload: Workload): Promise<number | undefined>;
  /** The token count for an engine whose timed runs cannot see their output (a process writing to /dev/null), untimed. */
  count?(workload: Workload): Promise<number>;
  free?(): void;
}

/** An engine that could not be created or run: shown as "n/a (error)" and the bench goes on. */
export interface Unavailable {
  readonly name: string;
  readonly error: string;
}

export type Measurement = { mbps: number; tokens: number; runs: number } | { error: string };

export function workload(label: string, texts: readonly string[]): Workload {
  return { label, texts, bytes: texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) };
}

/** The texts of a workload up to about `bytes`: a warm-up, so the JIT has seen the code before timing. */
export function headOf(work: Workload, bytes: number): Workload {
  if (work.texts.length === 1) return workload(`${work.label} (head)`, [work.texts[0].slice(0, bytes)]);
  const texts: string[] = [];
  let size = 0;
  for (const text of work.texts) {
    if (size >= bytes) break;
    texts.push(text);
    size += Buffer.byteLength(text);
  }
  return workload(`${work.label} (head)`, texts);
}

/** The lines of a text, empty ones left out: the per-line workload every engine gets in the same chunks. */
export function nonEmptyLines(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0);
}

export async function tryEngine(name: string, create: () => Promise<Engine>): Promise<Engine | Unavailable> {
  try {
    return await create();
  } catch (error) {
    return { name, error: errorMessage(error) };
  }
}

export function isUnavailable(engine: Engine | Unavailable): engine is Unavailable {
  return 'error' in engine;
}

interface WarmUp {
  head: Workload;
  seconds: number;
}

/** MB/s of the median timed run after the warm-ups; errors and hopeless cases become a measurement, not a crash. */
export async function throughput(engine: Engine, work: Workload): Promise<Measurement> {
  try {
    let previous: WarmUp | undefined;
    let strike: string | undefined;
    collectGarbage();
    for (const bytes of WARM_UP_BYTES) {
      const head = headOf(work, bytes);
      engine.prepare?.(head);
      const seconds = await timed(() => engine.encode(head));
      const tooSlow = previous && seconds >= GUARD_FLOOR_SECONDS ? tooSlowToRun(previous, { head, seconds }, work) : undefined;
      if (tooSlow && strike) return { error: `too slow to run: ${strike}; ${tooSlow}` };
      strike = tooSlow;
      if (head.bytes >= work.bytes) break;
      previous = { head, seconds };
    }
    engine.prepare?.(work);
    const times: number[] = [];
    let tokens: number | undefined;
    for (let run = 0; run < RUNS && sum(times) < BUDGET_SECONDS; run++) {
      collectGarbage();
      times.push(await timed(async () => (tokens = await engine.encode(work))));
    }
    tokens ??= await engine.count!(work);
    return { mbps: work.bytes / MB / median(times), tokens, runs: times.length };
  } catch (error) {
    return { error: errorMessage(error) };
  }
}

/** Why a warm-up says the full run would take too long, or undefined. */
function tooSlowToRun(previous: WarmUp, step: WarmUp, work: Workload): string | undefined {
  const projected = (step.seconds * work.bytes) / step.head.bytes;
  if (projected > MAX_RUN_SECONDS) {
    return `${mib(step.head.bytes)} took ${step.seconds.toFixed(1)} s (${mib(work.bytes)}: over ${Math.round(projected / 60)} min)`;
  }
  if (step.seconds > SUPERLINEAR_GROWTH * previous.seconds) {
    return `${mib(previous.head.bytes)} took ${previous.seconds.toFixed(2)} s but ${mib(step.head.bytes)} ${step.seconds.toFixed(2)} s (superlinear)`;
  }
  return undefined;
}

/** A full collection between runs, when node runs with --expose-gc, so no engine pays for another's garbage. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function errorMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/** 1234567 -> "1,234,567". */
export const grouped = (n: number): string => n.toLocaleString('en-US');

export const mib = (bytes: number): string => (bytes < MB ? `${Math.round(bytes / 1024)} KB` : `${(bytes / MB).toFixed(2)} MB`);

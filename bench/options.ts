/** Command-line options shared by the benchmarks: a smaller corpus while developing, a subset of sections. */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Corpus size in MB. */
  mb: number;
  /** The sections to run (all when absent). */
  only?: ReadonlySet<string>;
}

/** `--mb N` (default `defaultMb`) and `--only a,b` from `sections`; a wrong value exits with the usage. */
export function benchOptions(bench: string, defaultMb: number, sections: readonly string[]): BenchOptions {
  const usage = `usage: node ${bench} [--mb N (default ${defaultMb})] [--only ${sections.join(',')}]`;
  try {
    const { values } = parseArgs({ options: { mb: { type: 'string' }, only: { type: 'string' } } });
    const mb = values.mb === undefined ? defaultMb : Number(values.mb);
    const only = values.only?.split(',');
    if (!(mb > 0) || only?.some((s) => !sections.includes(s))) throw new Error('bad value');
    return { mb, only: only && new Set(only) };
  } catch {
    console.error(usage);
    process.exit(2);
  }
}

export const wants = (options: BenchOptions, section: string): boolean => !options.only || options.only.has(section);

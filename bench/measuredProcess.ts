/** Runs a command (spm_encode, spm_train, a training child) and measures it from outside: wall, CPU, peak memory. */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';

/** GNU time: its -v report gives a process's CPU time and peak memory (a process tree's largest RSS). */
const GNU_TIME = '/usr/bin/time';
export const hasGnuTime = existsSync(GNU_TIME);

export interface ProcessRun {
  seconds: number;
  /** user + system CPU seconds; more than `seconds` means more than one core was busy. Undefined without GNU time. */
  cpuSeconds?: number;
  maxRssKb?: number;
  stdout: Buffer;
}

export interface ProcessIo {
  /** A file fed to standard input. */
  stdin?: string;
  /** 'ignore' writes standard output to /dev/null; 'pipe' returns it. */
  stdout: 'ignore' | 'pipe';
}

/** Runs `command` to completion; throws naming the command and the end of its stderr when it fails. */
export function runMeasured(command: string, args: readonly string[], io: ProcessIo): ProcessRun {
  const stdin = io.stdin === undefined ? 'ignore' : openSync(io.stdin, 'r');
  try {
    const [file, argv] = hasGnuTime ? [GNU_TIME, ['-v', command, ...args]] : [command, [...args]];
    const start = performance.now();
    const result = spawnSync(file, argv, { stdio: [stdin, io.stdout, 'pipe'], maxBuffer: 1 << 30 });
    const seconds = (performance.now() - start) / 1000;
    const stderr = result.stderr?.toString('utf8') ?? '';
    // GNU time appends its report to the command's own stderr.
    const reportStart = hasGnuTime ? stderr.search(/^(Command exited with non-zero status|\tCommand being timed)/m) : -1;
    const ownStderr = reportStart >= 0 ? stderr.slice(0, reportStart) : stderr;
    if (result.error || result.status !== 0) {
      const why = result.error?.message ?? `exit status ${result.status ?? result.signal}`;
      throw new Error(`${command} failed (${why}): ${ownStderr.trim().split('\n').slice(-3).join(' | ')}`);
    }
    return { seconds, ...(hasGnuTime ? gnuTimeFigures(stderr.slice(reportStart)) : {}), stdout: result.stdout ?? Buffer.alloc(0) };
  } finally {
    if (typeof stdin === 'number') closeSync(stdin);
  }
}

function gnuTimeFigures(report: string): { cpuSeconds: number; maxRssKb: number } {
  const figure = (label: string): number => Number(new RegExp(`${label}: ([\\d.]+)`).exec(report)?.[1] ?? NaN);
  return {
    cpuSeconds: figure('User time \\(seconds\\)') + figure('System time \\(seconds\\)'),
    maxRssKb: figure('Maximum resident set size \\(kbytes\\)'),
  };
}

/** "12.3 s (CPU 24.1 s, peak 812 MB)" for a report line. */
export function describeRun(run: Pick<ProcessRun, 'seconds' | 'cpuSeconds' | 'maxRssKb'>): string {
  const cpu = run.cpuSeconds === undefined ? 'CPU n/a' : `CPU ${run.cpuSeconds.toFixed(1)} s`;
  const memory = run.maxRssKb === undefined ? 'peak memory n/a' : `peak ${(run.maxRssKb / 1024).toFixed(0)} MB`;
  return `${run.seconds.toFixed(1)} s (${cpu}, ${memory})`;
}

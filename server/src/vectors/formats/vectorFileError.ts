/** What reading a vector file gives back, and how it fails: every message names the file, and the line if any. */
import type { WordVectors } from '../wordVectors';

export type VectorFormat = 'word2vec-text' | 'word2vec-binary' | 'glove' | 'fasttext-bin';

export const VECTOR_FORMATS: readonly VectorFormat[] = ['word2vec-text', 'word2vec-binary', 'glove', 'fasttext-bin'];

/** A problem that did not stop the read (a duplicate word); `message` names the file. */
export interface VectorFileWarning {
  line?: number;
  message: string;
}

export interface LoadedVectors {
  vectors: WordVectors;
  format: VectorFormat;
  warnings: VectorFileWarning[];
}

export interface VectorReadOptions {
  /** Read only the first N rows (the most frequent words, in published files); repeated words count among them. */
  limit?: number;
  signal?: AbortSignal;
  /** Called after each chunk read. */
  onProgress?(bytesRead: number, totalBytes: number): void;
}

/** "FILE:LINE: problem", or "FILE: problem" without a line: how every vector and evaluation file problem reads. */
export function fileProblem(file: string, problem: string, line?: number): string {
  return `${file}${line === undefined ? '' : `:${line}`}: ${problem}`;
}

/** A vector file that cannot be read or written; the message is fileProblem's. */
export class VectorFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
    readonly line?: number,
  ) {
    super(fileProblem(file, problem, line));
    this.name = 'VectorFileError';
  }
}

/** Warnings as they are found, keeping the first hundred and counting the rest, so a bad file cannot flood memory. */
export class WarningList {
  readonly items: VectorFileWarning[] = [];
  private dropped = 0;

  constructor(
    private readonly file: string,
    private readonly keep = 100,
  ) {}

  add(problem: string, line?: number): void {
    if (this.items.length < this.keep) this.items.push({ line, message: fileProblem(this.file, problem, line) });
    else this.dropped++;
  }

  /** The kept warnings, plus one that says how many more there were. */
  finish(): VectorFileWarning[] {
    if (this.dropped > 0) this.items.push({ message: `${this.file}: ${this.dropped} more warnings not listed` });
    return this.items;
  }
}

/**
 * Sorted co-occurrence runs on disk, and their k-way merge. A run file is a sequence of 16-byte records
 * (row int32, column int32, sum float64, little-endian) sorted by (row, column) with no repeated pair, as GloVe's
 * `cooccur` writes its overflow files.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import type { CooccurrenceRun } from './cooccurrenceTable';

const RECORD_BYTES = 16;
const RECORDS_PER_BUFFER = 1 << 14;

export function writeRunFile(file: string, run: CooccurrenceRun): void {
  const buffer = Buffer.allocUnsafe(RECORDS_PER_BUFFER * RECORD_BYTES);
  const fd = openSync(file, 'wx');
  try {
    for (let start = 0; start < run.count; start += RECORDS_PER_BUFFER) {
      const end = Math.min(run.count, start + RECORDS_PER_BUFFER);
      for (let n = start, at = 0; n < end; n++, at += RECORD_BYTES) {
        buffer.writeInt32LE(run.rows[n], at);
        buffer.writeInt32LE(run.cols[n], at + 4);
        buffer.writeDoubleLE(run.values[n], at + 8);
      }
      const bytes = (end - start) * RECORD_BYTES;
      for (let written = 0; written < bytes; ) written += writeSync(fd, buffer, written, bytes - written);
    }
  } finally {
    closeSync(fd);
  }
}

/** Something that yields sorted entries one at a time: `row` is -1 once it is exhausted. */
interface RunCursor {
  row: number;
  col: number;
  value: number;
  next(): void;
  close(): void;
}

/** Reads a run file through a fixed buffer. */
class FileCursor implements RunCursor {
  row = -1;
  col = 0;
  value = 0;
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(RECORDS_PER_BUFFER * RECORD_BYTES);
  private filled = 0;
  private at = 0;

  constructor(private readonly file: string) {
    this.fd = openSync(file, 'r');
    this.next();
  }

  next(): void {
    if (this.at + RECORD_BYTES > this.filled && !this.refill()) {
      this.row = -1;
      return;
    }
    this.row = this.buffer.readInt32LE(this.at);
    this.col = this.buffer.readInt32LE(this.at + 4);
    this.value = this.buffer.readDoubleLE(this.at + 8);
    this.at += RECORD_BYTES;
  }

  close(): void {
    closeSync(this.fd);
  }

  private refill(): boolean {
    const left = this.filled - this.at;
    if (left > 0) this.buffer.copy(this.buffer, 0, this.at, this.filled);
    this.filled = left;
    this.at = 0;
    for (;;) {
      const read = readSync(this.fd, this.buffer, this.filled, this.buffer.length - this.filled, null);
      if (read === 0) break;
      this.filled += read;
      if (this.filled >= RECORD_BYTES) break;
    }
    if (this.filled === 0) return false;
    if (this.filled < RECORD_BYTES) throw new Error(`GloVe: co-occurrence run ${this.file} ends in the middle of a record`);
    return true;
  }
}

class MemoryCursor implements RunCursor {
  row = -1;
  col = 0;
  value = 0;
  private n = 0;

  constructor(private readonly run: CooccurrenceRun) {
    this.next();
  }

  next(): void {
    if (this.n >= this.run.count) {
      this.row = -1;
      return;
    }
    this.row = this.run.rows[this.n];
    this.col = this.run.cols[this.n];
    this.value = this.run.values[this.n++];
  }

  close(): void {}
}

const before = (a: RunCursor, b: RunCursor): boolean => a.row < b.row || (a.row === b.row && a.col < b.col);

/**
 * Merges sorted runs (files and in-memory runs) in (row, column) order, summing the values of a pair found in
 * several runs, and calls `emit` once per distinct pair. A binary heap of cursors keeps it O(log k) per entry.
 */
export function mergeRuns(files: readonly string[], memoryRuns: readonly CooccurrenceRun[], emit: (row: number, col: number, value: number) => void): void {
  const cursors: RunCursor[] = [];
  try {
    for (const file of files) cursors.push(new FileCursor(file));
    for (const run of memoryRuns) cursors.push(new MemoryCursor(run));
    const heap = cursors.filter((cursor) => cursor.row >= 0);
    for (let k = (heap.length >> 1) - 1; k >= 0; k--) siftDown(heap, k);
    let row = -1;
    let col = -1;
    let sum = 0;
    while (heap.length > 0) {
      const top = heap[0];
      if (top.row === row && top.col === col) {
        sum += top.value;
      } else {
        if (row >= 0) emit(row, col, sum);
        row = top.row;
        col = top.col;
        sum = top.value;
      }
      top.next();
      if (top.row < 0) {
        heap[0] = heap[heap.length - 1];
        heap.pop();
      }
      if (heap.length > 0) siftDown(heap, 0);
    }
    if (row >= 0) emit(row, col, sum);
  } finally {
    for (const cursor of cursors) cursor.close();
  }
}

function siftDown(heap: RunCursor[], start: number): void {
  let k = start;
  for (;;) {
    const left = 2 * k + 1;
    if (left >= heap.length) return;
    const right = left + 1;
    const child = right < heap.length && before(heap[right], heap[left]) ? right : left;
    if (!before(heap[child], heap[k])) return;
    [heap[k], heap[child]] = [heap[child], heap[k]];
    k = child;
  }
}

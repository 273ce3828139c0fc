/**
 * Writes a large file atomically and in pieces: everything goes to a temporary file beside the target, renamed over
 * it only when complete, so a reader (or a crash, or a cancel) never sees half a file (vectors, a tokenizer.json). Pieces are gathered
 * into ~1 MB writes so a file of a billion small numbers is not one giant string.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';

const FLUSH_BYTES = 1 << 20;
const DIRECT_WRITE_BYTES = 64 << 20;

export class FileSink {
  private pieces: (string | Uint8Array)[] = [];
  private pending = 0;

  constructor(private readonly handle: FileHandle) {}

  async text(text: string): Promise<void> {
    this.pieces.push(text);
    this.pending += text.length;
    if (this.pending >= FLUSH_BYTES) await this.flush();
  }

  /**
   * Small pieces are copied and gathered; a large one (a whole matrix) is written as it is, without a copy. Either
   * way the caller may reuse `bytes` once this returns.
   */
  async bytes(bytes: Uint8Array): Promise<void> {
    if (bytes.length >= FLUSH_BYTES) {
      await this.flush();
      for (let at = 0; at < bytes.length; at += DIRECT_WRITE_BYTES) await this.handle.write(bytes.subarray(at, at + DIRECT_WRITE_BYTES));
      return;
    }
    this.pieces.push(Uint8Array.prototype.slice.call(bytes));
    this.pending += bytes.length;
    if (this.pending >= FLUSH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pieces.length === 0) return;
    const chunk = Buffer.concat(this.pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece)));
    this.pieces = [];
    this.pending = 0;
    await this.handle.write(chunk);
  }
}

/** Writes `text` (UTF-8) atomically. */
export function writeFileAtomically(file: string, text: string): Promise<void> {
  return writeFileAtomicallyWith(file, (sink) => sink.text(text));
}

/** Runs `write` on a temporary file beside `file`, then renames it over `file`; the folder is created if missing. */
export async function writeFileAtomicallyWith(file: string, write: (sink: FileSink) => Promise<void>): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    try {
      const sink = new FileSink(handle);
      await write(sink);
      await sink.flush();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

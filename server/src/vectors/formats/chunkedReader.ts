/**
 * Reads a file through one reusable buffer: parsers work on the bytes in [pos, end) and ask for more when a line or
 * row runs past the end, so a large file is never held whole (and never decoded to one string).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { VectorFileError, type VectorReadOptions } from './vectorFileError';

const CHUNK_BYTES = 4 << 20;
/** No line or row of a vector file comes near this; beyond it the file is not one. */
const MAX_BUFFER_BYTES = 1 << 30;

export class ChunkedReader {
  buffer: Buffer;
  /** Next unread byte in `buffer`. */
  pos = 0;
  /** End of the valid bytes in `buffer`. */
  end = 0;
  /** True once the file has no more bytes to give. */
  eof = false;
  /** File offset of buffer[0]. */
  private bufferOffset = 0;
  private fileOffset = 0;

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly options: Pick<VectorReadOptions, 'signal' | 'onProgress'>,
  ) {
    this.buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(size, 1)));
  }

  static async open(file: string, options: Pick<VectorReadOptions, 'signal' | 'onProgress'> = {}): Promise<ChunkedReader> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(file, 'r');
      const info = await handle.stat();
      if (!info.isFile()) throw new VectorFileError(file, 'not a file');
      return new ChunkedReader(file, handle, info.size, options);
    } catch (error) {
      await handle?.close();
      if (error instanceof VectorFileError) throw error;
      throw new VectorFileError(file, `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }

  /** The file offset of buffer index i, for messages. */
  offsetOf(i: number): number {
    return this.bufferOffset + i;
  }

  /**
   * Keeps the unread bytes, moved to the buffer's start (the buffer doubles when they fill it), and reads the next
   * chunk after them. False at the end of the file.
   */
  async more(): Promise<boolean> {
    if (this.eof) return false;
    this.options.signal?.throwIfAborted();
    const kept = this.end - this.pos;
    if (kept === this.buffer.length) {
      if (this.buffer.length >= MAX_BUFFER_BYTES) throw new VectorFileError(this.file, `a line or row longer than ${MAX_BUFFER_BYTES} bytes at byte ${this.offsetOf(this.pos)}: not a vector file`);
      const grown = Buffer.allocUnsafe(this.buffer.length * 2);
      this.buffer.copy(grown, 0, this.pos, this.end);
      this.buffer = grown;
    } else if (this.pos > 0) this.buffer.copyWithin(0, this.pos, this.end);
    this.bufferOffset += this.pos;
    this.pos = 0;
    this.end = kept;
    const { bytesRead } = await this.read(this.buffer, kept, this.buffer.length - kept);
    this.end += bytesRead;
    if (bytesRead === 0) this.eof = true;
    return bytesRead > 0;
  }

  /** Makes at least n unread bytes available; false when the file ends first. */
  async ensure(n: number): Promise<boolean> {
    while (this.end - this.pos < n) {
      if (this.buffer.length < n) {
        const grown = Buffer.allocUnsafe(Math.max(n, this.buffer.length * 2));
        this.buffer.copy(grown, 0, this.pos, this.end);
        this.bufferOffset += this.pos;
        this.end -= this.pos;
        this.pos = 0;
        this.buffer = grown;
      }
      if (!(await this.more())) return false;
    }
    return true;
  }

  /**
   * Fills `target` with the next target.length bytes: first what the buffer holds, then straight from the file, so
   * a large matrix is read once into its final place. False when the file ends first.
   */
  async readInto(target: Uint8Array): Promise<boolean> {
    const buffered = Math.min(this.end - this.pos, target.length);
    target.set(this.buffer.subarray(this.pos, this.pos + buffered));
    this.pos += buffered;
    if (buffered === target.length) return true;
    let filled = buffered;
    while (filled < target.length) {
      this.options.signal?.throwIfAborted();
      const { bytesRead } = await this.read(target, filled, Math.min(target.length - filled, 64 << 20));
      if (bytesRead === 0) return false;
      filled += bytesRead;
    }
    // The buffer is empty and sits at the file position after `target`.
    this.bufferOffset = this.fileOffset;
    this.pos = 0;
    this.end = 0;
    return true;
  }

  /** Skips n bytes; false when the file is shorter. */
  skip(n: number): boolean {
    const buffered = Math.min(this.end - this.pos, n);
    this.pos += buffered;
    if (buffered === n) return true;
    this.fileOffset += n - buffered;
    this.bufferOffset = this.fileOffset;
    this.pos = 0;
    this.end = 0;
    return this.fileOffset <= this.size;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  private async read(target: Uint8Array, at: number, length: number): Promise<{ bytesRead: number }> {
    let result;
    try {
      result = await this.handle.read(target, at, length, this.fileOffset);
    } catch (error) {
      throw new VectorFileError(this.file, `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    this.fileOffset += result.bytesRead;
    this.options.onProgress?.(this.fileOffset, this.size);
    return result;
  }
}

/** Opens the file, runs `parse` on it, and closes it whatever happens. */
export async function withChunkedReader<T>(file: string, options: Pick<VectorReadOptions, 'signal' | 'onProgress'>, parse: (reader: ChunkedReader) => Promise<T>): Promise<T> {
  const reader = await ChunkedReader.open(file, options);
  try {
    return await parse(reader);
  } finally {
    await reader.close();
  }
}

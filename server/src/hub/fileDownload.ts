/** Fetches one file's bytes into its `.incomplete` file, resuming what an earlier attempt or call left there. */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { HubClient } from './hubClient';
import { cancelledError, HubDownloadError } from './hubErrors';

export interface FileTransfer {
  file: string;
  url: string;
  /** The size the Hub announced, when it did. */
  size: number | undefined;
  incompletePath: string;
  onProgress?(received: number, total: number | undefined): void;
}

/** Attempts per call: a connection that breaks after bringing bytes is resumed at once, a few times. */
const MAX_ATTEMPTS = 3;

/**
 * Brings `incompletePath` to the whole file. Asks for the missing tail (`Range: bytes=N-`) and appends when the
 * server answers 206 from N; starts over when it answers 200. On failure the bytes received stay, for a later call.
 */
export async function transferFile(client: HubClient, transfer: FileTransfer): Promise<void> {
  const { file, url, size, incompletePath } = transfer;
  const { modelId } = client.context();
  for (let attempt = 1; ; attempt++) {
    let offset = await sizeOf(incompletePath);
    if (size !== undefined && offset === size) return; // an earlier call got every byte but stopped before verifying
    if (size !== undefined && offset > size) offset = 0; // not a prefix of this file: rewrite it
    const headers = client.headers(url);
    if (offset > 0) headers.range = `bytes=${offset}-`;
    const response = await client.fetch(url, { headers }, file, [416]);
    if (response.status === 416) {
      // The server has nothing past our bytes, so they are not a prefix of its file: start over.
      await response.body?.cancel();
      await writeFile(incompletePath, '');
      continue;
    }
    const resumed = response.status === 206 && contentRangeStart(response) === offset;
    if (response.status === 206 && !resumed) {
      await response.body?.cancel();
      throw new HubDownloadError(modelId, 'bad-response', `${file}: asked for bytes from ${offset}, the server sent ${response.headers.get('content-range') ?? 'another range'}`);
    }
    const start = resumed ? offset : 0;
    const total = size ?? totalSize(response, start);
    let received = start;
    transfer.onProgress?.(received, total);
    try {
      if (!response.body) throw new Error('the answer has no body');
      await writeBody(response.body, incompletePath, resumed, (bytes) => {
        received += bytes;
        transfer.onProgress?.(received, total);
      });
      return;
    } catch (error) {
      if (client.signal?.aborted) throw cancelledError(modelId);
      const { syscall, code } = error as NodeJS.ErrnoException;
      if (syscall) throw new HubDownloadError(modelId, 'cache', `${file}: cannot write ${incompletePath} (${code ?? syscall})`);
      const progressed = received > start;
      if (progressed && attempt < MAX_ATTEMPTS) continue;
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new HubDownloadError(
        modelId,
        'network',
        `${file}: the connection broke after ${received}${total === undefined ? '' : ` of ${total}`} bytes (${cause}); they are kept, and downloading again resumes from there`,
      );
    }
  }
}

/**
 * Writes the body to the file as it arrives. When the body fails half way (a broken connection, a cancel), every
 * byte that did arrive is still written before the error goes on, so the next attempt resumes from all of them.
 */
async function writeBody(body: ReadableStream<Uint8Array>, file: string, append: boolean, onChunk: (bytes: number) => void): Promise<void> {
  const out = createWriteStream(file, { flags: append ? 'a' : 'w' });
  const written = finished(out);
  written.catch(() => undefined); // awaited below; a disk error also ends the loop through 'drain' racing it
  let bodyError: unknown;
  try {
    for await (const chunk of Readable.fromWeb(body as NodeReadableStream<Uint8Array>)) {
      onChunk((chunk as Buffer).length);
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), written]);
    }
  } catch (error) {
    bodyError = error;
  }
  out.end();
  await written; // a write error wins: it is the one to fix
  if (bodyError !== undefined) throw bodyError;
}

async function sizeOf(file: string): Promise<number> {
  return stat(file).then((s) => s.size, () => 0);
}

/** N in `Content-Range: bytes N-M/T`. */
function contentRangeStart(response: Response): number | undefined {
  const match = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return match ? Number(match[1]) : undefined;
}

/** The whole file's size: T of a Content-Range, or what is already there plus the Content-Length. */
function totalSize(response: Response, start: number): number | undefined {
  const fromRange = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
  if (fromRange) return Number(fromRange[1]);
  const length = response.headers.get('content-length');
  return length === null ? undefined : start + Number(length);
}

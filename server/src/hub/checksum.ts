/** Checks a downloaded file against the hash the Hub gives as its ETag. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/**
 * The Hub's ETag (X-Linked-Etag for files in LFS/Xet storage) is the content's sha256 for large files, and the
 * git blob id, sha1("blob <size>\0" + content), for small files kept in git.
 */
export interface ExpectedChecksum {
  algorithm: 'sha256' | 'git-blob-sha1';
  hex: string;
}

/** The checksum an ETag stands for, or undefined when it is neither form (e.g. a mirror's own ETag). */
export function checksumFromEtag(etag: string | null | undefined): ExpectedChecksum | undefined {
  const bare = etag?.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1').toLowerCase();
  if (bare && /^[0-9a-f]{64}$/.test(bare)) return { algorithm: 'sha256', hex: bare };
  if (bare && /^[0-9a-f]{40}$/.test(bare)) return { algorithm: 'git-blob-sha1', hex: bare };
  return undefined;
}

/** The file's checksum in the given algorithm, read as a stream so large files do not sit in memory. */
export async function fileChecksum(file: string, algorithm: ExpectedChecksum['algorithm']): Promise<string> {
  const hash = createHash(algorithm === 'sha256' ? 'sha256' : 'sha1');
  if (algorithm === 'git-blob-sha1') hash.update(`blob ${(await stat(file)).size}\0`);
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Why the file does not match, or undefined when it does. */
export async function checksumProblem(file: string, expected: ExpectedChecksum): Promise<string | undefined> {
  const actual = await fileChecksum(file, expected.algorithm);
  return actual === expected.hex ? undefined : `checksum mismatch: expected ${expected.algorithm} ${expected.hex}, got ${actual}`;
}

import { readFileSync } from 'node:fs';
import { TokenizerLoadError } from './types';

/** Mergeable ranks of a tiktoken encoding: token byte strings (see byteString.ts) indexed by rank. */
export interface Ranks {
  /** byte string -> rank */
  byBytes: Map<string, number>;
  /** rank -> byte string; holes where a rank is unused */
  bytesOf: string[];
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Reads a tiktoken rank file: one `<base64 token bytes> <rank>` per line. */
export function readRankFile(file: string): Ranks {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (error) {
    throw new TokenizerLoadError(file, `cannot read the file (${(error as Error).message})`);
  }
  return parseRanks(content.toString('latin1'), file);
}

export function parseRanks(text: string, file: string): Ranks {
  const byBytes = new Map<string, number>();
  const bytesOf: string[] = [];
  let lineNumber = 0;
  for (const line of text.split('\n')) {
    lineNumber++;
    if (line === '' || line === '\r') continue;
    const space = line.indexOf(' ');
    const token = line.slice(0, space);
    const rankText = line.slice(space + 1).trimEnd();
    const fail = (problem: string): never => {
      throw new TokenizerLoadError(file, `line ${lineNumber}: ${problem} (expected "<base64 token> <rank>")`);
    };
    if (space < 0) fail('no rank after the token');
    if (space === 0 || !BASE64.test(token) || token.length % 4 !== 0) fail('not a base64 token');
    if (!/^\d+$/.test(rankText)) fail(`rank "${rankText.slice(0, 20)}" is not a non-negative integer`);
    const rank = Number(rankText);
    const bytes = Buffer.from(token, 'base64').toString('latin1');
    if (bytes.length === 0) fail('empty token');
    if (byBytes.has(bytes)) fail(`token ${token} appears twice`);
    if (bytesOf[rank] !== undefined) fail(`rank ${rank} is given to two tokens`);
    byBytes.set(bytes, rank);
    bytesOf[rank] = bytes;
  }
  if (byBytes.size === 0) throw new TokenizerLoadError(file, 'no ranks found');
  for (let byte = 0; byte < 256; byte++) {
    if (!byBytes.has(String.fromCharCode(byte))) {
      throw new TokenizerLoadError(file, `no rank for the single byte 0x${byte.toString(16)}: every byte needs one`);
    }
  }
  return { byBytes, bytesOf };
}

/** Serialises ranks in the tiktoken file format (used by the build to write the bundled encodings). */
export function formatRanks(ranks: Ranks): string {
  let out = '';
  ranks.bytesOf.forEach((bytes, rank) => {
    out += `${Buffer.from(bytes, 'latin1').toString('base64')} ${rank}\n`;
  });
  return out;
}

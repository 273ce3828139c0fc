import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { TIKTOKEN_ENCODINGS, type TiktokenEncodingSpec } from '../../../models/tiktokenEncodings';
import { parseRanks } from './rankFile';
import { TiktokenTokenizer } from './tiktoken';
import { TokenizerLoadError, type Tokenizer } from './types';

export interface TokenizerInfo {
  /** What the user types or picks: a bundled name, or a file path. */
  id: string;
  description: string;
  family: 'tiktoken';
}

/**
 * Knows the bundled tokenizers and loads any of them, or a tokenizer file, once.
 * Loading reads and parses asynchronously so a server stays responsive meanwhile.
 */
export class TokenizerCatalog {
  private readonly loaded = new Map<string, Promise<Tokenizer>>();

  /** Where the bundled rank files are; found on first use, so a broken install fails a load, not startup. */
  constructor(private encodingsDir?: string) {}

  list(): TokenizerInfo[] {
    return TIKTOKEN_ENCODINGS.map((spec) => ({ id: spec.name, description: spec.description, family: 'tiktoken' }));
  }

  isBundled(id: string): boolean {
    return TIKTOKEN_ENCODINGS.some((spec) => spec.name === id);
  }

  /** A bundled tokenizer by name, or a tokenizer file by path. Rejects with TokenizerLoadError. */
  load(nameOrPath: string): Promise<Tokenizer> {
    let pending = this.loaded.get(nameOrPath);
    if (!pending) {
      pending = this.loadUncached(nameOrPath);
      this.loaded.set(nameOrPath, pending);
      pending.catch(() => this.loaded.delete(nameOrPath)); // a fixed file may be retried
    }
    return pending;
  }

  private async loadUncached(nameOrPath: string): Promise<Tokenizer> {
    const spec = TIKTOKEN_ENCODINGS.find((s) => s.name === nameOrPath);
    if (spec) {
      this.encodingsDir ??= findEncodingsDir();
      return loadTiktoken(path.join(this.encodingsDir, spec.rankFile), spec);
    }
    if (!looksLikePath(nameOrPath)) {
      const known = this.list().map((t) => t.id).join(', ');
      throw new TokenizerLoadError(nameOrPath, `no bundled tokenizer has this name (bundled: ${known}); give a file path to load a file`);
    }
    if (nameOrPath.endsWith('.tiktoken')) return loadTiktoken(nameOrPath);
    throw new TokenizerLoadError(nameOrPath, 'unsupported tokenizer file type (supported so far: .tiktoken rank files)');
  }
}

function looksLikePath(text: string): boolean {
  return text.includes('/') || text.includes('\\') || text.includes('.');
}

/**
 * Loads a tiktoken rank file. A bare rank file carries no pre-tokenizer pattern, so a file the user gives
 * is recognised by its sha256 as one of the known encodings.
 */
async function loadTiktoken(file: string, spec?: TiktokenEncodingSpec): Promise<Tokenizer> {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    throw new TokenizerLoadError(file, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (!spec) {
    const sha = createHash('sha256').update(content).digest('hex');
    spec = TIKTOKEN_ENCODINGS.find((s) => s.sha256 === sha);
    if (!spec) {
      throw new TokenizerLoadError(file, 'this rank file is not one of the known encodings, and a .tiktoken file alone does not say which pre-tokenizer pattern and special tokens go with it');
    }
  }
  const ranks = parseRanks(content.toString('latin1'), file);
  return new TiktokenTokenizer({ name: spec.name, ranks, pattern: spec.pattern, specialTokens: spec.specialTokens });
}

/** The folder of bundled rank files: dist/encodings beside the bundle, found by walking up from this module. */
export function findEncodingsDir(): string {
  const override = process.env.EMBEDDING_LENS_ENCODINGS;
  if (override) return override;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, 'encodings'), path.join(dir, 'dist', 'encodings')]) {
      if (existsSync(path.join(candidate, TIKTOKEN_ENCODINGS[0].rankFile))) return candidate;
    }
    if (path.dirname(dir) === dir) {
      throw new TokenizerLoadError(path.join(__dirname, 'encodings'), 'the bundled encodings are missing; run `npm run build`');
    }
  }
}

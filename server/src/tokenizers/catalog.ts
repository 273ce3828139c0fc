import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { TIKTOKEN_ENCODINGS } from '../../../models/tiktokenEncodings';
import { loadTiktoken, loadTokenizerFile, readTokenizerFile } from './tokenizerFiles';
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
      const file = path.join(this.encodingsDir, spec.rankFile);
      return loadTiktoken(await readTokenizerFile(file), file, spec.name, spec);
    }
    if (!looksLikePath(nameOrPath)) {
      const known = this.list().map((t) => t.id).join(', ');
      throw new TokenizerLoadError(nameOrPath, `no bundled tokenizer has this name (bundled: ${known}); give a file path to load a file`);
    }
    return loadTokenizerFile(nameOrPath);
  }
}

function looksLikePath(text: string): boolean {
  return text.includes('/') || text.includes('\\') || text.includes('.');
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

/**
 * The `embeddingLens.wordVectors` settings, read by the word-vector feature itself (the shared SettingsStore covers
 * the tokenizer settings): which vectors file is active and how many neighbours to show.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import { PulledSettings } from '../pulledSettings';

export interface WordVectorsSettings {
  /** Absolute path of the active vectors file, or '' for none. */
  file: string;
  /** Neighbours shown in the hover (0: none) and by default in Similar Words. */
  topn: number;
}

const DEFAULT_WORD_VECTORS_SETTINGS: WordVectorsSettings = { file: '', topn: 8 };
const MAX_TOPN = 100;

export class WordVectorsSettingsReader extends PulledSettings<WordVectorsSettings> {
  /** Relative `file` values are taken from here. */
  workspaceRoot: string | undefined;

  constructor(connection: Connection) {
    super(connection, 'embeddingLens.wordVectors', DEFAULT_WORD_VECTORS_SETTINGS);
  }

  /** A path or file: URI as a client or a setting gave it, made absolute against the workspace folder. */
  resolve(file: string): string {
    if (file.startsWith('file:')) return fileURLToPath(file);
    return path.resolve(this.workspaceRoot ?? process.cwd(), file);
  }

  protected normalize(raw: unknown): WordVectorsSettings {
    const value = (raw ?? {}) as Record<string, unknown>;
    const file = typeof value.file === 'string' ? value.file.trim() : '';
    const topn = value.topn;
    return {
      file: file === '' ? '' : this.resolve(file),
      topn: typeof topn === 'number' && Number.isInteger(topn) && topn >= 0 ? Math.min(topn, MAX_TOPN) : DEFAULT_WORD_VECTORS_SETTINGS.topn,
    };
  }
}

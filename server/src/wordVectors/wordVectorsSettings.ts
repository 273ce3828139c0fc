/**
 * The `embeddingLens.wordVectors` settings, read by the word-vector feature itself (the shared SettingsStore covers
 * the tokenizer settings): which vectors file is active and how many neighbours to show.
 */
import type { Connection } from 'vscode-languageserver';
import { PulledSettings, resolveClientPath } from '../pulledSettings';

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

  resolve(file: string): string {
    return resolveClientPath(file, this.workspaceRoot);
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

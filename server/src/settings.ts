import type { Connection, InitializeParams } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, type EmbeddingLensSettings } from './protocol';
import { PulledSettings, workspaceRootOf } from './pulledSettings';
import { resolveTokenizerSetting } from './tokenLens/tokenizerRefs';

/**
 * The `embeddingLens` settings, pulled from clients that support workspace/configuration, defaults otherwise.
 * Tokenizer values come back ready for the catalog: workspace-relative paths resolved against the workspace folder.
 */
export class SettingsStore extends PulledSettings<EmbeddingLensSettings> {
  /** The workspace folder's path; relative tokenizer paths are resolved against it. */
  private workspaceRoot: string | undefined;

  constructor(connection: Connection) {
    super(connection, 'embeddingLens', DEFAULT_SETTINGS);
  }

  /** Takes the workspace folder from initialize. */
  useWorkspace(folders: InitializeParams['workspaceFolders'], rootUri: InitializeParams['rootUri']): void {
    this.workspaceRoot = workspaceRootOf({ workspaceFolders: folders, rootUri });
  }

  /** A tokenizer name or path as a client gave it, ready for the catalog. */
  resolveTokenizer(value: string): string {
    return resolveTokenizerSetting(value, this.workspaceRoot);
  }

  protected normalize(raw: unknown): EmbeddingLensSettings {
    type Section<T> = Partial<Record<keyof T, unknown>>;
    const value = (raw ?? {}) as Section<EmbeddingLensSettings>;
    const hover = (value.hover ?? {}) as Section<EmbeddingLensSettings['hover']>;
    const compare = (value.compare ?? {}) as Section<EmbeddingLensSettings['compare']>;
    const chunkLimit = (value.chunkLimit ?? {}) as Section<EmbeddingLensSettings['chunkLimit']>;
    const tokenizer = nonEmptyString(value.tokenizer);
    const chunkTokenizer = nonEmptyString(chunkLimit.tokenizer);
    const maxTokens = chunkLimit.maxTokens;
    return {
      tokenizer: tokenizer ? this.resolveTokenizer(tokenizer) : DEFAULT_SETTINGS.tokenizer,
      hover: {
        enabled: typeof hover.enabled === 'boolean' ? hover.enabled : DEFAULT_SETTINGS.hover.enabled,
        tokenizers: this.tokenizerList(hover.tokenizers),
      },
      compare: { tokenizers: this.tokenizerList(compare.tokenizers) },
      chunkLimit: {
        tokenizer: chunkTokenizer ? this.resolveTokenizer(chunkTokenizer) : '',
        maxTokens: typeof maxTokens === 'number' && Number.isInteger(maxTokens) && maxTokens > 0 ? maxTokens : DEFAULT_SETTINGS.chunkLimit.maxTokens,
      },
    };
  }

  private tokenizerList(value: unknown): string[] {
    if (!Array.isArray(value)) return [];
    return value.map(nonEmptyString).filter((t): t is string => t !== undefined).map((t) => this.resolveTokenizer(t));
  }
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

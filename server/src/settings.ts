import { fileURLToPath } from 'node:url';
import type { Connection, InitializeParams } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, type EmbeddingLensSettings } from './protocol';
import { resolveTokenizerSetting } from './tokenLens/tokenizerRefs';

/**
 * The `embeddingLens` settings, pulled from clients that support workspace/configuration, defaults otherwise.
 * Tokenizer values come back ready for the catalog: workspace-relative paths resolved against the workspace folder.
 */
export class SettingsStore {
  private current: Promise<EmbeddingLensSettings> | undefined;
  canPull = false;
  /** The workspace folder's path; relative tokenizer paths are resolved against it. */
  private workspaceRoot: string | undefined;

  constructor(private readonly connection: Connection) {}

  get(): Promise<EmbeddingLensSettings> {
    this.current ??= this.pull();
    return this.current;
  }

  /** Forget what was read; the next get() asks the client again. */
  invalidate(): void {
    this.current = undefined;
  }

  /** Takes the workspace folder from initialize (the first one, or the older rootUri); only file: URIs have paths. */
  useWorkspace(folders: InitializeParams['workspaceFolders'], rootUri: InitializeParams['rootUri']): void {
    const uri = folders?.[0]?.uri ?? rootUri;
    this.workspaceRoot = uri?.startsWith('file:') ? fileURLToPath(uri) : undefined;
  }

  /** A tokenizer name or path as a client gave it, ready for the catalog. */
  resolveTokenizer(value: string): string {
    return resolveTokenizerSetting(value, this.workspaceRoot);
  }

  private async pull(): Promise<EmbeddingLensSettings> {
    if (!this.canPull) return DEFAULT_SETTINGS;
    try {
      const raw: unknown = await this.connection.workspace.getConfiguration('embeddingLens');
      return this.normalize(raw);
    } catch {
      return DEFAULT_SETTINGS;
    }
  }

  private normalize(raw: unknown): EmbeddingLensSettings {
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

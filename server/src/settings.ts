import type { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, type EmbeddingLensSettings } from './protocol';

/** The `embeddingLens` settings, pulled from clients that support workspace/configuration, defaults otherwise. */
export class SettingsStore {
  private current: Promise<EmbeddingLensSettings> | undefined;
  canPull = false;

  constructor(private readonly connection: Connection) {}

  get(): Promise<EmbeddingLensSettings> {
    this.current ??= this.pull();
    return this.current;
  }

  /** Forget what was read; the next get() asks the client again. */
  invalidate(): void {
    this.current = undefined;
  }

  private async pull(): Promise<EmbeddingLensSettings> {
    if (!this.canPull) return DEFAULT_SETTINGS;
    try {
      const raw: unknown = await this.connection.workspace.getConfiguration('embeddingLens');
      return normalize(raw);
    } catch {
      return DEFAULT_SETTINGS;
    }
  }
}

function normalize(raw: unknown): EmbeddingLensSettings {
  const value = (raw ?? {}) as Partial<{ tokenizer: unknown; hover: Partial<{ enabled: unknown; tokenizers: unknown }> }>;
  const hover = value.hover ?? {};
  return {
    tokenizer: typeof value.tokenizer === 'string' && value.tokenizer.trim() ? value.tokenizer.trim() : DEFAULT_SETTINGS.tokenizer,
    hover: {
      enabled: typeof hover.enabled === 'boolean' ? hover.enabled : DEFAULT_SETTINGS.hover.enabled,
      tokenizers: Array.isArray(hover.tokenizers) ? hover.tokenizers.filter((t): t is string => typeof t === 'string' && t.trim() !== '') : [],
    },
  };
}

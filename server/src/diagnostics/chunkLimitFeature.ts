import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentServices } from '../tokenLens/documentServices';
import { tokenizerLabel } from '../tokenLens/tokenizerRefs';
import type { LongParagraph } from './longParagraphs';

/** Edits within this time are checked once. */
const RECHECK_DELAY_MS = 400;
const CHUNK_LIMIT_CODE = 'chunk-limit';

/**
 * Chunk-limit diagnostics: with an embedding model's tokenizer and token limit configured, every paragraph
 * longer than the limit (special tokens included) gets a warning saying how many tokens embedding would cut.
 */
export class ChunkLimitFeature {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Documents that have diagnostics published, so turning the check off clears exactly those. */
  private readonly published = new Set<string>();
  /** Load errors already shown, so a broken tokenizer setting is reported once, not per document and edit. */
  private readonly reportedErrors = new Set<string>();

  constructor(private readonly services: DocumentServices) {}

  register(): void {
    this.services.documents.onDidOpen(({ document }) => this.schedule(document.uri, 0));
    this.services.documents.onDidChangeContent(({ document }) => this.schedule(document.uri, RECHECK_DELAY_MS));
    this.services.documents.onDidClose(({ document }) => {
      clearTimeout(this.timers.get(document.uri));
      this.timers.delete(document.uri);
      this.publish(document.uri, []);
    });
  }

  /** Settings changed: check every open document again (or clear, when the check is now off). */
  recheckAll(): void {
    this.reportedErrors.clear();
    for (const document of this.services.documents.all()) this.schedule(document.uri, 0);
  }

  private schedule(uri: string, delay: number): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(uri, setTimeout(() => void this.check(uri), delay));
  }

  private async check(uri: string): Promise<void> {
    this.timers.delete(uri);
    const document = this.services.documents.get(uri);
    if (!document) return;
    const { tokenizer, maxTokens } = (await this.services.settings.get()).chunkLimit;
    if (!tokenizer) {
      this.publish(uri, []);
      return;
    }
    const { version } = document;
    const text = document.getText();
    let found: LongParagraph[];
    try {
      found = await this.services.tasks.run('longParagraphs', tokenizer, { text, markdown: isMarkdown(document), maxTokens }, text.length);
    } catch (error) {
      this.reportLoadError(tokenizer, error as Error);
      this.publish(uri, []);
      return;
    }
    // An edit or a close made these counts stale; the newer version has its own check scheduled.
    if (this.services.documents.get(uri)?.version !== version) return;
    const label = tokenizerLabel(tokenizer);
    this.publish(uri, found.map((paragraph) => chunkDiagnostic(document, paragraph, maxTokens, label)), version);
  }

  private publish(uri: string, diagnostics: Diagnostic[], version?: number): void {
    if (diagnostics.length === 0 && !this.published.has(uri)) return;
    if (diagnostics.length > 0) this.published.add(uri);
    else this.published.delete(uri);
    void this.services.connection.sendDiagnostics({ uri, version, diagnostics });
  }

  private reportLoadError(tokenizer: string, error: Error): void {
    const message = `Embedding Lens: chunk-limit check is off, its tokenizer ${tokenizerLabel(tokenizer)} cannot be used: ${error.message}`;
    this.services.connection.console.error(message);
    if (this.reportedErrors.has(message)) return;
    this.reportedErrors.add(message);
    void this.services.connection.window.showWarningMessage(message);
  }
}

function chunkLimitMessage(count: number, maxTokens: number, tokenizer: string): string {
  const n = (value: number): string => value.toLocaleString('en-US');
  return `Paragraph has ${n(count)} tokens (${tokenizer}); the limit is ${n(maxTokens)}, so ${n(count - maxTokens)} tokens will be cut when embedded.`;
}

function chunkDiagnostic(document: TextDocument, { start, end, count }: LongParagraph, maxTokens: number, label: string): Diagnostic {
  return {
    range: { start: document.positionAt(start), end: document.positionAt(end) },
    severity: DiagnosticSeverity.Warning,
    source: 'Embedding Lens',
    code: CHUNK_LIMIT_CODE,
    message: chunkLimitMessage(count, maxTokens, label),
  };
}

function isMarkdown(document: TextDocument): boolean {
  return document.languageId === 'markdown' || /\.(md|markdown|mdx)$/i.test(document.uri);
}

import type { Connection, Hover, MarkupContent, Position, Range, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DocumentTokenCountNotification,
  ListTokenizersRequest,
  SelectionHoverRequest,
  TokenBoundariesRequest,
  TokenCountsRequest,
} from '../protocol';
import type { SettingsStore } from '../settings';
import type { TokenizerCatalog } from '../tokenizers/catalog';
import { hoverMarkdown, tokenAt, type TokenHoverSection } from './hoverMarkdown';
import { lineWindow, type TextWindow } from './textWindows';
import type { TokenCounter } from './tokenCounter';
import { tokenizerLabel } from './tokenizerRefs';
import { TokenizerTaskRunner } from './tokenizerTaskRunner';

/** Edits within this time count once. */
const RECOUNT_DELAY_MS = 250;
/** The most text tokenized for boundary highlighting per request. */
const MAX_BOUNDARY_CHARS = 400_000;

/** Another feature's markdown for the hover at a position (e.g. the hovered word's neighbours), or undefined. */
export type HoverSectionProvider = (document: TextDocument, position: Position) => Promise<string | undefined>;

interface DocumentCount {
  version: number;
  tokenizer: string;
  count: number;
}

/** The token lens: hovers, token boundaries and token counts for every open text document. */
export class TokenLensFeature {
  private readonly counts = new Map<string, DocumentCount>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly tasks: TokenizerTaskRunner;
  private readonly hoverSections: HoverSectionProvider[] = [];

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly catalog: TokenizerCatalog,
    private readonly settings: SettingsStore,
    counter: TokenCounter,
  ) {
    this.tasks = new TokenizerTaskRunner(catalog, counter);
  }

  register(): void {
    const { connection, documents } = this;
    connection.onHover(({ textDocument, position }) => this.hover(textDocument.uri, position));
    connection.onRequest(SelectionHoverRequest, ({ textDocument, position, selection }) => this.hover(textDocument.uri, position, selection));
    connection.onRequest(ListTokenizersRequest, async () => ({ tokenizers: this.catalog.list(), active: (await this.settings.get()).tokenizer }));
    connection.onRequest(TokenCountsRequest, async ({ textDocument, ranges }) => {
      const document = documents.get(textDocument.uri);
      const tokenizer = (await this.settings.get()).tokenizer;
      if (!document) return { tokenizer, document: null, ranges: ranges.map(() => 0) };
      const known = this.counts.get(document.uri);
      const current = known && known.version === document.version && known.tokenizer === tokenizer ? known.count : null;
      if (current === null) this.scheduleCount(document, 0);
      return { tokenizer, document: current, ranges: await Promise.all(ranges.map((range) => this.countText(tokenizer, document.getText(range)))) };
    });
    connection.onRequest(TokenBoundariesRequest, async ({ textDocument, ranges }) => {
      const tokenizerId = (await this.settings.get()).tokenizer;
      const document = documents.get(textDocument.uri);
      return { tokenizer: tokenizerId, offsets: document ? await this.boundaries(document, tokenizerId, ranges) : [] };
    });
    documents.onDidOpen(({ document }) => this.scheduleCount(document, 0));
    documents.onDidChangeContent(({ document }) => this.scheduleCount(document, RECOUNT_DELAY_MS));
    documents.onDidClose(({ document }) => {
      clearTimeout(this.timers.get(document.uri));
      this.timers.delete(document.uri);
      this.counts.delete(document.uri);
    });
  }

  /** Adds a section below the token sections of every hover (shown even when the token hover is off). */
  addHoverSection(provider: HoverSectionProvider): void {
    this.hoverSections.push(provider);
  }

  /** Settings changed: every open document is counted again with the (maybe new) tokenizer. */
  recountAll(): void {
    this.counts.clear();
    for (const document of this.documents.all()) this.scheduleCount(document, 0);
  }

  /** The token hover with the other features' sections below it. */
  private async hover(uri: string, position: Position, selection?: Range): Promise<Hover | null> {
    const [tokens, extra] = await Promise.all([this.tokenHover(uri, position, selection), this.extraHoverSections(uri, position)]);
    if (extra.length === 0) return tokens;
    const value = [(tokens?.contents as MarkupContent | undefined)?.value, ...extra].filter(Boolean).join('\n\n---\n\n');
    return { contents: { kind: 'markdown', value }, range: tokens?.range };
  }

  private async extraHoverSections(uri: string, position: Position): Promise<string[]> {
    const document = this.documents.get(uri);
    if (!document || this.hoverSections.length === 0) return [];
    const sections = await Promise.all(
      this.hoverSections.map((provider) =>
        provider(document, position).catch((error: Error) => {
          this.connection.console.error(`Embedding Lens: a hover section failed: ${error.message}`);
          return undefined;
        }),
      ),
    );
    return sections.filter((section): section is string => section !== undefined && section !== '');
  }

  private async tokenHover(uri: string, position: Position, selection?: Range): Promise<Hover | null> {
    const document = this.documents.get(uri);
    const settings = await this.settings.get();
    if (!document || !settings.hover.enabled) return null;
    const offset = document.offsetAt(position);
    const window: TextWindow = selection
      ? { start: document.offsetAt(selection.start), text: document.getText(selection), scope: 'selection' }
      : lineWindow(document, position.line, offset);
    if (window.text.length === 0) return null;
    const tokenizerIds = settings.hover.tokenizers.length > 0 ? settings.hover.tokenizers : [settings.tokenizer];
    const sections: TokenHoverSection[] = [];
    const problems: string[] = [];
    for (const id of tokenizerIds) {
      try {
        const tokenizer = await this.catalog.load(id);
        // People read tokens as text: " world", not the vocabulary's "Ġworld".
        const encoded = tokenizer.encode(window.text);
        const encoding = { ...encoded, tokens: encoded.ids.map((tokenId) => tokenizer.tokenText(tokenId)) };
        sections.push({ tokenizer: tokenizerLabel(id), encoding, hovered: tokenAt(encoding, offset - window.start), scope: window.scope });
      } catch (error) {
        problems.push(`**Embedding Lens** · cannot load tokenizer ${tokenizerLabel(id)}: ${(error as Error).message}`);
      }
    }
    const first = sections[0];
    const hovered = first && first.hovered >= 0 ? first.encoding.offsets[first.hovered] : undefined;
    return {
      contents: { kind: 'markdown', value: [hoverMarkdown(sections), ...problems].filter(Boolean).join('\n\n---\n\n') },
      range: hovered && { start: document.positionAt(window.start + hovered[0]), end: document.positionAt(window.start + hovered[1]) },
    };
  }

  private async boundaries(document: TextDocument, tokenizerId: string, ranges: Range[]): Promise<number[]> {
    const tokenizer = await this.catalog.load(tokenizerId);
    const offsets: number[] = [];
    let covered = 0;
    let budget = MAX_BOUNDARY_CHARS;
    const sorted = [...ranges].sort((a, b) => a.start.line - b.start.line);
    for (const range of sorted) {
      // Whole lines, so the first piece is split as in the document; skip what an earlier range covered.
      const start = Math.max(covered, document.offsetAt({ line: range.start.line, character: 0 }));
      const end = Math.min(document.offsetAt({ line: range.end.line + 1, character: 0 }), start + budget);
      if (end <= start) continue;
      const text = document.getText({ start: document.positionAt(start), end: document.positionAt(end) });
      for (const [s, e] of tokenizer.encode(text).offsets) offsets.push(start + s, start + e);
      covered = end;
      budget -= end - start;
    }
    return offsets;
  }

  private countText(tokenizerId: string, text: string): Promise<number> {
    if (text.length === 0) return Promise.resolve(0);
    return this.tasks.run('count', tokenizerId, { text }, text.length);
  }

  private scheduleCount(document: TextDocument, delay: number): void {
    clearTimeout(this.timers.get(document.uri));
    this.timers.set(document.uri, setTimeout(() => void this.countDocument(document.uri), delay));
  }

  private async countDocument(uri: string): Promise<void> {
    this.timers.delete(uri);
    const document = this.documents.get(uri);
    if (!document) return;
    const { version } = document;
    const tokenizer = (await this.settings.get()).tokenizer;
    try {
      const count = await this.countText(tokenizer, document.getText());
      // A newer version or a closed document makes this count stale; its own count is on the way.
      if (this.documents.get(uri)?.version !== version) return;
      this.counts.set(uri, { version, tokenizer, count });
      void this.connection.sendNotification(DocumentTokenCountNotification, { uri, version, tokenizer, count });
    } catch (error) {
      this.connection.console.error(`Embedding Lens: counting tokens of ${uri} with ${tokenizer} failed: ${(error as Error).message}`);
    }
  }
}

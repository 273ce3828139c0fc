import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TokenBoundariesRequest } from '../../server/src/protocol';

const REFRESH_DELAY_MS = 150;

/**
 * Token-boundary highlighting: alternating, theme-aware backgrounds on the tokens of the visible ranges.
 * Only what is on screen is tokenized, and edits and scrolling are debounced, so large files stay fast.
 */
export class TokenHighlighter implements vscode.Disposable {
  private readonly even = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('embeddingLens.tokenEvenBackground'),
    borderRadius: '2px',
  });
  private readonly odd = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('embeddingLens.tokenOddBackground'),
    borderRadius: '2px',
  });
  private readonly disposables: vscode.Disposable[] = [this.even, this.odd];
  private enabled = false;
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;

  constructor(private readonly client: LanguageClient) {
    const refreshSoon = (): void => this.refresh(REFRESH_DELAY_MS);
    this.disposables.push(
      vscode.window.onDidChangeVisibleTextEditors(refreshSoon),
      vscode.window.onDidChangeTextEditorVisibleRanges(refreshSoon),
      vscode.workspace.onDidChangeTextDocument(refreshSoon),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('embeddingLens') && refreshSoon()),
    );
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  toggle(): void {
    this.enabled = !this.enabled;
    void vscode.commands.executeCommand('setContext', 'embeddingLens.tokenBoundariesShown', this.enabled);
    this.refresh(0);
  }

  private refresh(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), delay);
  }

  private async update(): Promise<void> {
    const generation = ++this.generation;
    for (const editor of vscode.window.visibleTextEditors) {
      if (!this.enabled || !isTextDocument(editor.document)) {
        editor.setDecorations(this.even, []);
        editor.setDecorations(this.odd, []);
        continue;
      }
      const converter = this.client.code2ProtocolConverter;
      let offsets: number[];
      try {
        ({ offsets } = await this.client.sendRequest(TokenBoundariesRequest, {
          textDocument: converter.asTextDocumentIdentifier(editor.document),
          ranges: editor.visibleRanges.map((r) => converter.asRange(r)),
        }));
      } catch {
        continue;
      }
      if (generation !== this.generation) return;
      const even: vscode.Range[] = [];
      const odd: vscode.Range[] = [];
      for (let i = 0; i < offsets.length; i += 2) {
        const range = new vscode.Range(editor.document.positionAt(offsets[i]), editor.document.positionAt(offsets[i + 1]));
        ((i / 2) % 2 === 0 ? even : odd).push(range);
      }
      editor.setDecorations(this.even, even);
      editor.setDecorations(this.odd, odd);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

export function isTextDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' || document.uri.scheme === 'untitled';
}

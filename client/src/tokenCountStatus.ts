import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DocumentTokenCountNotification, TokenCountsRequest } from '../../server/src/protocol';

const REFRESH_DELAY_MS = 120;

/** Status bar: the active document's token count, and the selection's, for the active tokenizer. Click to pick. */
export class TokenCountStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('embeddingLens.tokenCount', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private timer: NodeJS.Timeout | undefined;
  /** Bumped on every refresh so that a slow, older answer never overwrites a newer one. */
  private generation = 0;

  constructor(private readonly client: LanguageClient) {
    this.item.name = 'Embedding Lens token count';
    this.item.command = 'embeddingLens.pickTokenizer';
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh(0)),
      vscode.window.onDidChangeTextEditorSelection(({ textEditor }) => {
        if (textEditor === vscode.window.activeTextEditor) this.refresh(REFRESH_DELAY_MS);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('embeddingLens') && this.refresh(REFRESH_DELAY_MS)),
      client.onNotification(DocumentTokenCountNotification, ({ uri }) => {
        if (vscode.window.activeTextEditor?.document.uri.toString() === uri) this.refresh(0);
      }),
    );
    this.refresh(0);
  }

  refresh(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), delay);
  }

  private async update(): Promise<void> {
    const generation = ++this.generation;
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      this.item.hide();
      return;
    }
    const selections = editor.selections.filter((s) => !s.isEmpty);
    const converter = this.client.code2ProtocolConverter;
    let result;
    try {
      result = await this.client.sendRequest(TokenCountsRequest, {
        textDocument: converter.asTextDocumentIdentifier(editor.document),
        ranges: selections.map((s) => converter.asRange(s)),
      });
    } catch {
      return; // the server is restarting or the document went away; the next event refreshes
    }
    if (generation !== this.generation) return;
    const selected = result.ranges.reduce((sum, n) => sum + n, 0);
    const documentCount = result.document === null ? '…' : result.document.toLocaleString('en-US');
    const text = selections.length > 0 ? `${selected.toLocaleString('en-US')} / ${documentCount} tokens` : `${documentCount} tokens`;
    this.item.text = `$(symbol-numeric) ${text}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**Embedding Lens** · ${result.tokenizer}\n\n` +
        `Document: ${documentCount} tokens` +
        (selections.length > 0 ? `\n\nSelection: ${selected.toLocaleString('en-US')} tokens` : '') +
        `\n\nClick to pick the tokenizer.`,
    );
    this.item.show();
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CompareTokenizersRequest } from '../../server/src/protocol';
import {
  COMPARE_VIEW,
  type CompareHostMessage,
  type CompareViewState,
  type CompareWebviewMessage,
  type ComparisonSubject,
} from '../../webview/src/compare/compareMessages';
import { comparisonSettings } from './comparisonSettings';
import { pickTokenizer } from './pickTokenizer';
import { isTextDocument } from './tokenHighlighter';
import { webviewHtml, webviewOptions } from './webviewHtml';

const VIEW_TYPE = 'embeddingLens.compare';
const TITLE = 'Compare Tokenizers';
/** Typing and moving the selection settle for this long before the view recomputes. */
const REFRESH_DELAY_MS = 300;

/** What the view compares: a document, and the selection in it when there is one. */
interface Subject {
  uri: vscode.Uri;
  selection?: vscode.Range;
}

/**
 * The "Compare Tokenizers" panel: for the active document or selection, each tokenizer's split, token count,
 * characters and bytes per token and unknown-token rate, computed by the server. Follows the active editor;
 * clicking in the panel keeps the last document.
 */
export class CompareView implements vscode.Disposable {
  private static current: CompareView | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private subject: Subject | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Bumped per refresh so that a slow, older answer never replaces a newer one. */
  private generation = 0;
  /** The token last selected from the view: selecting it must not make it the compared selection. */
  private revealed: vscode.Range | undefined;

  /** Opens the view beside the editor, or reveals it. */
  static show(context: vscode.ExtensionContext, client: LanguageClient): void {
    if (CompareView.current) {
      CompareView.current.panel.reveal(undefined, true);
      CompareView.current.refresh(0);
      return;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, TITLE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(context.extensionUri));
    CompareView.current = new CompareView(panel, context, client);
  }

  /** Brings back the panels of an earlier session (their last comparison is in the webview's own state). */
  static registerSerializer(context: vscode.ExtensionContext, client: LanguageClient): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: CompareViewState | undefined) => {
        panel.webview.options = webviewOptions(context.extensionUri);
        CompareView.current?.dispose();
        const restored = state?.last?.subject.uri;
        CompareView.current = new CompareView(panel, context, client, restored ? { uri: vscode.Uri.parse(restored) } : undefined);
      },
    });
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
    restored?: Subject,
  ) {
    this.subject = restored;
    this.followEditor(vscode.window.activeTextEditor);
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'compare-icon.svg');
    panel.webview.html = webviewHtml(panel.webview, context.extensionUri, COMPARE_VIEW, TITLE);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: CompareWebviewMessage) => void this.onMessage(message)),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.followEditor(editor) && this.refresh(0)),
      vscode.window.onDidChangeTextEditorSelection(({ textEditor }) => {
        if (this.revealed && textEditor.selection.isEqual(this.revealed)) return;
        this.revealed = undefined;
        if (this.followEditor(textEditor)) this.refresh(REFRESH_DELAY_MS);
      }),
      vscode.workspace.onDidChangeTextDocument(({ document }) => {
        if (document.uri.toString() === this.subject?.uri.toString()) this.refresh(REFRESH_DELAY_MS);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('embeddingLens') && this.refresh(REFRESH_DELAY_MS)),
    );
  }

  dispose(): void {
    if (CompareView.current === this) CompareView.current = undefined;
    clearTimeout(this.timer);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  /**
   * Takes the editor's document and selection as the subject. False when nothing changed (moving the cursor
   * without selecting), or for editors that are not text documents: the view stays as it is.
   */
  private followEditor(editor: vscode.TextEditor | undefined): boolean {
    if (!editor || !isTextDocument(editor.document)) return false;
    const next: Subject = { uri: editor.document.uri, selection: editor.selection.isEmpty ? undefined : editor.selection };
    const previous = this.subject;
    this.subject = next;
    const sameSelection = previous?.selection && next.selection ? previous.selection.isEqual(next.selection) : previous?.selection === next.selection;
    return previous?.uri.toString() !== next.uri.toString() || !sameSelection;
  }

  private refresh(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), delay);
  }

  private async update(): Promise<void> {
    const generation = ++this.generation;
    const subject = this.subject;
    const document = subject && vscode.workspace.textDocuments.find((d) => d.uri.toString() === subject.uri.toString());
    if (!subject || !document) {
      this.post({ type: 'empty', reason: 'Open a text file to compare how tokenizers split it.' });
      return;
    }
    this.post({ type: 'busy' });
    const converter = this.client.code2ProtocolConverter;
    let result;
    try {
      result = await this.client.sendRequest(CompareTokenizersRequest, {
        textDocument: converter.asTextDocumentIdentifier(document),
        range: subject.selection && converter.asRange(subject.selection),
      });
    } catch (error) {
      if (generation === this.generation) this.post({ type: 'empty', reason: `The comparison failed: ${(error as Error).message}` });
      return;
    }
    if (generation !== this.generation) return;
    if (!result) {
      this.post({ type: 'empty', reason: 'The language server does not have this document open.' });
      return;
    }
    this.post({ type: 'comparison', subject: describe(document, subject.selection), result });
  }

  private async onMessage(message: CompareWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.refresh(0);
        return;
      case 'revealToken':
        return this.revealToken(message.start, message.end);
      case 'addTokenizer': {
        const picked = await pickTokenizer(this.client, {
          title: 'Embedding Lens: Add to Comparison',
          globalStorage: this.context.globalStorageUri,
          marked: comparisonSettings.tokenizers,
          markedAs: 'compared',
        });
        if (picked !== undefined) await comparisonSettings.add(picked);
        return;
      }
      case 'removeTokenizer':
        return comparisonSettings.removeAt(message.index);
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'embeddingLens.compare.tokenizers');
        return;
    }
  }

  /** Selects a token's text in the compared document, in the editor it is shown in (or the first column). */
  private async revealToken(start: number, end: number): Promise<void> {
    if (!this.subject) return;
    const document = await vscode.workspace.openTextDocument(this.subject.uri);
    const shown = vscode.window.visibleTextEditors.find((e) => e.document === document);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: true });
    const range = new vscode.Range(document.positionAt(start), document.positionAt(end));
    this.revealed = range;
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private post(message: CompareHostMessage): void {
    void this.panel.webview.postMessage(message);
  }
}

function describe(document: vscode.TextDocument, selection: vscode.Range | undefined): ComparisonSubject {
  const scope = !selection
    ? 'whole document'
    : selection.start.line === selection.end.line
      ? `selection on line ${selection.start.line + 1}`
      : `selection, lines ${selection.start.line + 1}–${selection.end.line + 1}`;
  return { uri: document.uri.toString(), fileName: vscode.workspace.asRelativePath(document.uri), scope };
}

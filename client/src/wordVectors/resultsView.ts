/** The "Word Vectors" panel: the latest query and evaluation results, newest first, as readable tables. */
import * as vscode from 'vscode';
import type { WordVectorsInfo } from '../../../server/src/protocol';
import { newNonce } from '../htmlPage';
import { resultsHtml, type WordVectorsReport } from './resultsHtml';

const VIEW_TYPE = 'embeddingLens.wordVectors';
const TITLE = 'Word Vectors';
/** Older results drop off the bottom. */
const MAX_REPORTS = 12;

export class WordVectorsResultsView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly reports: WordVectorsReport[] = [];
  private active: WordVectorsInfo | undefined;

  /** Adds a result at the top and shows the panel beside the editor (without taking the focus). */
  show(report: WordVectorsReport, active: WordVectorsInfo | undefined): void {
    this.reports.unshift(report);
    this.reports.length = Math.min(this.reports.length, MAX_REPORTS);
    this.active = active;
    if (!this.panel) {
      // No scripts: the page is static HTML, re-rendered on each result.
      this.panel = vscode.window.createWebviewPanel(VIEW_TYPE, TITLE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: false, localResourceRoots: [] });
      this.panel.onDidDispose(() => (this.panel = undefined));
    } else {
      this.panel.reveal(undefined, true);
    }
    this.render();
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private render(): void {
    if (!this.panel) return;
    const nonce = newNonce();
    const displayPath = (file: string): string => vscode.workspace.asRelativePath(file);
    this.panel.webview.html = resultsHtml(this.reports, this.active, { nonce, cspSource: this.panel.webview.cspSource }, displayPath);
  }
}

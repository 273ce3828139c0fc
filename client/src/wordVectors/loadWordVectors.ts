/** "Load Word Vectors…": pick a vectors file (or take the one clicked in the Explorer), load it with progress, make it active. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LoadWordVectorsRequest } from '../../../server/src/protocol';
import { requestWithProgress } from '../requestWithProgress';
import { wordVectorsConfig } from './wordVectorsConfig';

const FILTERS = {
  'Word vectors (word2vec, GloVe, fastText)': ['vec', 'txt', 'bin', 'w2v', 'glove'],
  'All files': ['*'],
};

export function loadWordVectorsCommand(client: LanguageClient): (clicked?: vscode.Uri) => Promise<void> {
  return async (clicked) => {
    const file = clicked?.scheme === 'file' ? clicked : await pickFile();
    if (!file) return;
    const name = path.basename(file.fsPath);
    const outcome = await requestWithProgress(client, LoadWordVectorsRequest, { path: file.fsPath }, `Loading word vectors ${name}`);
    if ('cancelled' in outcome) return;
    if ('error' in outcome) {
      void vscode.window.showErrorMessage(`Embedding Lens: cannot load ${name}: ${outcome.error}`);
      return;
    }
    const info = outcome.result;
    await wordVectorsConfig.setFile(file);
    const warnings = info.warnings.length > 0 ? ` ${info.warnings.length} warning${info.warnings.length === 1 ? '' : 's'}: ${warningText(info.warnings[0])}${info.warnings.length > 1 ? ' …' : ''}` : '';
    const shape = `${info.words.toLocaleString('en-US')} words × ${info.dim} dimensions, ${info.format}${info.subwords ? ', with subwords' : ''}`;
    void vscode.window.showInformationMessage(`Embedding Lens: word vectors ${name} loaded and active (${shape}).${warnings}`);
  };
}

async function pickFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Embedding Lens: Load Word Vectors',
    openLabel: 'Load',
    canSelectMany: false,
    filters: FILTERS,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}

function warningText({ line, message }: { line?: number; message: string }): string {
  return line === undefined ? message : `line ${line}: ${message}`;
}

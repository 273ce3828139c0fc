/**
 * "Evaluate Word Vectors…": pick an analogy file and word-pair files (none by default; a file picker for each),
 * score the active vectors on them and show the scores in the Word Vectors panel.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EvaluateWordVectorsRequest } from '../../../server/src/protocol';
import { activeVectors } from './queryCommands';
import type { WordVectorsResultsView } from './resultsView';

const TITLE = 'Embedding Lens: Evaluate Word Vectors';
type Choice = vscode.QuickPickItem & { choose: boolean };

export function evaluateWordVectorsCommand(client: LanguageClient, view: WordVectorsResultsView): () => Promise<void> {
  return async () => {
    const active = await activeVectors(client);
    if (!active) return;
    const analogies = await pickFiles('Analogy questions (questions-words.txt format: ": section" lines, then "a b c d")', false);
    if (analogies === undefined) return;
    const pairs = await pickFiles('Word-pair similarity files ("word1 word2 score", as WordSim-353 and SimLex-999)', true);
    if (pairs === undefined) return;
    if (analogies.length === 0 && pairs.length === 0) {
      void vscode.window.showInformationMessage('Embedding Lens: choose an analogy file or word-pair files to evaluate on.');
      return;
    }
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Evaluating word vectors…' }, () =>
      client.sendRequest(EvaluateWordVectorsRequest, { analogies: analogies[0]?.fsPath, pairs: pairs.map((uri) => uri.fsPath) }).then(
        (scores) => ({ scores }),
        (error: Error) => ({ error: error.message }),
      ),
    );
    if ('error' in result) view.show({ kind: 'error', title: 'Evaluation', message: result.error }, active);
    else view.show({ kind: 'evaluation', result: result.scores }, active);
  };
}

/** [] for none, undefined when the user backed out. */
async function pickFiles(placeHolder: string, many: boolean): Promise<vscode.Uri[] | undefined> {
  const items: Choice[] = [
    { label: 'None', description: 'skip', choose: false },
    { label: many ? 'Choose files…' : 'Choose a file…', choose: true },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: TITLE, placeHolder });
  if (!picked) return undefined;
  if (!picked.choose) return [];
  const files = await vscode.window.showOpenDialog({
    title: placeHolder,
    canSelectMany: many,
    openLabel: 'Evaluate',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { 'Text files': ['txt', 'csv', 'tsv'], 'All files': ['*'] },
  });
  return files ?? undefined;
}

/**
 * "Evaluate Word Vectors…": pick an analogy file, word-pair files and WEAT bias tests (built-in sets or JSON files of
 * your own; none by default), score the active vectors on them with a cancellable progress notification, and show the
 * scores in the Word Vectors panel.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EvaluateWordVectorsRequest, type WeatRequest } from '../../../server/src/protocol';
import { WEAT_SETS } from '../../../server/src/vectors/evaluation/weatSets';
import { requestWithProgress } from '../requestWithProgress';
import { activeVectors } from './queryCommands';
import type { WordVectorsResultsView } from './resultsView';

const TITLE = 'Embedding Lens: Evaluate Word Vectors';
type Choice = vscode.QuickPickItem & { choose: boolean };
type WeatChoice = vscode.QuickPickItem & { set?: string };
const TEXT_FILES = { 'Text files': ['txt', 'csv', 'tsv'], 'All files': ['*'] };
const WEAT_FILE_SHAPE = '{ "title"?, "targetX": [words], "targetY": [...], "attributeA": [...], "attributeB": [...] }, or an array of them';

export function evaluateWordVectorsCommand(client: LanguageClient, view: WordVectorsResultsView): () => Promise<void> {
  return async () => {
    const active = await activeVectors(client);
    if (!active) return;
    const analogies = await pickFiles('Analogy questions (questions-words.txt format: ": section" lines, then "a b c d")', false);
    if (analogies === undefined) return;
    const pairs = await pickFiles('Word-pair similarity files ("word1 word2 score", as WordSim-353 and SimLex-999)', true);
    if (pairs === undefined) return;
    const weat = await pickWeat();
    if (weat === undefined) return;
    if (analogies.length === 0 && pairs.length === 0 && !weat) {
      void vscode.window.showInformationMessage('Embedding Lens: choose an analogy file, word-pair files or WEAT tests to evaluate on.');
      return;
    }
    // Only what was chosen: the server takes a missing field as none, and refuses empty lists.
    const params = { analogies: analogies[0]?.fsPath, ...(pairs.length > 0 ? { pairs: pairs.map((uri) => uri.fsPath) } : {}), ...(weat ? { weat } : {}) };
    const outcome = await requestWithProgress(client, EvaluateWordVectorsRequest, params, 'Evaluating word vectors');
    if ('cancelled' in outcome) return;
    if ('error' in outcome) view.show({ kind: 'error', title: 'Evaluation', message: outcome.error }, active);
    else view.show({ kind: 'evaluation', result: outcome.result }, active);
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
  return openFiles(placeHolder, many, TEXT_FILES);
}

/**
 * The WEAT tests to run: built-in sets, and "your own word sets" (JSON files picked next). Null for none, undefined
 * when the user backed out.
 */
async function pickWeat(): Promise<WeatRequest | null | undefined> {
  const items: WeatChoice[] = [
    { label: 'Your own word sets (JSON file)…', description: 'pick the files next', detail: WEAT_FILE_SHAPE },
    ...WEAT_SETS.map((set) => ({ label: set.title, description: set.id, set: set.id })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: TITLE,
    placeHolder: 'WEAT bias tests (Caliskan et al. 2017): tick the ones to run, or none to skip',
    canPickMany: true,
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  const sets = picked.flatMap((item) => (item.set ? [item.set] : []));
  let files: string[] = [];
  if (picked.some((item) => !item.set)) {
    const uris = await openFiles(`WEAT word sets: ${WEAT_FILE_SHAPE}`, true, { 'JSON files': ['json'], 'All files': ['*'] });
    if (!uris) return undefined;
    files = uris.map((uri) => uri.fsPath);
  }
  if (sets.length === 0 && files.length === 0) return null;
  return { ...(sets.length > 0 ? { sets } : {}), ...(files.length > 0 ? { files } : {}) };
}

async function openFiles(title: string, many: boolean, filters: Record<string, string[]>): Promise<vscode.Uri[] | undefined> {
  const files = await vscode.window.showOpenDialog({
    title,
    canSelectMany: many,
    openLabel: 'Evaluate',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters,
  });
  return files ?? undefined;
}

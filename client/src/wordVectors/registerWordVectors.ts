/** The word-vector commands, registered in one place for extension.ts. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { evaluateWordVectorsCommand } from './evaluateWordVectors';
import { loadWordVectorsCommand } from './loadWordVectors';
import { queryCommands } from './queryCommands';
import { WordVectorsResultsView } from './resultsView';
import { trainWordVectorsCommand } from './trainWordVectors';

export function registerWordVectorCommands(client: LanguageClient): vscode.Disposable[] {
  const view = new WordVectorsResultsView();
  const queries = queryCommands(client, view);
  return [
    view,
    vscode.commands.registerCommand('embeddingLens.trainWordVectors', trainWordVectorsCommand(client)),
    vscode.commands.registerCommand('embeddingLens.trainWordVectorsOnSelection', trainWordVectorsCommand(client)),
    vscode.commands.registerCommand('embeddingLens.loadWordVectors', loadWordVectorsCommand(client)),
    vscode.commands.registerCommand('embeddingLens.similarWords', () => queries.similarWords()),
    vscode.commands.registerCommand('embeddingLens.wordAnalogy', () => queries.analogy()),
    vscode.commands.registerCommand('embeddingLens.doesntMatch', () => queries.doesntMatch()),
    vscode.commands.registerCommand('embeddingLens.evaluateWordVectors', evaluateWordVectorsCommand(client, view)),
  ];
}

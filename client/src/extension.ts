import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SelectionHoverRequest } from '../../server/src/protocol';
import { downloadHubTokenizerCommand } from './downloadHubTokenizer';
import { pickTokenizerCommand } from './pickTokenizer';
import { CompareView } from './compareView';
import { addToComparisonCommand, useAsTokenizerCommand } from './useTokenizerFile';
import { TokenCountStatus } from './tokenCountStatus';
import { TokenHighlighter } from './tokenHighlighter';
import { trainTokenizerCommand } from './trainTokenizer';
import { registerWordVectorCommands } from './wordVectors/registerWordVectors';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file' }, { scheme: 'untitled' }],
    synchronize: { configurationSection: 'embeddingLens' },
    middleware: { provideHover: hoverInsideSelection },
    initializationOptions: { globalStoragePath: context.globalStorageUri.fsPath } satisfies import('../../server/src/protocol').EmbeddingLensInitializationOptions,
  };
  client = new LanguageClient('embeddingLens', 'Embedding Lens', serverOptions, clientOptions);
  await client.start();

  const started = client;
  const highlighter = new TokenHighlighter(client);
  context.subscriptions.push(
    highlighter,
    new TokenCountStatus(client),
    vscode.commands.registerCommand('embeddingLens.toggleTokenHighlighting', () => highlighter.toggle()),
    vscode.commands.registerCommand('embeddingLens.pickTokenizer', pickTokenizerCommand(client, context.globalStorageUri)),
    vscode.commands.registerCommand('embeddingLens.compareTokenizers', () => CompareView.show(context, started)),
    CompareView.registerSerializer(context, client),
    vscode.commands.registerCommand('embeddingLens.useAsTokenizer', useAsTokenizerCommand()),
    vscode.commands.registerCommand('embeddingLens.addToComparison', addToComparisonCommand(() => CompareView.show(context, started))),
    vscode.commands.registerCommand('embeddingLens.downloadHubTokenizer', downloadHubTokenizerCommand(client, context.secrets)),
    vscode.commands.registerCommand('embeddingLens.trainTokenizer', trainTokenizerCommand(client)),
    vscode.commands.registerCommand('embeddingLens.trainTokenizerOnSelection', trainTokenizerCommand(client)),
    ...registerWordVectorCommands(client),
  );
}

/** Hovering inside a non-empty selection shows the selection's tokens instead of the line's. */
const hoverInsideSelection: NonNullable<LanguageClientOptions['middleware']>['provideHover'] = async (document, position, token, next) => {
  const selection = vscode.window.activeTextEditor?.document === document ? vscode.window.activeTextEditor.selection : undefined;
  if (!client || !selection || selection.isEmpty || !selection.contains(position)) return next(document, position, token);
  const converter = client.code2ProtocolConverter;
  const hover = await client.sendRequest(
    SelectionHoverRequest,
    { textDocument: converter.asTextDocumentIdentifier(document), position: converter.asPosition(position), selection: converter.asRange(selection) },
    token,
  );
  return client.protocol2CodeConverter.asHover(hover);
};

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

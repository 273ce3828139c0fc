import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SelectionHoverRequest } from '../../server/src/protocol';
import { pickTokenizerCommand } from './pickTokenizer';
import { TokenCountStatus } from './tokenCountStatus';
import { TokenHighlighter } from './tokenHighlighter';

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
  };
  client = new LanguageClient('embeddingLens', 'Embedding Lens', serverOptions, clientOptions);
  await client.start();

  const highlighter = new TokenHighlighter(client);
  context.subscriptions.push(
    highlighter,
    new TokenCountStatus(client),
    vscode.commands.registerCommand('embeddingLens.toggleTokenHighlighting', () => highlighter.toggle()),
    vscode.commands.registerCommand('embeddingLens.pickTokenizer', pickTokenizerCommand(client)),
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

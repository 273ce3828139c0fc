/**
 * The Embedding Lens language server. Speaks LSP over --stdio, --node-ipc or --socket=N (vscode-languageserver
 * reads the transport from the command line). The same bundle runs the token-counting worker thread.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SettingsStore } from './settings';
import { TokenizerCatalog } from './tokenizers/catalog';
import { runCountWorker } from './tokenLens/countWorker';
import { TokenCounter } from './tokenLens/tokenCounter';
import { TokenLensFeature } from './tokenLens/tokenLensFeature';

function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  const settings = new SettingsStore(connection);
  const counter = new TokenCounter(__filename);
  const tokenLens = new TokenLensFeature(connection, documents, new TokenizerCatalog(), settings, counter);

  connection.onInitialize(({ capabilities }) => {
    settings.canPull = capabilities.workspace?.configuration === true;
    return {
      capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, hoverProvider: true },
      serverInfo: { name: 'Embedding Lens', version: '0.1.0' },
    };
  });
  connection.onDidChangeConfiguration(() => {
    settings.invalidate();
    tokenLens.recountAll();
  });
  connection.onShutdown(() => counter.dispose());

  tokenLens.register();
  documents.listen(connection);
  connection.listen();
}

if (isMainThread) startServer();
else if ((workerData as { role?: string } | undefined)?.role === 'count') runCountWorker();

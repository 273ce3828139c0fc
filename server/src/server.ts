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
import { TokenizerTaskRunner } from './tokenLens/tokenizerTaskRunner';
import { CompareFeature } from './compare/compareFeature';
import { ChunkLimitFeature } from './diagnostics/chunkLimitFeature';
import { HubFeature } from './hub/hubFeature';
import { TrainTokenizerFeature } from './training/trainTokenizerFeature';
import { runTrainWorker, TRAIN_WORKER_ROLE } from './training/trainWorker';
import { WordVectorsFeature } from './wordVectors/wordVectorsFeature';
import { runVectorTrainWorker, VECTOR_TRAIN_WORKER_ROLE } from './wordVectors/vectorTrainWorker';
import { EVALUATE_WORKER_ROLE, runEvaluateWorker } from './wordVectors/evaluateWorker';

function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  const settings = new SettingsStore(connection);
  const counter = new TokenCounter(__filename);
  const catalog = new TokenizerCatalog();
  const tokenLens = new TokenLensFeature(connection, documents, catalog, settings, counter);
  const documentServices = { connection, documents, settings, tasks: new TokenizerTaskRunner(catalog, counter) };
  const compare = new CompareFeature(documentServices);
  const chunkLimits = new ChunkLimitFeature(documentServices);
  const hub = new HubFeature(connection);
  const training = new TrainTokenizerFeature(connection, __filename);
  const wordVectors = new WordVectorsFeature(connection, __filename);
  tokenLens.addHoverSection((document, position) => wordVectors.hoverSection(document, position));

  connection.onInitialize(({ capabilities, workspaceFolders, rootUri, initializationOptions }) => {
    hub.initialize({ capabilities, initializationOptions });
    training.initialize({ workspaceFolders, rootUri });
    wordVectors.initialize({ capabilities, workspaceFolders, rootUri });
    settings.canPull = capabilities.workspace?.configuration === true;
    settings.useWorkspace(workspaceFolders, rootUri);
    return {
      capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, hoverProvider: true },
      serverInfo: { name: 'Embedding Lens', version: '0.1.0' },
    };
  });
  connection.onDidChangeConfiguration(() => {
    settings.invalidate();
    tokenLens.recountAll();
    chunkLimits.recheckAll();
    void wordVectors.settingsChanged();
  });
  connection.onShutdown(() => counter.dispose());

  tokenLens.register();
  compare.register();
  chunkLimits.register();
  hub.register();
  training.register();
  wordVectors.register();
  documents.listen(connection);
  connection.listen();
}

/** The worker threads that run this same bundle, by workerData.role. */
const WORKER_ROLES: Record<string, () => void> = {
  count: runCountWorker,
  [TRAIN_WORKER_ROLE]: runTrainWorker,
  [VECTOR_TRAIN_WORKER_ROLE]: runVectorTrainWorker,
  [EVALUATE_WORKER_ROLE]: runEvaluateWorker,
};

if (isMainThread) startServer();
else WORKER_ROLES[(workerData as { role?: string } | undefined)?.role ?? '']?.();

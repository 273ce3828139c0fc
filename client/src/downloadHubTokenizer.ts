import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { ResponseError, WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { modelInputProblem, parseModelInput } from '../../server/src/hub/modelId';
import { DownloadHubTokenizerRequest, type DownloadHubTokenizerErrorData, type DownloadHubTokenizerResult } from '../../server/src/protocol';
import { config } from './config';

const TITLE = 'Embedding Lens: Use Tokenizer from Hugging Face Hub';
/** The access token for gated and private models lives in VS Code's secret storage, never in settings. */
const TOKEN_SECRET = 'embeddingLens.hub.token';
const SET_TOKEN = 'Set Access Token…';

/**
 * Asks for a model id, has the server download its tokenizer (progress with Cancel), then makes it the active
 * tokenizer. When the Hub wants a token, offers to store one and tries again.
 */
export function downloadHubTokenizerCommand(client: LanguageClient, secrets: vscode.SecretStorage): () => Promise<void> {
  return async () => {
    const input = await vscode.window.showInputBox({
      title: TITLE,
      prompt: 'A model on the Hugging Face Hub: organization/name, optionally @revision',
      placeHolder: 'sentence-transformers/all-MiniLM-L6-v2',
      ignoreFocusOut: true,
      validateInput: (value) => modelInputProblem(value),
    });
    if (!input) return;
    const { modelId, revision } = parseModelInput(input);
    for (;;) {
      const outcome = await download(client, modelId, revision, await secrets.get(TOKEN_SECRET));
      if (outcome === 'cancelled') {
        void vscode.window.showInformationMessage(`Embedding Lens: download of ${modelId} cancelled; running the command again resumes it.`);
        return;
      }
      if ('path' in outcome) {
        await config.setTokenizer(outcome.path);
        void vscode.window.showInformationMessage(`Embedding Lens: tokenizer set to ${modelId} (${outcome.path}).`);
        return;
      }
      const offerToken = outcome.reason === 'unauthorized' || outcome.reason === 'not-found';
      const choice = await vscode.window.showErrorMessage(`Embedding Lens: ${outcome.message}`, ...(offerToken ? [SET_TOKEN] : []));
      if (choice !== SET_TOKEN || !(await askForToken(secrets))) return;
    }
  };
}

type Outcome = DownloadHubTokenizerResult | 'cancelled' | { message: string; reason?: DownloadHubTokenizerErrorData['reason'] };

function download(client: LanguageClient, modelId: string, revision: string | undefined, token: string | undefined): Thenable<Outcome> {
  const options = { location: vscode.ProgressLocation.Notification, title: `Downloading the ${modelId} tokenizer`, cancellable: true };
  return vscode.window.withProgress(options, async (progress, cancel) => {
    const workDoneToken = randomUUID();
    let shown = 0;
    const listening = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
      if (value.kind === 'end') return;
      const percentage = value.percentage ?? shown;
      progress.report({ message: value.message, increment: Math.max(0, percentage - shown) });
      shown = Math.max(shown, percentage);
    });
    try {
      return await client.sendRequest(DownloadHubTokenizerRequest, { modelId, revision, token, workDoneToken }, cancel);
    } catch (error) {
      if (cancel.isCancellationRequested) return 'cancelled';
      const reason = error instanceof ResponseError ? (error.data as DownloadHubTokenizerErrorData | undefined)?.reason : undefined;
      return { message: (error as Error).message, reason };
    } finally {
      listening.dispose();
    }
  });
}

/** Stores the token the person enters (an empty one removes it); false when they back out. */
async function askForToken(secrets: vscode.SecretStorage): Promise<boolean> {
  const token = await vscode.window.showInputBox({
    title: TITLE,
    prompt: 'A Hugging Face access token with access to the model (kept in VS Code secret storage; empty removes it)',
    placeHolder: 'hf_…',
    password: true,
    ignoreFocusOut: true,
  });
  if (token === undefined) return false;
  if (token.trim() === '') await secrets.delete(TOKEN_SECRET);
  else await secrets.store(TOKEN_SECRET, token.trim());
  return true;
}

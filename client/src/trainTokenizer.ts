import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { LSPErrorCodes, ResponseError, WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { TrainTokenizerRequest, type TrainTokenizerParams, type TrainTokenizerResult } from '../../server/src/protocol';
import { config } from './config';
import { tokenizerSettingValue } from './tokenizerFiles';

const TITLE = 'Embedding Lens: Train Tokenizer on Workspace';
const MODELS: Array<vscode.QuickPickItem & { model: TrainTokenizerParams['model'] }> = [
  { label: 'Unigram', description: 'SentencePiece-style (T5, ALBERT, XLNet)', detail: 'EM over likely segmentations, pruned to size', model: 'unigram' },
  { label: 'BPE', description: 'byte-level (GPT-2, RoBERTa)', detail: 'Merges the most frequent pairs of bytes; never an unknown token', model: 'bpe' },
  { label: 'WordPiece', description: 'lower-cased (BERT)', detail: 'Words split into ##-continued pieces', model: 'wordpiece' },
];
const DEFAULT_VOCAB_SIZE = '8000';
const USE_IT = 'Use It';
const OPEN_FILE = 'Open File';

/**
 * Asks for the model and vocabulary size, has the server train on the workspace (or the files and folders the
 * command was invoked on) with a cancellable progress notification, then offers to make the result the active
 * tokenizer.
 */
export function trainTokenizerCommand(client: LanguageClient): (clicked?: vscode.Uri, selected?: vscode.Uri[]) => Promise<void> {
  return async (clicked, selected) => {
    const sources = (selected && selected.length > 0 ? selected : clicked ? [clicked] : []).filter((uri) => uri.scheme === 'file');
    if (sources.length === 0 && !vscode.workspace.workspaceFolders?.length) {
      void vscode.window.showWarningMessage(`${TITLE} needs an open folder (or right-click files and folders in the Explorer).`);
      return;
    }
    const picked = await vscode.window.showQuickPick(MODELS, { title: TITLE, placeHolder: 'Which kind of tokenizer?' });
    if (!picked) return;
    const size = await vscode.window.showInputBox({
      title: TITLE,
      prompt: 'Vocabulary size (special tokens included)',
      value: DEFAULT_VOCAB_SIZE,
      validateInput: (value) => (/^\d+$/.test(value.trim()) && Number(value) >= 100 ? undefined : 'A whole number, at least 100'),
    });
    if (!size) return;
    const params: TrainTokenizerParams = { model: picked.model, vocabSize: Number(size), paths: sources.map((uri) => uri.fsPath) };
    const outcome = await train(client, params, `Training a ${picked.label} tokenizer (${size} tokens)`);
    if (outcome === 'cancelled') {
      void vscode.window.showInformationMessage('Embedding Lens: tokenizer training cancelled; nothing was written.');
      return;
    }
    if ('error' in outcome) {
      void vscode.window.showErrorMessage(`Embedding Lens: training failed: ${outcome.error}`);
      return;
    }
    const file = vscode.Uri.file(outcome.path);
    const setting = tokenizerSettingValue(file);
    const from = `${outcome.files} file${outcome.files === 1 ? '' : 's'}`;
    const choice = await vscode.window.showInformationMessage(`Embedding Lens: trained ${setting} (${outcome.vocabSize} tokens from ${from}).`, USE_IT, OPEN_FILE);
    if (choice === USE_IT) await config.setTokenizer(setting);
    else if (choice === OPEN_FILE) await vscode.window.showTextDocument(file);
  };
}

type Outcome = TrainTokenizerResult | 'cancelled' | { error: string };

/** The request, with the server's work-done progress shown in a notification whose Cancel cancels it. */
function train(client: LanguageClient, params: TrainTokenizerParams, title: string): Thenable<Outcome> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, cancel) => {
    const workDoneToken = randomUUID();
    let reported = 0;
    const listening = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
      if (value.kind === 'end') return;
      const percentage = Math.max(reported, value.percentage ?? reported);
      progress.report({ message: value.message, increment: percentage - reported });
      reported = percentage;
    });
    try {
      return await client.sendRequest(TrainTokenizerRequest, { ...params, workDoneToken }, cancel);
    } catch (error) {
      if (cancel.isCancellationRequested || (error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled)) return 'cancelled';
      return { error: (error as Error).message };
    } finally {
      listening.dispose();
    }
  });
}

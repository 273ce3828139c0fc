import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TrainTokenizerRequest, type TrainTokenizerParams } from '../../server/src/protocol';
import { config } from './config';
import { requestWithProgress } from './requestWithProgress';
import { tokenizerSettingValue } from './tokenizerFiles';
import { trainingSources } from './trainingSources';

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
    const paths = trainingSources(TITLE, clicked, selected);
    if (!paths) return;
    const picked = await vscode.window.showQuickPick(MODELS, { title: TITLE, placeHolder: 'Which kind of tokenizer?' });
    if (!picked) return;
    const size = await vscode.window.showInputBox({
      title: TITLE,
      prompt: 'Vocabulary size (special tokens included)',
      value: DEFAULT_VOCAB_SIZE,
      validateInput: (value) => (/^\d+$/.test(value.trim()) && Number(value) >= 100 ? undefined : 'A whole number, at least 100'),
    });
    if (!size) return;
    const params: TrainTokenizerParams = { model: picked.model, vocabSize: Number(size), paths };
    const outcome = await requestWithProgress(client, TrainTokenizerRequest, params, `Training a ${picked.label} tokenizer (${size} tokens)`);
    if ('cancelled' in outcome) {
      void vscode.window.showInformationMessage('Embedding Lens: tokenizer training cancelled; nothing was written.');
      return;
    }
    if ('error' in outcome) {
      void vscode.window.showErrorMessage(`Embedding Lens: training failed: ${outcome.error}`);
      return;
    }
    const { result } = outcome;
    const file = vscode.Uri.file(result.path);
    const setting = tokenizerSettingValue(file);
    const from = `${result.files} file${result.files === 1 ? '' : 's'}`;
    const choice = await vscode.window.showInformationMessage(`Embedding Lens: trained ${setting} (${result.vocabSize} tokens from ${from}).`, USE_IT, OPEN_FILE);
    if (choice === USE_IT) await config.setTokenizer(setting);
    else if (choice === OPEN_FILE) await vscode.window.showTextDocument(file);
  };
}

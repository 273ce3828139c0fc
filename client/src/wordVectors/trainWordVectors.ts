/**
 * "Train Word Vectors on Workspace": choose the algorithm, review or change the main parameters, train on the
 * workspace (or the files and folders the command was invoked on) with a cancellable progress notification; the
 * result becomes the active vectors.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TrainWordVectorsRequest, type TrainWordVectorsParams } from '../../../server/src/protocol';
import { requestWithProgress } from '../requestWithProgress';
import { trainingSources } from '../trainingSources';
import { wordVectorsConfig } from './wordVectorsConfig';

const TITLE = 'Embedding Lens: Train Word Vectors';
type Recipe = Pick<TrainWordVectorsParams, 'algo' | 'mode'>;
const ALGORITHMS: Array<vscode.QuickPickItem & { recipe: Recipe }> = [
  { label: 'word2vec skip-gram', description: 'negative sampling', detail: 'Predicts the words around each word; good for rare words', recipe: { algo: 'word2vec', mode: 'skipgram' } },
  { label: 'word2vec CBOW', description: 'negative sampling', detail: 'Predicts each word from the words around it; faster', recipe: { algo: 'word2vec', mode: 'cbow' } },
  { label: 'fastText skip-gram', description: 'character n-grams 3–6', detail: 'Also gives vectors to words it never saw (saved as .vec and .bin)', recipe: { algo: 'fasttext', mode: 'skipgram' } },
  { label: 'GloVe', description: 'co-occurrence counts, AdaGrad', detail: 'Factorises the window co-occurrence matrix', recipe: { algo: 'glove' } },
];

interface Parameter {
  key: 'dim' | 'window' | 'epochs' | 'minCount';
  label: string;
  /** Why this default, shown beside the value. */
  note: string;
  min: number;
  max: number;
}
const PARAMETERS: Parameter[] = [
  { key: 'dim', label: 'Dimensions', note: 'size of each vector', min: 2, max: 1000 },
  { key: 'window', label: 'Window', note: 'context words on each side', min: 1, max: 50 },
  { key: 'epochs', label: 'Epochs', note: 'passes over the text', min: 1, max: 1000 },
  { key: 'minCount', label: 'Min count', note: 'lowered to 2 for a small workspace (5 is usual for large corpora)', min: 1, max: 1_000_000 },
];
type Settings = Record<Parameter['key'], number>;
const DEFAULTS: Settings = { dim: 100, window: 5, epochs: 5, minCount: 2 };
const TRAIN = '$(play) Train';

export function trainWordVectorsCommand(client: LanguageClient): (clicked?: vscode.Uri, selected?: vscode.Uri[]) => Promise<void> {
  return async (clicked, selected) => {
    const paths = trainingSources(TITLE, clicked, selected);
    if (!paths) return;
    const algorithm = await vscode.window.showQuickPick(ALGORITHMS, { title: TITLE, placeHolder: 'Which algorithm?' });
    if (!algorithm) return;
    const settings = await reviewParameters(algorithm.label);
    if (!settings) return;
    const params: TrainWordVectorsParams = { ...algorithm.recipe, ...settings, paths };
    const outcome = await requestWithProgress(client, TrainWordVectorsRequest, params, `Training ${algorithm.label} vectors`);
    if ('cancelled' in outcome) {
      void vscode.window.showInformationMessage('Embedding Lens: word-vector training cancelled; nothing was written.');
      return;
    }
    if ('error' in outcome) {
      void vscode.window.showErrorMessage(`Embedding Lens: word-vector training failed: ${outcome.error}`);
      return;
    }
    const { result } = outcome;
    const active = await wordVectorsConfig.setFile(vscode.Uri.file(result.binPath ?? result.path));
    const saved = result.binPath ? `${path.basename(result.path)} and ${path.basename(result.binPath)}` : path.basename(result.path);
    void vscode.window.showInformationMessage(
      `Embedding Lens: trained ${result.words.toLocaleString('en-US')} word vectors (${result.dim} dimensions) on ${result.tokens.toLocaleString('en-US')} words ` +
        `of ${result.files} file${result.files === 1 ? '' : 's'} in ${result.seconds.toFixed(1)} s; saved ${saved}, now active (${active}).`,
    );
  };
}

/** A list of the parameters with their values: pick one to change it, or Train to go on. Undefined: backed out. */
async function reviewParameters(algorithm: string): Promise<Settings | undefined> {
  const settings = { ...DEFAULTS };
  for (;;) {
    const items: Array<vscode.QuickPickItem & { parameter?: Parameter }> = [
      { label: TRAIN, description: PARAMETERS.map((p) => `${p.label.toLowerCase()} ${settings[p.key]}`).join(', ') },
      ...PARAMETERS.map((parameter) => ({ label: `${parameter.label}: ${settings[parameter.key]}`, description: parameter.note, parameter })),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: `${TITLE}: ${algorithm}`, placeHolder: 'Train with these settings, or pick one to change it' });
    if (!picked) return undefined;
    if (!picked.parameter) return settings;
    const { key, label, min, max } = picked.parameter;
    const value = await vscode.window.showInputBox({
      title: `${TITLE}: ${label}`,
      value: String(settings[key]),
      validateInput: (text) => (/^\d+$/.test(text.trim()) && Number(text) >= min && Number(text) <= max ? undefined : `A whole number from ${min} to ${max}`),
    });
    if (value !== undefined) settings[key] = Number(value);
  }
}

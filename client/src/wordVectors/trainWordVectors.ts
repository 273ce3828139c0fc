/**
 * "Train Word Vectors on Workspace": choose the algorithm, review or change its parameters, train on the workspace
 * (or the files and folders the command was invoked on) with a cancellable progress notification; the result becomes
 * the active vectors.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TrainWordVectorsRequest, type TrainWordVectorsParams, type WordVectorAlgorithm } from '../../../server/src/protocol';
import { DEFAULT_VECTOR_TRAINING } from '../../../server/src/vectors/training/vectorTrainingTypes';
import { requestWithProgress } from '../requestWithProgress';
import { trainingSources } from '../trainingSources';
import { wordVectorsConfig } from './wordVectorsConfig';

const TITLE = 'Embedding Lens: Train Word Vectors';
type Recipe = Pick<TrainWordVectorsParams, 'algo' | 'mode'>;
const ALGORITHMS: Array<vscode.QuickPickItem & { recipe: Recipe }> = [
  { label: 'word2vec skip-gram', description: 'predicts the words around each word', detail: 'Good for rare words', recipe: { algo: 'word2vec', mode: 'skipgram' } },
  { label: 'word2vec CBOW', description: 'predicts each word from the words around it', detail: 'Several times faster; good for frequent words', recipe: { algo: 'word2vec', mode: 'cbow' } },
  { label: 'fastText skip-gram', description: 'with character n-grams', detail: 'Also gives vectors to words it never saw (saved as .vec and .bin)', recipe: { algo: 'fasttext', mode: 'skipgram' } },
  { label: 'fastText CBOW', description: 'with character n-grams, CBOW', detail: 'Faster fastText; also gives vectors to unseen words (.vec and .bin)', recipe: { algo: 'fasttext', mode: 'cbow' } },
  { label: 'GloVe', description: 'co-occurrence counts, AdaGrad', detail: 'Factorises the window co-occurrence matrix', recipe: { algo: 'glove' } },
];

type Loss = 'ns' | 'hs';
const LOSSES: Array<vscode.QuickPickItem & { loss: Loss }> = [
  { label: 'Negative sampling', detail: 'Contrasts each prediction with a few random words; the usual choice', loss: 'ns' },
  { label: 'Hierarchical softmax', detail: 'A Huffman tree over the vocabulary; no negative words, often better for rare words', loss: 'hs' },
];

interface Settings {
  dim: number;
  window: number;
  epochs: number;
  minCount: number;
  loss: Loss;
  negative: number;
  sample: number;
  minn: number;
  maxn: number;
}
type NumberKey = Exclude<keyof Settings, 'loss'>;
/** The engine's defaults: those of word2vec and fastText, so results compare with theirs. */
const DEFAULTS: Settings = (({ dim, window, epochs, minCount, loss, negative, sample, minn, maxn }) => ({ dim, window, epochs, minCount, loss, negative, sample, minn, maxn }))(
  DEFAULT_VECTOR_TRAINING,
);

interface NumberParameter {
  key: NumberKey;
  label: string;
  /** What it does, shown beside the value. */
  note: string;
  min: number;
  max: number;
  /** Whole numbers only (sample is a fraction). */
  whole: boolean;
  shown(algo: WordVectorAlgorithm, settings: Settings): boolean;
}
const always = (): boolean => true;
const predictive = (algo: WordVectorAlgorithm): boolean => algo !== 'glove';
const PARAMETERS: NumberParameter[] = [
  { key: 'dim', label: 'Dimensions', note: 'size of each vector', min: 2, max: 1000, whole: true, shown: always },
  { key: 'window', label: 'Window', note: 'context words on each side', min: 1, max: 50, whole: true, shown: always },
  { key: 'epochs', label: 'Epochs', note: 'passes over the text', min: 1, max: 1000, whole: true, shown: always },
  { key: 'minCount', label: 'Min count', note: 'rarer words are dropped; lower it to 2 or 1 for a small workspace', min: 1, max: 1_000_000, whole: true, shown: always },
  { key: 'negative', label: 'Negative words', note: 'random words each prediction is contrasted with', min: 1, max: 100, whole: true, shown: (algo, s) => predictive(algo) && s.loss === 'ns' },
  { key: 'sample', label: 'Sub-sampling', note: 'frequent words are skipped more often above this share of the text (0: off)', min: 0, max: 1, whole: false, shown: predictive },
  { key: 'minn', label: 'Shortest n-gram', note: 'characters in the shortest subword', min: 1, max: 20, whole: true, shown: (algo) => algo === 'fasttext' },
  { key: 'maxn', label: 'Longest n-gram', note: 'characters in the longest subword (0: no subwords)', min: 0, max: 20, whole: true, shown: (algo) => algo === 'fasttext' },
];
const TRAIN = '$(play) Train';

export function trainWordVectorsCommand(client: LanguageClient): (clicked?: vscode.Uri, selected?: vscode.Uri[]) => Promise<void> {
  return async (clicked, selected) => {
    const paths = trainingSources(TITLE, clicked, selected);
    if (!paths) return;
    const algorithm = await vscode.window.showQuickPick(ALGORITHMS, { title: TITLE, placeHolder: 'Which algorithm?' });
    if (!algorithm) return;
    const settings = await reviewParameters(algorithm.label, algorithm.recipe.algo);
    if (!settings) return;
    // No paths: the whole workspace.
    const params: TrainWordVectorsParams = { ...algorithm.recipe, ...settings, ...(paths.length > 0 ? { paths } : {}) };
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

/**
 * The settings that apply to `algo` (only those are sent; the server fills in the rest), with their values: pick one
 * to change it, or Train to go on. Undefined: backed out.
 */
async function reviewParameters(title: string, algo: WordVectorAlgorithm): Promise<Partial<Settings> | undefined> {
  const settings = { ...DEFAULTS };
  for (;;) {
    const shown = PARAMETERS.filter((parameter) => parameter.shown(algo, settings));
    const lossItem = { label: `Loss: ${lossLabel(settings.loss).toLowerCase()}`, description: 'or the other way to score predictions', loss: true };
    const items: Array<vscode.QuickPickItem & { parameter?: NumberParameter; loss?: boolean }> = [
      { label: TRAIN, description: summary(shown, settings, algo) },
      // The four every algorithm has, then the loss, then the algorithm's own.
      ...shown.slice(0, 4).map(parameterItem(settings)),
      ...(predictive(algo) ? [lossItem] : []),
      ...shown.slice(4).map(parameterItem(settings)),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: `${TITLE}: ${title}`, placeHolder: 'Train with these settings, or pick one to change it' });
    if (!picked) return undefined;
    if (picked.loss) {
      const loss = await vscode.window.showQuickPick(LOSSES, { title: `${TITLE}: loss`, placeHolder: `Now: ${lossLabel(settings.loss).toLowerCase()}` });
      if (loss) settings.loss = loss.loss;
      continue;
    }
    if (picked.parameter) {
      const value = await askNumber(picked.parameter, settings[picked.parameter.key]);
      if (value !== undefined) settings[picked.parameter.key] = value;
      continue;
    }
    if (algo === 'fasttext' && settings.maxn > 0 && settings.minn > settings.maxn) {
      void vscode.window.showWarningMessage(`Embedding Lens: the shortest n-gram (${settings.minn}) is longer than the longest (${settings.maxn}); change one, or set the longest to 0 for no subwords.`);
      continue;
    }
    return chosen(settings, shown, algo);
  }
}

/** The settings shown for the algorithm, and its loss. */
function chosen(settings: Settings, shown: readonly NumberParameter[], algo: WordVectorAlgorithm): Partial<Settings> {
  const values: Partial<Record<keyof Settings, number | Loss>> = Object.fromEntries(shown.map(({ key }) => [key, settings[key]]));
  if (predictive(algo)) values.loss = settings.loss;
  return values as Partial<Settings>;
}

function parameterItem(settings: Settings): (parameter: NumberParameter) => vscode.QuickPickItem & { parameter: NumberParameter } {
  return (parameter) => ({ label: `${parameter.label}: ${settings[parameter.key]}`, description: parameter.note, parameter });
}

function summary(shown: readonly NumberParameter[], settings: Settings, algo: WordVectorAlgorithm): string {
  const parts = shown.map((p) => `${p.label.toLowerCase()} ${settings[p.key]}`);
  if (predictive(algo)) parts.push(lossLabel(settings.loss).toLowerCase());
  return parts.join(', ');
}

function lossLabel(loss: Loss): string {
  return LOSSES.find((item) => item.loss === loss)?.label ?? loss;
}

async function askNumber({ label, min, max, whole }: NumberParameter, current: number): Promise<number | undefined> {
  const value = await vscode.window.showInputBox({
    title: `${TITLE}: ${label}`,
    value: String(current),
    validateInput: (text) => {
      const trimmed = text.trim();
      const number = Number(trimmed);
      const valid = trimmed !== '' && Number.isFinite(number) && (!whole || Number.isInteger(number)) && number >= min && number <= max;
      return valid ? undefined : `${whole ? 'A whole number' : 'A number'} from ${min} to ${max}`;
    },
  });
  return value === undefined ? undefined : Number(value.trim());
}

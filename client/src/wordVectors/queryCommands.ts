/**
 * Similar Words…, Word Analogy… and Doesn't Match…: ask for the words (starting from the word under the cursor or
 * the selection), query the server's active vectors and show the answer in the Word Vectors panel.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { WordVectorQueryRequest, WordVectorsStatusRequest, type WordVectorQuery, type WordVectorsInfo } from '../../../server/src/protocol';
import { wordAt } from '../../../server/src/wordVectors/wordAt';
import type { WordVectorsResultsView } from './resultsView';
import { wordVectorsConfig } from './wordVectorsConfig';

export interface QueryCommands {
  similarWords(): Promise<void>;
  analogy(): Promise<void>;
  doesntMatch(): Promise<void>;
}

export function queryCommands(client: LanguageClient, view: WordVectorsResultsView): QueryCommands {
  const run = async (title: string, query: WordVectorQuery | undefined): Promise<void> => {
    if (!query) return;
    const active = await activeVectors(client);
    if (!active) return;
    try {
      const result = await client.sendRequest(WordVectorQueryRequest, query);
      view.show({ kind: 'query', vectors: active.path, result }, active);
    } catch (error) {
      view.show({ kind: 'error', title, message: (error as Error).message }, active);
    }
  };
  return {
    async similarWords() {
      const text = await askWords('Embedding Lens: Similar Words', 'Words to add, and -words to subtract (e.g. king woman -man)', currentWord());
      if (!text) return;
      const words = splitWords(text);
      const positive = words.filter((w) => !w.startsWith('-') || w.length === 1);
      const negative = words.filter((w) => w.startsWith('-') && w.length > 1).map((w) => w.slice(1));
      await run('Similar words', { kind: 'similar', positive, negative, ...searchOptions() });
    },
    async analogy() {
      const method = await vscode.window.showQuickPick(ANALOGY_METHODS, { title: 'Embedding Lens: Word Analogy', placeHolder: 'How to score the answers?' });
      if (!method) return;
      const text = await askWords(`Embedding Lens: Word Analogy (${method.label})`, 'a b c: "a is to b as c is to ?" (e.g. man king woman)', currentWord(), 3);
      if (!text) return;
      const [a, b, c] = splitWords(text);
      await run('Word analogy', { kind: 'analogy', a, b, c, method: method.method, ...searchOptions() });
    },
    async doesntMatch() {
      const text = await askWords("Embedding Lens: Doesn't Match", 'Words, one of which does not belong (e.g. breakfast lunch dinner car)', currentWord(), 2);
      if (!text) return;
      await run("Doesn't match", { kind: 'doesntMatch', words: splitWords(text) });
    },
  };
}

const ANALOGY_METHODS: Array<vscode.QuickPickItem & { method: 'add' | 'mul' }> = [
  { label: '3CosAdd', description: 'nearest to b − a + c', detail: 'Mikolov et al.; what gensim most_similar and the analogy benchmarks use', method: 'add' },
  { label: '3CosMul', description: 'cos(d, b) · cos(d, c) / cos(d, a)', detail: 'Levy and Goldberg: multiplies the similarities, so no single term dominates', method: 'mul' },
];

/** How many answers, and from how many of the most frequent words (the setting's 0: all of them). */
function searchOptions(): { topn: number; restrictVocab?: number } {
  const restrictVocab = wordVectorsConfig.restrictVocab;
  return { topn: Math.max(1, wordVectorsConfig.topn), ...(restrictVocab > 0 ? { restrictVocab } : {}) };
}

/** The active vectors; or undefined, after a message saying why (none, still loading, or failed to load). */
export async function activeVectors(client: LanguageClient): Promise<WordVectorsInfo | undefined> {
  const status = await client.sendRequest(WordVectorsStatusRequest);
  if (status.state === 'ready') return status.info;
  if (status.state === 'failed') void vscode.window.showErrorMessage(`Embedding Lens: the word vectors could not be loaded: ${status.error}`);
  else if (status.state === 'loading') void vscode.window.showInformationMessage(`Embedding Lens: still loading ${status.path}…`);
  else void vscode.window.showWarningMessage('Embedding Lens: no word vectors are active. Train some on the workspace, or load a vectors file.');
  return undefined;
}

function askWords(title: string, prompt: string, value: string, atLeast = 1): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt,
    value,
    validateInput: (text) => {
      const n = splitWords(text).length;
      if (atLeast === 3 && n !== 3) return 'Exactly three words: a b c';
      return n >= atLeast ? undefined : `At least ${atLeast} words`;
    },
  });
}

function splitWords(text: string): string[] {
  return text.split(/[\s,]+/u).filter(Boolean);
}

/** The selection's text, or the word at the cursor, to start the input from. */
function currentWord(): string {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return '';
  const { document, selection } = editor;
  if (!selection.isEmpty) return document.getText(selection).trim();
  return wordAt(document.lineAt(selection.active.line).text, selection.active.character)?.word ?? '';
}

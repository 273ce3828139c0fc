/**
 * Word vectors in the language server: the active vectors (the `embeddingLens.wordVectors.file` setting, or what
 * was just loaded or trained), the neighbours section of the hover, and the load, status, query, evaluate and train
 * requests. Loading streams the file with async reads; evaluation and training run in worker threads.
 */
import * as path from 'node:path';
import { ResponseError, type CancellationToken, type Connection, type InitializeParams, type Position, type WorkDoneProgressReporter } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  EvaluateWordVectorsRequest,
  LoadWordVectorsRequest,
  TrainWordVectorsRequest,
  WordVectorQueryRequest,
  WordVectorsStatusRequest,
  type WordVectorsInfo,
} from '../protocol';
import { workspaceRootOf } from '../pulledSettings';
import { UnknownWordError } from '../vectors/similarity';
import { VECTOR_FORMATS } from '../vectors/vectorFiles';
import { ActiveWordVectors, type LoadedWordVectors, type LoadOptions, type LoadProgress } from './activeWordVectors';
import { evaluateVectors } from './evaluateVectors';
import { neighboursHover } from './neighboursHover';
import { cancelled, failed, InvalidParams, optionalChoice, optionalWorkDoneToken, paramsObject, requiredString } from '../requestErrors';
import { trainWordVectors } from './trainWordVectors';
import { answerQuery, checkedQuery } from './wordVectorQueries';
import { WordVectorsSettingsReader } from './wordVectorsSettings';

export class WordVectorsFeature {
  private readonly active = new ActiveWordVectors();
  private readonly settings: WordVectorsSettingsReader;
  /**
   * The file a load or training request made active (from the start of its load). It stands until the setting
   * changes (a client records the choice in the setting; clients without settings keep it).
   */
  private chosen: string | undefined;
  /** What `chosen` was before the load in progress chose another file: active again if that load fails. */
  private fallback: string | undefined;
  /** The setting's value when last read, to see it change. */
  private settingFile: string | undefined;

  /** @param script the server bundle, started again as the training and evaluation workers */
  constructor(
    private readonly connection: Connection,
    private readonly script: string,
  ) {
    this.settings = new WordVectorsSettingsReader(connection);
  }

  initialize({ capabilities, workspaceFolders, rootUri }: Pick<InitializeParams, 'capabilities' | 'workspaceFolders' | 'rootUri'>): void {
    this.settings.workspaceRoot = workspaceRootOf({ workspaceFolders, rootUri });
    this.settings.canPull = capabilities.workspace?.configuration === true;
  }

  register(): void {
    const { connection, script, settings } = this;
    connection.onRequest(LoadWordVectorsRequest, (params, cancel) => answer(() => this.load(params, cancel)));
    connection.onRequest(WordVectorsStatusRequest, async () => this.active.status(await this.activeFile()));
    connection.onRequest(WordVectorQueryRequest, (params) =>
      answer(async () => {
        const query = checkedQuery(params);
        const loaded = await this.current();
        try {
          return answerQuery(loaded.vectors, query);
        } catch (error) {
          if (error instanceof UnknownWordError) throw failed(`"${error.word}" is not in the vocabulary of ${path.basename(loaded.info.path)}`);
          throw error;
        }
      }),
    );
    connection.onRequest(EvaluateWordVectorsRequest, (params, cancel) =>
      answer(() => evaluateVectors(params, { connection, script, settings, cancel, vectors: () => this.current() })),
    );
    connection.onRequest(TrainWordVectorsRequest, (params, cancel) =>
      answer(() => trainWordVectors(params, { connection, script, settings, cancel, activate: (file) => this.choose(file, {}) })),
    );
  }

  /** Settings changed: load the newly named file in the background (hovers show neighbours once it is in). */
  async settingsChanged(): Promise<void> {
    this.settings.invalidate();
    const file = await this.activeFile();
    if (file === '') return;
    this.active.use(file).catch((error: Error) => this.connection.console.error(`Embedding Lens: cannot load word vectors: ${error.message}`));
  }

  /**
   * The chosen file, or the setting's (a changed setting replaces the choice, and lets go of other vectors); '' for
   * none.
   */
  private async activeFile(): Promise<string> {
    const { file } = await this.settings.get();
    if (file !== this.settingFile) {
      this.settingFile = file;
      this.chosen = this.fallback = undefined;
      this.active.keepOnly(file);
    }
    return this.chosen ?? file;
  }

  /** Loads `file` (again, even after a failure) and makes it the active vectors; a failure keeps the previous ones. */
  private async choose(file: string, options: LoadOptions): Promise<LoadedWordVectors> {
    await this.activeFile(); // takes in the current setting first, so that it does not undo this choice
    // Active from now on, so hovers and queries wait for this load instead of starting one of the previous file.
    if (this.chosen !== file) {
      this.fallback = this.chosen;
      this.chosen = file;
    }
    try {
      return await this.active.use(file, options, true);
    } catch (error) {
      // Unless another request still loads the file (or loaded it), the previous choice stands again.
      const { state } = this.active.status(file);
      if (this.chosen === file && state !== 'loading' && state !== 'ready') this.chosen = this.fallback;
      throw error;
    }
  }

  /** For the token hover: the neighbours of the hovered word, once the active vectors are loaded. */
  async hoverSection(document: TextDocument, position: Position): Promise<string | undefined> {
    const { topn } = await this.settings.get();
    const file = await this.activeFile();
    if (file === '' || topn === 0) return undefined;
    const loaded = this.active.ready(file);
    if (!loaded) {
      // Not loaded yet (e.g. a setting from an earlier session): start now, answer the next hover.
      this.active.use(file).catch(() => undefined);
      return undefined;
    }
    const line = document.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } }).replace(/\r?\n$/, '');
    return neighboursHover(loaded.vectors, loaded.info.path, line, position.character, topn);
  }

  /** The active vectors, loaded if needed; a ResponseError that says why there are none. */
  private async current(): Promise<LoadedWordVectors> {
    const file = await this.activeFile();
    if (file === '') throw failed('no word vectors are active: train some on the workspace or load a vectors file (embeddingLens.wordVectors.file)');
    try {
      return await this.active.use(file);
    } catch (error) {
      throw failed(`the word vectors could not be loaded: ${(error as Error).message}`);
    }
  }

  private async load(raw: unknown, cancel: CancellationToken): Promise<WordVectorsInfo> {
    const params = paramsObject(raw, 'load word vectors');
    const file = this.settings.resolve(requiredString(params, 'path'));
    // Any LSP client may send this: the format is checked, not trusted.
    const format = optionalChoice(params, 'format', VECTOR_FORMATS);
    const token = optionalWorkDoneToken(params);
    const abort = new AbortController();
    const subscription = cancel.onCancellationRequested(() => abort.abort());
    const progress: WorkDoneProgressReporter = this.connection.window.attachWorkDoneProgress(token);
    progress.begin(`Loading ${path.basename(file)}`, 0, 'reading', true);
    let lastPercent = -1;
    let lastPhase = '';
    const onProgress = (event: LoadProgress): void => {
      const percent = loadPercent(event);
      if (percent === lastPercent && event.phase === lastPhase) return;
      lastPercent = percent;
      lastPhase = event.phase;
      progress.report(percent, event.phase === 'reading' ? `${megabytes(event.bytes)} of ${megabytes(event.total)} MB` : 'preparing the neighbour search');
    };
    try {
      const loaded = await this.choose(file, { format, signal: abort.signal, onProgress });
      return loaded.info;
    } catch (error) {
      if (abort.signal.aborted) throw cancelled('loading the word vectors was cancelled');
      throw failed((error as Error).message);
    } finally {
      progress.done();
      subscription.dispose();
    }
  }
}

/** Runs a request's work: errors thrown as ResponseErrors (or InvalidParams) are its answer, any other error fails it. */
async function answer<T>(work: () => Promise<T>): Promise<T | ResponseError<void>> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ResponseError) return error as ResponseError<void>;
    if (error instanceof InvalidParams) return error.toResponse();
    return failed((error as Error).message);
  }
}

/** Reading the file is most of a load; building the search index the last tenth. */
function loadPercent(event: LoadProgress): number {
  const fraction = event.total > 0 ? Math.min(1, event.phase === 'reading' ? event.bytes / event.total : event.done / event.total) : 0;
  return Math.floor(event.phase === 'reading' ? 90 * fraction : 90 + 10 * fraction);
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/**
 * Word vectors in the language server: the active vectors (the `embeddingLens.wordVectors.file` setting, or what
 * was just loaded or trained), the neighbours section of the hover, and the load, status, query, evaluate and train
 * requests. Loading streams the file with async reads; training runs in a worker thread.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type InitializeParams, type Position, type WorkDoneProgressReporter } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  EvaluateWordVectorsRequest,
  LoadWordVectorsRequest,
  TrainWordVectorsRequest,
  WordVectorQueryRequest,
  WordVectorsStatusRequest,
  type LoadWordVectorsParams,
  type WordVectorsInfo,
} from '../protocol';
import { workspaceRootOf } from '../pulledSettings';
import { VECTOR_FORMATS } from '../vectors/vectorFiles';
import { UnknownWordError } from '../vectors/similarity';
import { ActiveWordVectors, type LoadedWordVectors, type LoadOptions } from './activeWordVectors';
import { evaluateVectors } from './evaluateVectors';
import { neighboursHover } from './neighboursHover';
import { trainWordVectors } from './trainWordVectors';
import { answerQuery } from './wordVectorQueries';
import { WordVectorsSettingsReader } from './wordVectorsSettings';

export class WordVectorsFeature {
  private readonly active = new ActiveWordVectors();
  private readonly settings: WordVectorsSettingsReader;
  /**
   * The file a load or training request made active. It stands until the setting changes (a client records the
   * choice in the setting; clients without settings keep it).
   */
  private chosen: string | undefined;
  /** The setting's value when last read, to see it change. */
  private settingFile: string | undefined;

  /** @param script the server bundle, started again as the training worker */
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
    const { connection } = this;
    connection.onRequest(LoadWordVectorsRequest, (params, cancel) => this.load(params, cancel));
    connection.onRequest(WordVectorsStatusRequest, async () => this.active.status(await this.activeFile()));
    connection.onRequest(WordVectorQueryRequest, async (query) => {
      const loaded = await this.current();
      try {
        return answerQuery(loaded.vectors, query);
      } catch (error) {
        if (error instanceof UnknownWordError) return failed(`"${error.word}" is not in the vocabulary of ${path.basename(loaded.info.path)}`);
        return failed((error as Error).message);
      }
    });
    connection.onRequest(EvaluateWordVectorsRequest, async (params, cancel) => {
      const loaded = await this.current();
      return evaluateVectors(loaded, params, this.settings, cancel).catch((error: Error) => failed(error.message));
    });
    connection.onRequest(TrainWordVectorsRequest, (params, cancel) =>
      trainWordVectors(params, { connection, script: this.script, settings: this.settings, cancel, activate: (file) => this.choose(file, {}) }),
    );
  }

  /** Settings changed: load the newly named file in the background (hovers show neighbours once it is in). */
  async settingsChanged(): Promise<void> {
    this.settings.invalidate();
    const file = await this.activeFile();
    if (file === '') return this.active.clear();
    this.active.use(file).catch((error: Error) => this.connection.console.error(`Embedding Lens: cannot load word vectors: ${error.message}`));
  }

  /** The chosen file, or the setting's (a changed setting replaces the choice); '' for none. */
  private async activeFile(): Promise<string> {
    const { file } = await this.settings.get();
    if (file !== this.settingFile) {
      this.settingFile = file;
      this.chosen = undefined;
    }
    return this.chosen ?? file;
  }

  /** Loads `file` (again, even after a failure) and makes it the active vectors. */
  private async choose(file: string, options: LoadOptions): Promise<LoadedWordVectors> {
    await this.activeFile(); // takes in the current setting first, so that it does not undo this choice
    const loaded = await this.active.use(file, options, true);
    this.chosen = file;
    return loaded;
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

  private async load(params: LoadWordVectorsParams, cancel: CancellationToken): Promise<WordVectorsInfo | ResponseError<void>> {
    const file = params.path.startsWith('file:') ? fileURLToPath(params.path) : this.settings.resolve(params.path);
    // Any LSP client may send this: the format is checked, not trusted.
    const { format } = params;
    if (format !== undefined && !VECTOR_FORMATS.includes(format)) return failed(`unknown vectors format "${String(format)}"; one of ${VECTOR_FORMATS.join(', ')}`);
    const abort = new AbortController();
    const subscription = cancel.onCancellationRequested(() => abort.abort());
    const progress: WorkDoneProgressReporter = this.connection.window.attachWorkDoneProgress(params.workDoneToken);
    progress.begin(`Loading ${path.basename(file)}`, 0, 'reading', true);
    let lastPercent = -1;
    const onProgress = (bytes: number, total: number): void => {
      const percent = total > 0 ? Math.floor((100 * bytes) / total) : 0;
      if (percent === lastPercent) return;
      lastPercent = percent;
      progress.report(percent, `${megabytes(bytes)} of ${megabytes(total)} MB`);
    };
    try {
      const loaded = await this.choose(file, { format, signal: abort.signal, onProgress });
      return loaded.info;
    } catch (error) {
      if (abort.signal.aborted) return new ResponseError(LSPErrorCodes.RequestCancelled, 'loading the word vectors was cancelled');
      return failed((error as Error).message);
    } finally {
      progress.done();
      subscription.dispose();
    }
  }
}

export function failed(message: string): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestFailed, message);
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

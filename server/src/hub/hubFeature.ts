/** The server side of Hub downloads: the embeddingLens/downloadHubTokenizer request, with progress and cancel. */
import * as path from 'node:path';
import {
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type WorkDoneProgressReporter,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver';
import {
  DownloadHubTokenizerRequest,
  type DownloadHubTokenizerErrorData,
  type DownloadHubTokenizerParams,
  type DownloadHubTokenizerResult,
  type EmbeddingLensInitializationOptions,
} from '../protocol';
import { downloadHubTokenizer, type HubDownloadProgress } from './hubDownload';
import { defaultCacheDir, hubEndpoint, hubToken } from './hubEnvironment';
import { HubDownloadError } from './hubErrors';

export class HubFeature {
  /** VS Code's global storage when the client says so; other editors get the user's cache folder. */
  private cacheDir = path.join(defaultCacheDir(), 'hub');
  private canPullSettings = false;

  constructor(private readonly connection: Connection) {}

  /** From onInitialize: where to cache, and whether settings can be pulled. */
  initialize({ initializationOptions, capabilities }: Pick<InitializeParams, 'initializationOptions' | 'capabilities'>): void {
    const storage = (initializationOptions as EmbeddingLensInitializationOptions | undefined)?.globalStoragePath;
    if (typeof storage === 'string' && storage !== '') this.cacheDir = path.join(storage, 'hub');
    this.canPullSettings = capabilities.workspace?.configuration === true;
  }

  register(): void {
    this.connection.onRequest(DownloadHubTokenizerRequest, (params, cancel) => this.download(params, cancel));
  }

  private async download(
    params: DownloadHubTokenizerParams,
    cancel: CancellationToken,
  ): Promise<DownloadHubTokenizerResult | ResponseError<DownloadHubTokenizerErrorData>> {
    const abort = new AbortController();
    let progress: WorkDoneProgressReporter;
    const cancellations = [cancel];
    if (params.workDoneToken !== undefined) {
      progress = this.connection.window.attachWorkDoneProgress(params.workDoneToken);
    } else {
      const created: WorkDoneProgressServerReporter = await this.connection.window.createWorkDoneProgress();
      cancellations.push(created.token); // its Cancel button
      progress = created;
    }
    const subscriptions = cancellations.map((token) => token.onCancellationRequested(() => abort.abort()));
    progress.begin(`Downloading the ${params.modelId} tokenizer`, 0, undefined, true);
    try {
      const result = await downloadHubTokenizer({
        modelId: params.modelId,
        revision: params.revision,
        endpoint: hubEndpoint(await this.endpointSetting()),
        token: params.token || (await hubToken()),
        cacheDir: this.cacheDir,
        signal: abort.signal,
        onProgress: progressReporter(progress),
      });
      return { path: result.tokenizerFile };
    } catch (error) {
      if (!(error instanceof HubDownloadError)) throw error;
      const code = error.reason === 'cancelled' ? LSPErrorCodes.RequestCancelled : LSPErrorCodes.RequestFailed;
      return new ResponseError(code, error.message, { reason: error.reason });
    } finally {
      progress.done();
      for (const subscription of subscriptions) subscription.dispose();
    }
  }

  /** `embeddingLens.hub.endpoint`, read on each download so a changed setting applies at once. */
  private async endpointSetting(): Promise<string | undefined> {
    if (!this.canPullSettings) return undefined;
    try {
      const hub = (await this.connection.workspace.getConfiguration('embeddingLens.hub')) as { endpoint?: unknown } | null;
      return typeof hub?.endpoint === 'string' ? hub.endpoint : undefined;
    } catch {
      return undefined; // a client that fails the request gets the default, as for every other setting
    }
  }
}

/** Reports the bytes as they arrive, at most once per percent, so a large file does not flood the client. */
function progressReporter(progress: WorkDoneProgressReporter): (p: HubDownloadProgress) => void {
  let last = '';
  return ({ file, received, total, overall }) => {
    const [done, planned] = overall.total ? [overall.received, overall.total] : [received, total];
    const percentage = planned ? Math.floor((done / planned) * 100) : 0;
    const key = `${file} ${planned ? percentage : Math.floor(received / 1e6)}`;
    if (key === last) return;
    last = key;
    progress.report(percentage, total ? `${file}: ${megabytes(received)} of ${megabytes(total)} MB` : `${file}: ${megabytes(received)} MB`);
  };
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0);
}

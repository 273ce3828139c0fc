/** The few Hub HTTP calls a tokenizer download needs: the model's file list, and each file's metadata. */
import { checksumFromEtag, type ExpectedChecksum } from './checksum';
import { errorForFailedFetch, errorForStatus, HubDownloadError, type HubRequestContext } from './hubErrors';

export interface HubClientOptions {
  modelId: string;
  revision: string;
  endpoint: string;
  token?: string;
  signal?: AbortSignal;
}

export interface ModelFiles {
  /** Top-level file names; files in folders are not tokenizers we load. */
  files: string[];
  /** The commit the listing describes, when the server says. */
  commit?: string;
}

export interface FileMetadata {
  file: string;
  /** From X-Repo-Commit: the commit the revision resolved to. */
  commit?: string;
  checksum?: ExpectedChecksum;
  size?: number;
  /** Where the bytes are: the resolve URL itself, or the storage (CDN) it redirects to. */
  downloadUrl: string;
}

const MAX_SAME_HOST_REDIRECTS = 5;
const USER_AGENT = 'embedding-lens/0.1.0';

export class HubClient {
  private readonly endpointOrigin: string;

  constructor(private readonly options: HubClientOptions) {
    this.endpointOrigin = new URL(options.endpoint).origin;
  }

  get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  /** GET /api/models/{id}/revision/{revision}: the model's files (its "siblings"). */
  async listFiles(): Promise<ModelFiles> {
    const { endpoint, modelId, revision } = this.options;
    const url = `${endpoint}/api/models/${modelId}/revision/${encodeURIComponent(revision)}`;
    const response = await this.fetch(url, { headers: this.headers(url) });
    let body: unknown;
    try {
      body = JSON.parse(await response.text());
    } catch (error) {
      if (error instanceof SyntaxError) throw new HubDownloadError(modelId, 'bad-response', `the model listing from ${url} is not JSON`);
      throw errorForFailedFetch(error, this.context(), this.options.signal);
    }
    const { siblings, sha } = (body ?? {}) as { siblings?: unknown; sha?: unknown };
    if (!Array.isArray(siblings)) throw new HubDownloadError(modelId, 'bad-response', `the model listing from ${url} has no "siblings" list of files`);
    const files = siblings.map((s) => (s as { rfilename?: unknown }).rfilename).filter((name): name is string => typeof name === 'string' && !name.includes('/'));
    return { files, commit: typeof sha === 'string' ? sha : undefined };
  }

  /**
   * HEAD /{id}/resolve/{revision}/{file}. Same-host redirects (a renamed model) are followed; a redirect elsewhere
   * is large-file storage, and it is that redirect that carries the content hash (X-Linked-Etag) and size.
   */
  async fileMetadata(file: string, revision: string): Promise<FileMetadata> {
    const { endpoint, modelId } = this.options;
    let url = `${endpoint}/${modelId}/resolve/${encodeURIComponent(revision)}/${encodeURIComponent(file)}`;
    for (let redirects = 0; ; redirects++) {
      const response = await this.fetch(url, { method: 'HEAD', redirect: 'manual', headers: this.headers(url) }, file);
      const location = response.headers.get('location');
      const isRedirect = response.status >= 300 && response.status < 400 && location !== null;
      if (isRedirect && !/^[a-z][a-z0-9+.-]*:/i.test(location) && redirects < MAX_SAME_HOST_REDIRECTS) {
        url = new URL(location, url).href;
        continue;
      }
      const headers = response.headers;
      const size = Number(headers.get('x-linked-size') ?? (isRedirect ? NaN : headers.get('content-length') ?? NaN));
      return {
        file,
        commit: headers.get('x-repo-commit') ?? undefined,
        checksum: checksumFromEtag(headers.get('x-linked-etag') ?? headers.get('etag')),
        size: Number.isSafeInteger(size) && size >= 0 ? size : undefined,
        downloadUrl: isRedirect ? new URL(location, url).href : url,
      };
    }
  }

  /**
   * Request headers for `url`. The token goes only to the Hub itself, never to the storage it redirects to.
   * Identity encoding, because sizes, ranges and hashes are of the bytes as stored, not compressed.
   */
  headers(url: string): Record<string, string> {
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, 'accept-encoding': 'identity' };
    if (this.options.token && new URL(url).origin === this.endpointOrigin) headers.authorization = `Bearer ${this.options.token}`;
    return headers;
  }

  context(file?: string): HubRequestContext {
    const { modelId, revision, endpoint, token } = this.options;
    return { modelId, revision, endpoint, file, tokenSent: token !== undefined };
  }

  /** fetch with the download's signal; failures become HubDownloadErrors, and so do answers of 400 and up not accepted. */
  async fetch(url: string, init: RequestInit, file?: string, accepted: readonly number[] = []): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: this.options.signal });
    } catch (error) {
      throw errorForFailedFetch(error, this.context(file), this.options.signal);
    }
    if (response.status >= 400 && !accepted.includes(response.status)) {
      await response.body?.cancel().catch(() => undefined);
      throw errorForStatus(response, this.context(file));
    }
    return response;
  }
}

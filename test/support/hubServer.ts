/**
 * A fake Hugging Face Hub on 127.0.0.1 for offline tests: the model listing, `resolve` URLs with the Hub's
 * headers (X-Repo-Commit, ETag as git blob sha1, X-Linked-Etag/X-Linked-Size on a redirect to a second "CDN"
 * server for large files), Range requests, gated and unknown models, renamed models, and faults on demand.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { repoRoot } from './paths';

export interface FakeHubRepo {
  /** `org/name` or `name`. */
  id: string;
  files: Record<string, string | Buffer>;
  /** Files kept in large-file storage: their resolve URL redirects to the CDN with X-Linked-Etag = sha256. */
  largeFiles?: string[];
  /** 40 hex digits; default derived from the id. */
  commit?: string;
  /** The token its files need (`Authorization: Bearer …`): 401 GatedRepo without, 403 GatedRepo with another. */
  gatedToken?: string;
  /** Old ids that redirect here, as the Hub does for renamed models. */
  renamedFrom?: string[];
}

/** What the next requests for a file's bytes (or, for `status`, any request for the file) run into. */
export type FakeHubFault =
  /** Announce the whole length, send this many bytes, then drop the connection. */
  | { kind: 'cut'; afterBytes: number }
  /** Send this many bytes, then nothing until the client goes away. */
  | { kind: 'stall'; afterBytes: number }
  /** Flip the bits of one byte (default the last). */
  | { kind: 'corrupt'; at?: number }
  /** Answer 200 with the whole file even when asked for a range. */
  | { kind: 'ignore-range' }
  | { kind: 'status'; status: number; errorCode?: string };

export interface RecordedRequest {
  server: 'hub' | 'cdn';
  method: string;
  path: string;
  range?: string;
  authorization?: string;
}

interface StoredFile {
  repo: FakeHubRepo;
  name: string;
  content: Buffer;
  sha256: string;
}

export class FakeHub {
  readonly requests: RecordedRequest[] = [];
  private readonly faults = new Map<string, FakeHubFault[]>();
  private readonly byHash = new Map<string, StoredFile>();

  private constructor(
    private readonly repos: readonly FakeHubRepo[],
    private readonly hub: Server,
    private readonly cdn: Server,
  ) {
    for (const repo of repos) {
      for (const name of repo.largeFiles ?? []) {
        const file = this.file(repo, name)!;
        this.byHash.set(file.sha256, file);
      }
    }
  }

  static async start(repos: readonly FakeHubRepo[]): Promise<FakeHub> {
    const servers: Server[] = [];
    let fake: FakeHub | undefined;
    for (const role of ['hub', 'cdn'] as const) {
      const server = createServer((request, response) => fake!.handle(role, request, response));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
    }
    fake = new FakeHub(repos, servers[0], servers[1]);
    return fake;
  }

  /** What to give as the Hub endpoint (`HF_ENDPOINT`, the `embeddingLens.hub.endpoint` setting). */
  get endpoint(): string {
    return origin(this.hub);
  }

  get cdnOrigin(): string {
    return origin(this.cdn);
  }

  commitOf(id: string): string {
    const repo = this.repos.find((r) => r.id === id);
    if (!repo) throw new Error(`no fake repo ${id}`);
    return repo.commit ?? createHash('sha1').update(repo.id).digest('hex');
  }

  /** The next `times` requests for `file` (its bytes; for `status`, any request) meet the fault. */
  failNext(file: string, fault: FakeHubFault, times = 1): void {
    const queue = this.faults.get(file) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faults.set(file, queue);
  }

  /** The GET requests that fetched `file`'s bytes, from the Hub or the CDN. */
  byteRequests(file: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'GET' && (r.path.endsWith(`/${file}`) || r.path.includes(`/cdn/${file}/`)));
  }

  async close(): Promise<void> {
    for (const server of [this.hub, this.cdn]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  private handle(role: 'hub' | 'cdn', request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const { method = 'GET', headers } = request;
    this.requests.push({ server: role, method, path: decodeURIComponent(url.pathname), range: headers.range, authorization: headers.authorization });
    if (role === 'cdn') return this.serveCdn(url, request, response);
    const api = /^\/api\/models\/(.+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (api) return this.serveListing(decodeURIComponent(api[1]), decodeURIComponent(api[2]), request, response);
    const resolve = /^\/(.+)\/resolve\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (resolve) return this.serveResolve(resolve[1], decodeURIComponent(resolve[2]), decodeURIComponent(resolve[3]), request, response);
    reply(response, 404, { 'x-error-code': 'EntryNotFound' }, 'Not found');
  }

  private serveListing(id: string, revision: string, request: IncomingMessage, response: ServerResponse): void {
    const repo = this.repos.find((r) => r.id === id);
    const renamed = this.repos.find((r) => r.renamedFrom?.includes(id));
    if (renamed) return reply(response, 307, { location: `/api/models/${renamed.id}/revision/${encodeURIComponent(revision)}` }, '');
    if (!repo) return repoNotFound(request, response);
    if (revision !== 'main' && revision !== this.commitOf(id)) return reply(response, 404, { 'x-error-code': 'RevisionNotFound' }, 'Invalid rev id');
    const siblings = ['.gitattributes', ...Object.keys(repo.files)].map((rfilename) => ({ rfilename }));
    reply(response, 200, { 'content-type': 'application/json' }, JSON.stringify({ id: repo.id, modelId: repo.id, sha: this.commitOf(id), siblings }));
  }

  private serveResolve(id: string, revision: string, name: string, request: IncomingMessage, response: ServerResponse): void {
    const renamed = this.repos.find((r) => r.renamedFrom?.includes(id));
    if (renamed) return reply(response, 307, { location: `/${renamed.id}/resolve/${encodeURIComponent(revision)}/${encodeURIComponent(name)}` }, '');
    const repo = this.repos.find((r) => r.id === id);
    if (!repo) return repoNotFound(request, response);
    if (revision !== 'main' && revision !== this.commitOf(id)) return reply(response, 404, { 'x-error-code': 'RevisionNotFound' }, 'Invalid rev id');
    if (repo.gatedToken && request.headers.authorization !== `Bearer ${repo.gatedToken}`) {
      const status = request.headers.authorization ? 403 : 401;
      return reply(response, status, { 'x-error-code': 'GatedRepo', 'x-error-message': `Access to model ${id} is restricted.` }, 'Gated');
    }
    const commitHeader = { 'x-repo-commit': this.commitOf(id) };
    const file = this.file(repo, name);
    if (!file) return reply(response, 404, { ...commitHeader, 'x-error-code': 'EntryNotFound' }, 'Entry not found');
    const statusFault = this.takeFault(name, (f) => f.kind === 'status');
    if (statusFault?.kind === 'status') return reply(response, statusFault.status, statusFault.errorCode ? { 'x-error-code': statusFault.errorCode } : {}, 'Fault');
    if (repo.largeFiles?.includes(name)) {
      // The Hub answers with a redirect to storage; the redirect carries the content hash and size.
      const location = `${this.cdnOrigin}/cdn/${name}/${file.sha256}?signature=fake`;
      const body = `Found. Redirecting to ${location}`;
      return reply(response, 302, { ...commitHeader, location, etag: '"redirect-etag"', 'x-linked-etag': `"${file.sha256}"`, 'x-linked-size': String(file.content.length) }, body);
    }
    const blobSha1 = createHash('sha1').update(`blob ${file.content.length}\0`).update(file.content).digest('hex');
    this.serveBytes(file, { ...commitHeader, etag: `"${blobSha1}"` }, request, response);
  }

  private serveCdn(url: URL, request: IncomingMessage, response: ServerResponse): void {
    const match = /^\/cdn\/[^/]+\/([0-9a-f]{64})$/.exec(url.pathname);
    const file = match ? this.byHash.get(match[1]) : undefined;
    if (!file) return reply(response, 404, {}, 'NoSuchKey');
    if (request.headers.authorization) return reply(response, 400, {}, 'storage refuses a Hub token');
    this.serveBytes(file, { etag: `"${createHash('md5').update(file.content).digest('hex')}"` }, request, response);
  }

  /** The file's bytes, honouring `Range: bytes=N-` and the file's pending fault. */
  private serveBytes(file: StoredFile, headers: Record<string, string>, request: IncomingMessage, response: ServerResponse): void {
    const fault = request.method === 'GET' ? this.takeFault(file.name, (f) => f.kind !== 'status') : undefined;
    let content = file.content;
    if (fault?.kind === 'corrupt') {
      content = Buffer.from(content);
      const at = fault.at ?? content.length - 1;
      content[at] ^= 0xff;
    }
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    const start = range && fault?.kind !== 'ignore-range' ? Number(range[1]) : 0;
    if (start >= content.length && start > 0) return reply(response, 416, { 'content-range': `bytes */${content.length}` }, '');
    const body = content.subarray(start);
    const status = range && start > 0 ? 206 : 200;
    response.writeHead(status, {
      ...headers,
      'accept-ranges': 'bytes',
      'content-length': String(body.length),
      ...(status === 206 ? { 'content-range': `bytes ${start}-${content.length - 1}/${content.length}` } : {}),
    });
    if (request.method === 'HEAD') return void response.end();
    if (fault?.kind === 'cut') {
      response.write(body.subarray(0, fault.afterBytes), () => response.destroy());
    } else if (fault?.kind === 'stall') {
      response.write(body.subarray(0, fault.afterBytes));
    } else {
      response.end(body);
    }
  }

  private takeFault(file: string, applies: (fault: FakeHubFault) => boolean): FakeHubFault | undefined {
    const queue = this.faults.get(file);
    const index = queue?.findIndex(applies) ?? -1;
    return index < 0 ? undefined : queue!.splice(index, 1)[0];
  }

  private file(repo: FakeHubRepo, name: string): StoredFile | undefined {
    const raw = repo.files[name];
    if (raw === undefined) return undefined;
    const content = Buffer.from(raw);
    return { repo, name, content, sha256: createHash('sha256').update(content).digest('hex') };
  }
}

/** A repo whose files are those of a folder (e.g. test/fixtures/hub/tiny-bert or a copy from ../shared). */
export function repoFromDirectory(id: string, dir: string, options: Omit<FakeHubRepo, 'id' | 'files'> = {}): FakeHubRepo {
  const files: Record<string, Buffer> = {};
  for (const name of readdirSync(dir)) {
    if (statSync(path.join(dir, name)).isFile()) files[name] = readFileSync(path.join(dir, name));
  }
  return { id, files, ...options };
}

/** The small BERT-style tokenizer kept for these tests (a valid tokenizer.json, its vocab.txt and configs). */
export const TINY_BERT_DIR = path.join(repoRoot, 'test', 'fixtures', 'hub', 'tiny-bert');

function origin(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function reply(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  response.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  response.end(body);
}

/** Like the Hub: without a token an unknown model is 401 (it might be private), with one it is 404. */
function repoNotFound(request: IncomingMessage, response: ServerResponse): void {
  reply(response, request.headers.authorization ? 404 : 401, { 'x-error-code': 'RepoNotFound' }, 'Repository not found');
}

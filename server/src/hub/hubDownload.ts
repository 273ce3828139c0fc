/**
 * Downloads a model's tokenizer from the Hugging Face Hub once: later calls answer from the cache without the
 * network. Plain TypeScript (no editor imports): the language server and the CLI both use it.
 */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { checksumProblem } from './checksum';
import { transferFile } from './fileDownload';
import { HubCache, type CachedSnapshot } from './hubCache';
import { HubClient, type FileMetadata } from './hubClient';
import { DEFAULT_HUB_ENDPOINT } from './hubEnvironment';
import { cancelledError, HubDownloadError } from './hubErrors';
import { modelIdProblem, revisionProblem } from './modelId';
import { chooseTokenizerFiles, TOKENIZER_FILES } from './tokenizerFiles';

export interface HubDownloadProgress {
  file: string;
  /** Bytes of `file` there so far, resumed ones included. */
  received: number;
  total: number | undefined;
  /** The whole download's bytes, all files together; total undefined when a size is unknown. */
  overall: { received: number; total: number | undefined };
}

export interface HubDownloadOptions {
  /** `name` or `org/name`. */
  modelId: string;
  /** Branch, tag or commit; default `main`. */
  revision?: string;
  /** Default https://huggingface.co (see hubEndpoint for the setting and HF_ENDPOINT). */
  endpoint?: string;
  /** A Hugging Face access token, for gated and private models (see hubToken). */
  token?: string;
  /** The cache root; models go in `models--org--name` below it. */
  cacheDir: string;
  onProgress?(progress: HubDownloadProgress): void;
  signal?: AbortSignal;
}

export interface HubDownloadResult {
  /** The snapshot folder holding the files. */
  dir: string;
  /** The file to load: tokenizer.json, a SentencePiece model or vocab.txt (absolute path). */
  tokenizerFile: string;
  /** Every file fetched (absolute paths), the tokenizer file last. */
  files: string[];
  commit: string;
}

/** Rejects with HubDownloadError, whose `reason` says what went wrong and whose message says what to do. */
export async function downloadHubTokenizer(options: HubDownloadOptions): Promise<HubDownloadResult> {
  const { modelId, revision = 'main', endpoint = DEFAULT_HUB_ENDPOINT } = options;
  const problem = modelIdProblem(modelId) ?? revisionProblem(revision) ?? endpointProblem(endpoint);
  if (problem) throw new HubDownloadError(modelId, 'invalid-input', problem);
  const cache = new HubCache(options.cacheDir, modelId);
  // One download per model at a time in this process: a second caller waits, then finds the cache complete.
  return oneAtATime(cache.repoDir, async () => {
    const cached = await cache.completeSnapshot(revision);
    if (cached) return result(cached);
    const client = new HubClient({ modelId, revision, endpoint: endpoint.replace(/\/+$/, ''), token: options.token, signal: options.signal });
    return result(await fetchSnapshot(client, cache, revision, options));
  });
}

async function fetchSnapshot(client: HubClient, cache: HubCache, revision: string, options: HubDownloadOptions): Promise<CachedSnapshot> {
  const { modelId, signal } = options;
  if (signal?.aborted) throw cancelledError(modelId);
  const listing = await client.listFiles();
  const choice = chooseTokenizerFiles(listing.files);
  if (!choice) {
    throw new HubDownloadError(modelId, 'no-tokenizer', `the model has no tokenizer file at revision "${revision}" (looked for ${TOKENIZER_FILES.join(', ')})`);
  }
  // Every file's metadata before any bytes: access problems show at once, and the rest resolve at the first
  // file's commit, so a push during the download cannot mix two versions.
  const metadata: FileMetadata[] = [];
  let commit: string | undefined;
  for (const file of choice.files) {
    const meta = await client.fileMetadata(file, commit ?? revision);
    commit ??= meta.commit ?? listing.commit;
    metadata.push(meta);
  }
  if (!commit || !/^[0-9a-f]{40}$/.test(commit)) {
    throw new HubDownloadError(modelId, 'bad-response', `${client.context().endpoint} sent no commit id (X-Repo-Commit) for the files; is it a Hugging Face Hub?`);
  }
  await cache.ensureBlobsDir();
  const plannedBytes = metadata.every((meta) => meta.size !== undefined) ? metadata.reduce((sum, meta) => sum + meta.size!, 0) : undefined;
  let finishedBytes = 0;
  for (const meta of metadata) {
    const { onProgress } = options;
    const report = onProgress && ((received: number, total: number | undefined) => {
      onProgress({ file: meta.file, received, total, overall: { received: finishedBytes + received, total: plannedBytes } });
    });
    await fetchFile(client, cache, commit, meta, options.modelId, report);
    finishedBytes += meta.size ?? 0;
  }
  await cache.writeRef(revision, commit);
  return { ...choice, commit, dir: cache.snapshotDir(commit) };
}

/** One file into the snapshot, verified; skipped when an earlier call already placed it. */
async function fetchFile(
  client: HubClient,
  cache: HubCache,
  commit: string,
  meta: FileMetadata,
  modelId: string,
  onProgress?: (received: number, total: number | undefined) => void,
): Promise<void> {
  const { file, checksum, size } = meta;
  const placed = path.join(cache.snapshotDir(commit), file);
  if (checksum && (await cache.hasFile(commit, file)) && !(await checksumProblem(placed, checksum))) return;
  const incompletePath = cache.incompletePath(checksum?.hex ?? `${commit}-${file}`);
  await transferFile(client, {
    file,
    url: meta.downloadUrl,
    size,
    incompletePath,
    onProgress,
  });
  const problem = checksum ? await checksumProblem(incompletePath, checksum) : await sizeProblem(incompletePath, size);
  if (problem) {
    await cache.discard(incompletePath);
    throw new HubDownloadError(modelId, 'checksum', `${file}: ${problem}; the damaged download was deleted, download again`);
  }
  await cache.place(incompletePath, commit, file);
}

/** Without a content hash the size is all there is to check; without either the file cannot be trusted. */
async function sizeProblem(file: string, size: number | undefined): Promise<string | undefined> {
  if (size === undefined) return 'the server gave neither a content hash (ETag) nor a size to check the file against';
  const actual = (await stat(file)).size;
  return actual === size ? undefined : `size mismatch: expected ${size} bytes, got ${actual}`;
}

function endpointProblem(endpoint: string): string | undefined {
  try {
    const { protocol } = new URL(endpoint);
    return protocol === 'https:' || protocol === 'http:' ? undefined : `the Hub endpoint ${endpoint} is not an http(s) URL`;
  } catch {
    return `the Hub endpoint "${endpoint}" is not a URL`;
  }
}

function result(snapshot: CachedSnapshot): HubDownloadResult {
  return {
    dir: snapshot.dir,
    tokenizerFile: path.join(snapshot.dir, snapshot.tokenizerFile),
    files: snapshot.files.map((file) => path.join(snapshot.dir, file)),
    commit: snapshot.commit,
  };
}

const running = new Map<string, Promise<unknown>>();

async function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const run = (running.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
  const settled = run.catch(() => undefined);
  running.set(key, settled);
  try {
    return await run;
  } finally {
    if (running.get(key) === settled) running.delete(key);
  }
}

/** `hf:org/name[@revision]` wherever a tokenizer name or path is accepted outside the editor (the CLI). */
import * as path from 'node:path';
import { downloadHubTokenizer, type HubDownloadProgress } from './hubDownload';
import { defaultCacheDir, hubEndpoint, hubToken } from './hubEnvironment';
import { parseHubReference } from './modelId';

/**
 * The local tokenizer file for a `hf:` reference, downloaded the first time (HF_ENDPOINT, HF_TOKEN and
 * EMBEDDING_LENS_CACHE apply); any other name or path comes back unchanged.
 */
export async function localTokenizerSource(
  nameOrReference: string,
  onProgress?: (progress: HubDownloadProgress) => void,
  env: Record<string, string | undefined> = process.env,
): Promise<string> {
  const reference = parseHubReference(nameOrReference);
  if (!reference) return nameOrReference;
  const { tokenizerFile } = await downloadHubTokenizer({
    ...reference,
    endpoint: hubEndpoint(undefined, env),
    token: await hubToken(env),
    cacheDir: path.join(defaultCacheDir(env), 'hub'),
    onProgress,
  });
  return tokenizerFile;
}

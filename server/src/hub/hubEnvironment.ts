/** Where Hub downloads go and whom they authenticate as, read from the environment the way huggingface_hub does. */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

type Env = Record<string, string | undefined>;

/** The setting when given, else HF_ENDPOINT (mirrors, tests), else huggingface.co; without a trailing slash. */
export function hubEndpoint(setting: string | undefined, env: Env = process.env): string {
  const chosen = setting?.trim() || env.HF_ENDPOINT?.trim() || DEFAULT_HUB_ENDPOINT;
  return chosen.replace(/\/+$/, '');
}

/** HF_TOKEN (or the older HUGGING_FACE_HUB_TOKEN), else the token `huggingface-cli login` saved; undefined if none. */
export async function hubToken(env: Env = process.env): Promise<string | undefined> {
  const fromEnv = env.HF_TOKEN?.trim() || env.HUGGING_FACE_HUB_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  try {
    return (await readFile(hubTokenPath(env), 'utf8')).trim() || undefined;
  } catch {
    return undefined; // no saved token is the common case, not an error
  }
}

function hubTokenPath(env: Env): string {
  if (env.HF_TOKEN_PATH) return env.HF_TOKEN_PATH;
  const hfHome = env.HF_HOME ?? path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'huggingface');
  return path.join(hfHome, 'token');
}

/** Our download cache outside VS Code (the CLI, other editors): EMBEDDING_LENS_CACHE, else the user's cache folder. */
export function defaultCacheDir(env: Env = process.env): string {
  if (env.EMBEDDING_LENS_CACHE) return env.EMBEDDING_LENS_CACHE;
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'embedding-lens', 'cache');
  return path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'embedding-lens');
}

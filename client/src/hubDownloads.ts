import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { chooseTokenizerFiles } from '../../server/src/hub/tokenizerFiles';

export interface HubDownload {
  modelId: string;
  commit: string;
  file: string;
}

/**
 * Tokenizers downloaded from the Hugging Face Hub before: the server caches them in global storage as
 * hub/models--org--name/snapshots/<commit>/<files>, like huggingface_hub does.
 */
export async function listHubDownloads(globalStorage: vscode.Uri): Promise<HubDownload[]> {
  const hubDir = path.join(globalStorage.fsPath, 'hub');
  const downloads: HubDownload[] = [];
  for (const repo of await entries(hubDir)) {
    if (!repo.startsWith('models--')) continue;
    const modelId = repo.slice('models--'.length).split('--').join('/');
    const snapshots = path.join(hubDir, repo, 'snapshots');
    for (const commit of await entries(snapshots)) {
      const choice = chooseTokenizerFiles(await entries(path.join(snapshots, commit)));
      if (choice) downloads.push({ modelId, commit, file: path.join(snapshots, commit, choice.tokenizerFile) });
    }
  }
  return downloads.sort((a, b) => a.modelId.localeCompare(b.modelId));
}

/** A folder's entries; none when it does not exist (nothing downloaded yet). */
async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

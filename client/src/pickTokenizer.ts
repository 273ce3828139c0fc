import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ListTokenizersRequest } from '../../server/src/protocol';
import { tokenizerLabel } from '../../server/src/tokenLens/tokenizerRefs';
import { config } from './config';
import { listHubDownloads } from './hubDownloads';
import { findWorkspaceTokenizerFiles, TOKENIZER_FILE_FILTERS, tokenizerFileKind, tokenizerSettingValue } from './tokenizerFiles';

type Action = 'downloadFromHub' | 'browse';
interface TokenizerItem extends vscode.QuickPickItem {
  /** The setting value this item stands for (a bundled name or a path); absent for separators and actions. */
  value?: string;
  action?: Action;
}

export interface PickTokenizerOptions {
  title: string;
  /** Where Hub downloads are cached (the extension's global storage). */
  globalStorage: vscode.Uri;
  /** Values to mark as already chosen, e.g. the active tokenizer. */
  marked?: readonly string[];
  markedAs?: string;
}

/**
 * A Quick Pick of every tokenizer within reach: bundled ones, tokenizer files in the workspace (trained ones
 * included), earlier Hub downloads, a Hub download, or any file. Resolves to the setting value, or undefined.
 */
export async function pickTokenizer(client: LanguageClient, options: PickTokenizerOptions): Promise<string | undefined> {
  const quickPick = vscode.window.createQuickPick<TokenizerItem>();
  quickPick.title = options.title;
  quickPick.placeholder = 'A bundled tokenizer, a tokenizer file in the workspace, or one from the Hugging Face Hub';
  quickPick.matchOnDescription = true;
  quickPick.busy = true;
  const marked = new Set(options.marked ?? []);
  const sections = { bundled: [] as TokenizerItem[], workspace: [] as TokenizerItem[], hub: [] as TokenizerItem[] };
  const show = (): void => {
    quickPick.items = [
      separator('Bundled'),
      ...sections.bundled,
      separator('Workspace files'),
      ...(sections.workspace.length > 0 ? sections.workspace : quickPick.busy ? [] : [note('No tokenizer files in the workspace')]),
      separator('Hugging Face Hub'),
      ...sections.hub,
      { label: '$(cloud-download) Download from Hugging Face Hub…', action: 'downloadFromHub', alwaysShow: true },
      separator('Other'),
      { label: '$(folder-opened) Browse for a tokenizer file…', action: 'browse', alwaysShow: true },
    ];
  };
  const item = (value: string, label: string, description: string): TokenizerItem => ({
    value,
    label,
    description: marked.has(value) ? `${description} (${options.markedAs ?? 'chosen'})` : description,
  });
  const chosen = new Promise<TokenizerItem | undefined>((resolve) => {
    quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]));
    quickPick.onDidHide(() => resolve(undefined));
  });
  show();
  quickPick.show();

  const cancel = new vscode.CancellationTokenSource();
  const loading = Promise.all([
    client.sendRequest(ListTokenizersRequest).then(({ tokenizers }) => {
      sections.bundled = tokenizers.map((t) => item(t.id, t.id, t.description));
    }),
    findWorkspaceTokenizerFiles(cancel.token).then((files) => {
      sections.workspace = files.map((uri) => {
        const value = tokenizerSettingValue(uri);
        return item(value, `$(file) ${tokenizerLabel(value)}`, `${value} · ${tokenizerFileKind(uri.path)}`);
      });
    }),
    listHubDownloads(options.globalStorage).then((downloads) => {
      sections.hub = downloads.map((d) => item(d.file, `$(cloud) ${d.modelId}`, `downloaded · ${d.commit.slice(0, 7)}`));
    }),
  ].map((part) => part.then(show, (error: Error) => void vscode.window.showWarningMessage(`Embedding Lens: ${error.message}`))));
  void loading.then(() => {
    quickPick.busy = false;
    show();
  });

  const picked = await chosen;
  cancel.cancel();
  cancel.dispose();
  quickPick.dispose();
  if (!picked) return undefined;
  if (picked.action === 'downloadFromHub') return downloadFromHub();
  if (picked.action === 'browse') return browse(options.title);
  return picked.value;
}

/** The Quick Pick for the active tokenizer (`embeddingLens.tokenizer`). */
export function pickTokenizerCommand(client: LanguageClient, globalStorage: vscode.Uri): () => Promise<void> {
  return async () => {
    const active = config.tokenizer;
    const picked = await pickTokenizer(client, { title: 'Embedding Lens: Pick Tokenizer', globalStorage, marked: [active], markedAs: 'active' });
    if (picked !== undefined && picked !== active) await config.setTokenizer(picked);
  };
}

/** Runs the Hub download command, which makes the download the active tokenizer; resolves to it when it changed. */
async function downloadFromHub(): Promise<string | undefined> {
  const before = config.tokenizer;
  await vscode.commands.executeCommand('embeddingLens.downloadHubTokenizer');
  const after = config.tokenizer;
  return after !== before ? after : undefined;
}

async function browse(title: string): Promise<string | undefined> {
  const [file] = (await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: TOKENIZER_FILE_FILTERS, openLabel: 'Use Tokenizer' })) ?? [];
  return file && tokenizerSettingValue(file);
}

function separator(label: string): TokenizerItem {
  return { label, kind: vscode.QuickPickItemKind.Separator };
}

function note(label: string): TokenizerItem {
  return { label, description: '', alwaysShow: false };
}

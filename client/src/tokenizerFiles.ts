import * as path from 'node:path';
import * as vscode from 'vscode';

/** Tokenizer files the server loads, as one workspace glob; trained tokenizers are saved under .embedding-lens/tokenizers. */
const WORKSPACE_TOKENIZER_GLOB = '{**/tokenizer.json,**/*.model,**/*.tiktoken,**/vocab.txt,.embedding-lens/tokenizers/**/*.json}';
const EXCLUDED = '**/node_modules/**';
/** A workspace with more tokenizer files than this lists the first ones; "Browse…" reaches the rest. */
const MAX_WORKSPACE_FILES = 200;

/** Tokenizer files in the workspace, sorted by path. */
export async function findWorkspaceTokenizerFiles(token?: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles(WORKSPACE_TOKENIZER_GLOB, EXCLUDED, MAX_WORKSPACE_FILES, token);
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * The value for a tokenizer setting: relative to the (first) workspace folder, which the server resolves against,
 * so settings stay portable; absolute for files elsewhere.
 */
export function tokenizerSettingValue(uri: vscode.Uri): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (root && root.scheme === uri.scheme) {
    const relative = path.relative(root.fsPath, uri.fsPath);
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).join('/');
  }
  return uri.fsPath;
}

/** What kind of tokenizer a file holds, judged by its name as the server's loader does. */
export function tokenizerFileKind(fileName: string): string {
  const base = path.basename(fileName).toLowerCase();
  if (base.endsWith('.json')) return 'Hugging Face tokenizer.json';
  if (base.endsWith('.tiktoken')) return 'tiktoken rank file';
  if (base.endsWith('.txt')) return 'WordPiece vocabulary';
  return 'SentencePiece model';
}

/** File-dialog filters for tokenizer files. */
export const TOKENIZER_FILE_FILTERS: Record<string, string[]> = { 'Tokenizer files': ['json', 'model', 'tiktoken', 'txt'] };

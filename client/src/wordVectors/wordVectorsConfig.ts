/** Typed, live reads and writes of the `embeddingLens.wordVectors` settings. */
import * as path from 'node:path';
import * as vscode from 'vscode';

const SECTION = 'embeddingLens.wordVectors';

export const wordVectorsConfig = {
  get topn(): number {
    return vscode.workspace.getConfiguration(SECTION).get<number>('topn', 8);
  },
  /** Similar Words and Word Analogy answer from the first N (most frequent) words; 0: all. */
  get restrictVocab(): number {
    const value = vscode.workspace.getConfiguration(SECTION).get<number>('restrictVocab', 0);
    return Number.isInteger(value) && value > 0 ? value : 0;
  },
  /** Records the active vectors for the workspace (user settings when no folder is open), relative when inside the first folder. */
  async setFile(file: vscode.Uri): Promise<string> {
    const value = settingValue(file);
    const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(SECTION).update('file', value, target);
    return value;
  },
};

/**
 * Files in the first workspace folder as paths relative to it (the settings travel with the folder), others absolute:
 * the server takes relative paths from the first folder, so a path relative to another folder of a multi-root
 * workspace would point at the wrong file.
 */
function settingValue(file: vscode.Uri): string {
  const first = vscode.workspace.workspaceFolders?.[0];
  if (!first || first.uri.scheme !== file.scheme) return file.fsPath;
  const relative = path.relative(first.uri.fsPath, file.fsPath);
  const inside = relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
  return inside ? relative.split(path.sep).join('/') : file.fsPath;
}

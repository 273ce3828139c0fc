/** Typed, live reads and writes of the `embeddingLens.wordVectors` settings. */
import * as vscode from 'vscode';

const SECTION = 'embeddingLens.wordVectors';

export const wordVectorsConfig = {
  /** The active vectors file as the setting holds it ('' for none). */
  get file(): string {
    return vscode.workspace.getConfiguration(SECTION).get<string>('file', '');
  },
  get topn(): number {
    return vscode.workspace.getConfiguration(SECTION).get<number>('topn', 8);
  },
  /** Records the active vectors for the workspace (user settings when no folder is open), relative when inside it. */
  async setFile(file: vscode.Uri): Promise<string> {
    const value = settingValue(file);
    const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(SECTION).update('file', value, target);
    return value;
  },
};

/** Workspace files as relative paths (the settings travel with the folder), others absolute. */
function settingValue(file: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(file);
  return folder ? vscode.workspace.asRelativePath(file, false) : file.fsPath;
}

import * as vscode from 'vscode';

/**
 * The paths a "train on the workspace" command trains on: the Explorer items it was invoked on (all selected ones,
 * else the clicked one; file: URIs only), or [] for the whole workspace. Undefined, after a warning naming the
 * command `title`, when there is neither a selection nor an open folder.
 */
export function trainingSources(title: string, clicked?: vscode.Uri, selected?: vscode.Uri[]): string[] | undefined {
  const sources = (selected && selected.length > 0 ? selected : clicked ? [clicked] : []).filter((uri) => uri.scheme === 'file');
  if (sources.length === 0 && !vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showWarningMessage(`${title} needs an open folder (or right-click files and folders in the Explorer).`);
    return undefined;
  }
  return sources.map((uri) => uri.fsPath);
}

import * as vscode from 'vscode';

/** Typed, live reads of the `embeddingLens` settings the client itself uses. */
export const config = {
  get tokenizer(): string {
    return vscode.workspace.getConfiguration('embeddingLens').get<string>('tokenizer', 'cl100k_base');
  },
  async setTokenizer(id: string): Promise<void> {
    const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('embeddingLens').update('tokenizer', id, target);
  },
};

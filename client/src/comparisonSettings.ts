import * as vscode from 'vscode';
import { defaultComparison, unique } from '../../server/src/compare/comparisonDefaults';
import { config } from './config';

const SECTION = 'embeddingLens';
const KEY = 'compare.tokenizers';

/** The tokenizers the compare view shows: the `embeddingLens.compare.tokenizers` setting, or its default. */
export const comparisonSettings = {
  get tokenizers(): string[] {
    const listed = vscode.workspace.getConfiguration(SECTION).get<string[]>(KEY, []).filter((t) => typeof t === 'string' && t.trim() !== '');
    return listed.length > 0 ? unique(listed) : defaultComparison(config.tokenizer);
  },

  /** Adds a tokenizer (the default list becomes explicit first); false when it is already compared. */
  async add(tokenizer: string): Promise<boolean> {
    const current = this.tokenizers;
    if (current.includes(tokenizer)) return false;
    await save([...current, tokenizer]);
    return true;
  },

  async removeAt(index: number): Promise<void> {
    const current = this.tokenizers;
    if (index >= 0 && index < current.length) await save(current.filter((_, i) => i !== index));
  },
};

function save(tokenizers: string[]): Thenable<void> {
  const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  return vscode.workspace.getConfiguration(SECTION).update(KEY, tokenizers, target);
}

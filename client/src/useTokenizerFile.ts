import * as vscode from 'vscode';
import { tokenizerLabel } from '../../server/src/tokenLens/tokenizerRefs';
import { comparisonSettings } from './comparisonSettings';
import { config } from './config';
import { tokenizerSettingValue } from './tokenizerFiles';

/**
 * Explorer context-menu commands on tokenizer files. From the Command Palette (no file given) they act on the
 * file of the active editor.
 */
export function useAsTokenizerCommand(): (file?: vscode.Uri) => Promise<void> {
  return async (file) => {
    const target = file ?? activeFile();
    if (!target) return noFile('Use as Tokenizer');
    const value = tokenizerSettingValue(target);
    await config.setTokenizer(value);
    void vscode.window.showInformationMessage(`Embedding Lens: the active tokenizer is now ${tokenizerLabel(value)} (${value}).`);
  };
}

export function addToComparisonCommand(showComparison: () => void): (file?: vscode.Uri) => Promise<void> {
  return async (file) => {
    const target = file ?? activeFile();
    if (!target) return noFile('Add to Comparison');
    await comparisonSettings.add(tokenizerSettingValue(target));
    showComparison();
  };
}

function activeFile(): vscode.Uri | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri?.scheme === 'file' ? uri : undefined;
}

function noFile(command: string): void {
  void vscode.window.showWarningMessage(`Embedding Lens: ${command} needs a tokenizer file: right-click one in the Explorer.`);
}

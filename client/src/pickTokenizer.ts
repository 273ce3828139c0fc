import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ListTokenizersRequest } from '../../server/src/protocol';
import { config } from './config';

/** Quick Pick of the tokenizers the server knows; the choice becomes the `embeddingLens.tokenizer` setting. */
export function pickTokenizerCommand(client: LanguageClient): () => Promise<void> {
  return async () => {
    const { tokenizers, active } = await client.sendRequest(ListTokenizersRequest);
    const items = tokenizers.map((t) => ({
      label: t.id,
      description: t.id === active ? `${t.description} (active)` : t.description,
      detail: t.family,
    }));
    const picked = await vscode.window.showQuickPick(items, { title: 'Embedding Lens: Pick Tokenizer', placeHolder: `Active: ${active}` });
    if (picked && picked.label !== active) await config.setTokenizer(picked.label);
  };
}

import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SettingsStore } from '../settings';
import type { TokenizerTaskRunner } from './tokenizerTaskRunner';

/** What features that tokenize open documents share: the connection, the documents, settings and the task runner. */
export interface DocumentServices {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  settings: SettingsStore;
  tasks: TokenizerTaskRunner;
}

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  ShutdownRequest,
  WorkDoneProgress,
  type InitializeParams,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import { distDir } from './paths';

export type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

/** A plain LSP client over stdio for dist/server.js: what any editor (not only VS Code) would do. */
export class LspTestClient {
  readonly connection: ProtocolConnection;
  private readonly child: ChildProcess;
  readonly stderr: string[] = [];

  constructor() {
    this.child = spawn(process.execPath, [path.join(distDir, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.listen();
  }

  async initialize(capabilities: InitializeParams['capabilities'] = {}): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  async open(uri: string, text: string, languageId = 'plaintext'): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Every work-done progress value sent for `token`, in order (the array fills as they arrive). */
  collectProgress(token: string, onValue?: (value: ProgressValue) => void): ProgressValue[] {
    const values: ProgressValue[] = [];
    this.connection.onProgress(WorkDoneProgress.type, token, (value) => {
      values.push(value);
      onValue?.(value);
    });
    return values;
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } finally {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      setTimeout(() => this.child.kill(), 2000).unref();
      await exited;
      this.connection.dispose();
    }
  }
}

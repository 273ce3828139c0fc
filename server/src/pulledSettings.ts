/**
 * A settings section pulled from the client with workspace/configuration, read once and kept until invalidated
 * (the server invalidates on didChangeConfiguration); the defaults when the client cannot answer.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection, InitializeParams } from 'vscode-languageserver';

/** A path or file: URI as a client or a setting gave it, made absolute against the workspace folder. */
export function resolveClientPath(file: string, workspaceRoot: string | undefined): string {
  if (file.startsWith('file:')) return fileURLToPath(file);
  return path.resolve(workspaceRoot ?? process.cwd(), file);
}

export abstract class PulledSettings<T> {
  private current: Promise<T> | undefined;
  /** Set from initialize: whether the client answers workspace/configuration. */
  canPull = false;

  constructor(
    private readonly connection: Connection,
    private readonly section: string,
    private readonly defaults: T,
  ) {}

  get(): Promise<T> {
    this.current ??= this.pull();
    return this.current;
  }

  /** Forget what was read; the next get() asks the client again. */
  invalidate(): void {
    this.current = undefined;
  }

  /** The client's raw section (anything: it is user input) as valid settings. */
  protected abstract normalize(raw: unknown): T;

  private async pull(): Promise<T> {
    if (!this.canPull) return this.defaults;
    try {
      return this.normalize(await this.connection.workspace.getConfiguration(this.section));
    } catch {
      return this.defaults;
    }
  }
}

/** The workspace folder's path from initialize (the first folder, or the older rootUri); only file: URIs have one. */
export function workspaceRootOf({ workspaceFolders, rootUri }: Pick<InitializeParams, 'workspaceFolders' | 'rootUri'>): string | undefined {
  const uri = workspaceFolders?.[0]?.uri ?? rootUri;
  return uri?.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

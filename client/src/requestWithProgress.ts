/** A long server request shown as a cancellable progress notification fed by the server's work-done progress. */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { LSPErrorCodes, ResponseError, WorkDoneProgress, type LanguageClient, type RequestType } from 'vscode-languageclient/node';

export type RequestOutcome<R> = { result: R } | { cancelled: true } | { error: string };

/**
 * Sends `type` with a fresh workDoneToken; the notification titled `title` shows the server's messages and
 * percentage, and its Cancel cancels the request.
 */
export function requestWithProgress<P extends { workDoneToken?: number | string }, R>(
  client: LanguageClient,
  type: RequestType<P, R, void>,
  params: P,
  title: string,
): Thenable<RequestOutcome<R>> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, cancel) => {
    const workDoneToken = randomUUID();
    let reported = 0;
    const listening = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
      if (value.kind === 'end') return;
      // The notification's bar only moves forward: increments are what changed since the last report.
      const percentage = Math.max(reported, value.percentage ?? reported);
      progress.report({ message: value.message, increment: percentage - reported });
      reported = percentage;
    });
    try {
      // sendRequest's parameter type is conditional on P, which TypeScript cannot resolve for a generic P.
      const sent: P = { ...params, workDoneToken };
      return { result: await client.sendRequest(type, sent as never, cancel) };
    } catch (error) {
      if (cancel.isCancellationRequested || (error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled)) return { cancelled: true };
      return { error: (error as Error).message };
    } finally {
      listening.dispose();
    }
  });
}

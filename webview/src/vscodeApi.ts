/** The webview side of the host connection, typed by the view's message unions. */
interface VsCodeApi<Outgoing, State> {
  postMessage(message: Outgoing): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<Outgoing, State>(): VsCodeApi<Outgoing, State>;

/** acquireVsCodeApi may be called once per page; views call this once at start. */
export function connectToHost<Outgoing, State>(): VsCodeApi<Outgoing, State> {
  return acquireVsCodeApi<Outgoing, State>();
}

export type { VsCodeApi };

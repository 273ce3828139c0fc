/**
 * Browser entry of the webview bundle (dist/webview.js). The projector and the comparison views will render
 * here; for now no view is opened, and this entry only proves the browser build target.
 */
declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

if (typeof acquireVsCodeApi === 'function') {
  acquireVsCodeApi().postMessage({ type: 'ready' });
}

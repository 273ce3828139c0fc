import * as vscode from 'vscode';
import { escapeHtml, htmlPage, newNonce } from './htmlPage';

/** Webviews load only the bundled script and the stylesheets in media/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')] };
}

/**
 * The page of a webview: dist/webview.js starts the view named in body[data-view], styled by media/<view>.css.
 * The content security policy allows only that script (by a fresh nonce) and our own resources.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, view: string, title: string): string {
  const nonce = newNonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', `${view}.css`));
  return htmlPage({
    csp: [`default-src 'none'`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource} data:`, `script-src 'nonce-${nonce}'`],
    head: `<link rel="stylesheet" href="${style}">`,
    title,
    bodyAttributes: `data-view="${escapeHtml(view)}"`,
    body: `  <script nonce="${nonce}" src="${script}"></script>`,
  });
}

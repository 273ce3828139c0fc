/** The HTML page every webview of the extension shows, and the escaping its text needs (no vscode import). */
import { randomBytes } from 'node:crypto';

export interface HtmlPage {
  /** The Content-Security-Policy's directives (`default-src 'none'` first, as every page denies by default). */
  csp: readonly string[];
  /** What goes in the head after the standard meta elements: stylesheets or a style element. */
  head: string;
  /** Plain text; escaped here. */
  title: string;
  /** Attributes of the body element, already escaped. */
  bodyAttributes?: string;
  body: string;
}

export function htmlPage({ csp, head, title, bodyAttributes, body }: HtmlPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp.join('; ')}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  ${head}
  <title>${escapeHtml(title)}</title>
</head>
<body${bodyAttributes ? ` ${bodyAttributes}` : ''}>
${body}
</body>
</html>`;
}

/** A fresh nonce, so only the page's own script or style element runs. */
export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

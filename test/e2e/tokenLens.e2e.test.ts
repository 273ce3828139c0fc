// End-to-end: the packaged extension in a real VS Code (code-server + Chromium).
// Needs scripts/setup-editor.sh and the packaged .vsix; skips with a reason when either is missing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { CodeServerSession, findEditorInstall, step } from './codeServer';

// Compiled to out/test/e2e/, three levels below the repository root.
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const VSIX = process.env.EMBEDDING_LENS_VSIX ?? path.join(REPO_ROOT, 'embedding-lens-0.1.0.vsix');
const OUTPUT_DIR = path.join(REPO_ROOT, 'test-output', 'e2e', 'token-lens');
const SAMPLE = 'Hello world, this is Embedding Lens.\nSecond line with tokens.\n';
const CL100K_WORLD_ID = '1917'; // " world"
const TOGGLE_TITLE = 'Embedding Lens: Toggle Token Boundaries';

const DOC_COUNT = /([\d,]+) tokens/;
const SELECTION_COUNT = /(\d[\d,]*) \/ (\d[\d,]*) tokens/;
// VS Code names the CSS classes of extension decoration types "ced-<key>-<kind>", both for
// background overlays (.view-overlays) and inline styles (.view-lines).
const DECORATION = '.part.editor .monaco-editor [class*="ced-"]';

function skipReason(): string | undefined {
  const install = findEditorInstall(REPO_ROOT);
  if (typeof install === 'string') return install;
  if (!fs.existsSync(VSIX)) return `${VSIX} not found; package it with npx @vscode/vsce package`;
  return undefined;
}

const toNumber = (digits: string) => Number(digits.replace(/,/g, ''));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function withSession(run: (session: CodeServerSession) => Promise<void>): Promise<void> {
  const install = findEditorInstall(REPO_ROOT);
  if (typeof install === 'string') throw new Error(install);
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'embedding-lens-ws-'));
  fs.writeFileSync(path.join(workspace, 'sample.txt'), SAMPLE);
  try {
    const session = await CodeServerSession.start({
      install,
      vsix: VSIX,
      workspace,
      outputDir: OUTPUT_DIR,
      settings: { 'embeddingLens.tokenizer': 'cl100k_base', 'editor.hover.delay': 150 },
    });
    try {
      await run(session);
    } finally {
      await session.stop();
    }
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

async function decorationCount(session: CodeServerSession): Promise<number> {
  return session.page.locator(DECORATION).count();
}

/** Polls the decoration count until `accept` holds or 15 s pass; returns the last count. */
async function waitForDecorations(session: CodeServerSession, accept: (count: number) => boolean): Promise<number> {
  const deadline = Date.now() + 15_000;
  let count = await decorationCount(session);
  while (!accept(count) && Date.now() < deadline) {
    await sleep(200);
    count = await decorationCount(session);
  }
  return count;
}

test('Embedding Lens in a real editor: status bar, hover, token boundaries', {
  skip: skipReason(),
  timeout: 180_000,
}, async (t) => {
  fs.rmSync(OUTPUT_DIR, { recursive: true, force: true });
  await withSession(async (session) => {
    await session.openFile('sample.txt');

    // First, because the item appearing also shows the extension has activated.
    await step(t, session, 'status bar shows the document token count', async () => {
      const text = await session.statusBarText(DOC_COUNT, 60_000);
      await session.screenshot('statusbar.png');
      assert.ok(toNumber(text.match(DOC_COUNT)![1]) > 0, `status bar: "${text}"`);
    });

    await step(t, session, 'hover over "world" lists its cl100k token', async () => {
      const hover = await session.hoverAt({ text: 'world', until: /Embedding Lens/ });
      await session.screenshot('hover.png');
      for (const expected of ['Embedding Lens', 'cl100k_base', 'tokens', CL100K_WORLD_ID]) {
        assert.ok(hover.includes(expected), `hover lacks "${expected}":\n${hover}`);
      }
    });

    await step(t, session, 'status bar shows the selection count', async () => {
      await session.page.mouse.move(0, 0); // Away from the text, so the hover closes.
      await session.page.keyboard.press('Escape');
      await session.page.keyboard.press('Control+Home');
      await session.page.keyboard.press('Shift+End');
      const text = await session.statusBarText(SELECTION_COUNT);
      await session.screenshot('statusbar-selection.png');
      const [, selected, total] = text.match(SELECTION_COUNT)!;
      assert.ok(toNumber(selected) > 0 && toNumber(selected) < toNumber(total), `status bar: "${text}"`);
    });

    await step(t, session, 'toggling token boundaries adds and removes decorations', async (sub) => {
      await session.page.keyboard.press('Control+Home'); // No selection hiding the colours in the screenshot.
      const before = await decorationCount(session);
      await session.runCommand(TOGGLE_TITLE);
      const shown = await waitForDecorations(session, (count) => count > before);
      await session.screenshot('highlight.png');
      assert.ok(shown > before, `decorations: ${before} before toggling, ${shown} after`);
      await session.runCommand(TOGGLE_TITLE);
      const hidden = await waitForDecorations(session, (count) => count <= before);
      sub.diagnostic(`decorated elements: ${before} before, ${shown} on, ${hidden} off`);
      assert.ok(hidden <= before, `decorations: ${before} at first, ${hidden} after toggling off`);
    });
  });
});

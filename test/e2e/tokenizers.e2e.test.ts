// End-to-end: tokenizers of every family in a real VS Code (code-server + Chromium): picking a workspace
// tokenizer.json, the multi-tokenizer hover, chunk-limit warnings, the compare view and a Hub download from a
// local fake Hub. Needs scripts/setup-editor.sh, the packaged .vsix and ../shared (real tokenizer files).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { FakeHub, repoFromDirectory } from '../support/hubServer';
import { sharedDir, skipWithoutShared } from '../support/paths';
import { CodeServerSession, findEditorInstall, step } from './codeServer';

// Compiled to out/test/e2e/, three levels below the repository root.
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const VSIX = process.env.EMBEDDING_LENS_VSIX ?? path.join(REPO_ROOT, 'embedding-lens-0.1.0.vsix');
const OUTPUT_DIR = path.join(REPO_ROOT, 'test-output', 'e2e', 'tokenizers');

const BERT = 'models/bert-base-uncased/tokenizer.json';
const BERT_VOCAB = 'models/bert-base-cased/vocab.txt'; // a WordPiece vocabulary alone: another family, added from the Explorer
const BERT_WORLD_ID = '2088'; // "world" in bert-base-uncased (and all-MiniLM-L6-v2, which shares its vocabulary)
const HUB_MODEL = 'sentence-transformers/all-MiniLM-L6-v2';
const CHUNK_LIMIT = 40;
const NOTES = [
  '# Embedding Lens notes',
  '',
  'Hello world, this is Embedding Lens. An emoji 😀 is unknown to BERT.',
  '',
  'Retrieval-augmented generation splits documents into chunks, embeds every chunk with a sentence-embedding',
  'model and stores the vectors; a question is embedded the same way, and the nearest chunks go to the language',
  'model. Each embedding model reads a limited number of tokens, so a paragraph longer than that limit silently',
  'loses its end.',
  '',
  '## Short section',
  '',
  'Short paragraphs fit.',
  '',
].join('\n');
const HELLO_LINE = 3;
const CHUNK_WARNING = /Paragraph has (\d+) tokens \(bert-base-uncased\); the limit is 40, so (\d+) tokens will be cut when embedded\./;

function skipReason(): string | undefined {
  if (skipWithoutShared) return skipWithoutShared;
  const install = findEditorInstall(REPO_ROOT);
  if (typeof install === 'string') return install;
  if (!fs.existsSync(VSIX)) return `${VSIX} not found; package it with npm run package`;
  return undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function writeWorkspaceSettings(workspace: string, settings: Record<string, unknown>): void {
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
}

/** The workspace settings as VS Code keeps them (commands that change settings write them here). */
function workspaceSettings(workspace: string): Record<string, unknown> {
  try {
    return JSON.parse(fs.readFileSync(path.join(workspace, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

async function waitForSetting(workspace: string, key: string, accept: (value: unknown) => boolean): Promise<unknown> {
  const deadline = Date.now() + 15_000;
  let value = workspaceSettings(workspace)[key];
  while (!accept(value) && Date.now() < deadline) {
    await sleep(200);
    value = workspaceSettings(workspace)[key];
  }
  return value;
}

/** Hovers again until the hover shows `expected` (a settings change takes a moment to reach the server). */
async function hoverUntil(session: CodeServerSession, text: string, line: number, expected: RegExp): Promise<string> {
  let hover = '';
  for (let attempt = 0; attempt < 10 && !expected.test(hover); attempt++) {
    hover = await session.hoverAt({ text, line, until: expected, timeoutMs: 3_000 }).catch((error: Error) => error.message);
  }
  return hover;
}

test('tokenizers in a real editor: picker, multi-tokenizer hover, chunk limits, compare view, Hub download', {
  skip: skipReason(),
  timeout: 300_000,
}, async (t) => {
  fs.rmSync(OUTPUT_DIR, { recursive: true, force: true });
  const install = findEditorInstall(REPO_ROOT);
  if (typeof install === 'string') throw new Error(install);
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'embedding-lens-tokenizers-'));
  fs.writeFileSync(path.join(workspace, 'notes.md'), NOTES);
  fs.mkdirSync(path.join(workspace, path.dirname(BERT)), { recursive: true });
  fs.copyFileSync(path.join(sharedDir!, 'tokenizers', 'bert-base-uncased', 'tokenizer.json'), path.join(workspace, BERT));
  fs.mkdirSync(path.join(workspace, path.dirname(BERT_VOCAB)), { recursive: true });
  fs.copyFileSync(path.join(sharedDir!, 'tokenizers', 'bert-base-cased', 'vocab.txt'), path.join(workspace, BERT_VOCAB));
  const hub = await FakeHub.start([repoFromDirectory(HUB_MODEL, path.join(sharedDir!, 'tokenizers', 'all-minilm-l6-v2'), { largeFiles: ['tokenizer.json'] })]);
  // Workspace settings: code-server is a remote window, where user settings cannot set the machine-overridable endpoint.
  writeWorkspaceSettings(workspace, {
    'embeddingLens.tokenizer': 'cl100k_base',
    'embeddingLens.hub.endpoint': hub.endpoint,
    'embeddingLens.chunkLimit.tokenizer': BERT,
    'embeddingLens.chunkLimit.maxTokens': CHUNK_LIMIT,
  });
  const session = await CodeServerSession.start({
    install,
    vsix: VSIX,
    workspace,
    outputDir: OUTPUT_DIR,
    settings: { 'editor.hover.delay': 150, 'workbench.editor.enablePreview': false },
  });
  try {
    await session.openFile('notes.md');
    await session.statusBarText(/[\d,]+ tokens/, 60_000); // the extension is up

    await step(t, session, 'the picker lists workspace tokenizer files and picks one', async () => {
      await session.runCommand('Embedding Lens: Pick Tokenizer');
      const rows = await session.quickPickRows(/bert-base-uncased/);
      await session.screenshot('picker.png');
      for (const expected of ['(active) Bundled', 'Workspace files', BERT, 'Hugging Face Hub', 'Download from Hugging Face Hub']) {
        assert.ok(rows.some((row) => row.includes(expected)), `the picker lacks "${expected}": ${JSON.stringify(rows)}`);
      }
      await session.chooseQuickPickItem('bert', BERT);
      assert.equal(await waitForSetting(workspace, 'embeddingLens.tokenizer', (v) => v === BERT), BERT);
      const hover = await hoverUntil(session, 'world', HELLO_LINE, /bert-base-uncased/);
      assert.match(hover, /bert-base-uncased · \d+ tokens in line 3/);
      assert.ok(hover.includes(BERT_WORLD_ID), `hover lacks the bert id of "world":\n${hover}`);
    });

    await step(t, session, 'the hover shows several tokenizers side by side', async () => {
      await session.page.mouse.move(0, 0);
      const tokenizers = ['cl100k_base', BERT, 'o200k_base'];
      writeWorkspaceSettings(workspace, { ...workspaceSettings(workspace), 'embeddingLens.hover.tokenizers': tokenizers });
      const hover = await hoverUntil(session, 'world', HELLO_LINE, /o200k_base/);
      await session.screenshot('hover-multi.png');
      for (const expected of [/cl100k_base · \d+ tokens/, /bert-base-uncased · \d+ tokens/, /o200k_base · \d+ tokens/]) {
        assert.match(hover, expected);
      }
      assert.ok(hover.indexOf('cl100k_base') < hover.indexOf('bert-base-uncased'), 'sections in the order of the setting');
    });

    await step(t, session, 'a paragraph over the chunk limit is a warning in the Problems panel', async () => {
      await session.page.mouse.move(0, 0);
      await session.page.keyboard.press('Escape');
      await session.page.keyboard.press('Control+B'); // no side bar: room for the whole message
      const rows = await session.problems(CHUNK_WARNING);
      await session.screenshot('chunk-limit.png');
      const warnings = rows.filter((row) => CHUNK_WARNING.test(row));
      assert.equal(warnings.length, 1, `one paragraph is too long: ${JSON.stringify(rows)}`);
      const [, count, cut] = warnings[0].match(CHUNK_WARNING)!;
      assert.equal(Number(count) - CHUNK_LIMIT, Number(cut));
      await session.page.keyboard.press('Control+Shift+M'); // close the panel again
    });

    await step(t, session, 'the compare view shows each tokenizer split, counts and rates', async () => {
      await session.page.keyboard.press('Control+Home');
      await session.runCommand('Embedding Lens: Compare Tokenizers');
      const rows = session.webview().locator('table.stats tbody tr');
      await rows.nth(2).waitFor({ timeout: 30_000 });
      await session.page.keyboard.press('Control+B');
      const menu = await session.explorerContextMenu(BERT_VOCAB.split('/'), 'Embedding Lens: Add to Comparison');
      assert.ok(menu.includes('Embedding Lens: Use as Tokenizer'), `the Explorer menu offers: ${JSON.stringify(menu)}`);
      await rows.nth(3).waitFor({ timeout: 30_000 });
      await session.page.keyboard.press('Control+B');
      await session.webview().locator('.split .token').first().waitFor();
      await session.screenshot('compare.png');
      const texts = (await rows.allInnerTexts()).map((row) => row.replace(/\s+/g, ' ').trim());
      assert.deepEqual(texts.map((row) => row.split(' ')[0]), ['bert-base-uncased', 'cl100k_base', 'o200k_base', 'bert-base-cased'], JSON.stringify(texts));
      assert.deepEqual(await waitForSetting(workspace, 'embeddingLens.compare.tokenizers', Array.isArray), [BERT, 'cl100k_base', 'o200k_base', BERT_VOCAB]);
      for (const row of texts) assert.match(row, /^\S+ [\d,]+ \d+\.\d\d \d+\.\d\d (\d+\.\d+%|–) ×$/, `row: ${row}`);
      assert.match(texts[0], / [1-9]\d*\.\d+%|0\.\d*[1-9]\d*%/, `bert-base-uncased has an unknown token (the emoji): ${texts[0]}`);
      const unknown = session.webview().locator('.split .token.unknown');
      assert.equal(await unknown.count(), 2, 'the emoji is [UNK] for both BERT tokenizers');
    });

    await step(t, session, 'a Hub download shows progress, resumes after Cancel and becomes the active tokenizer', async () => {
      hub.failNext('tokenizer.json', { kind: 'stall', afterBytes: 300_000 });
      await session.runCommand('Embedding Lens: Pick Tokenizer');
      await session.chooseQuickPickItem('Hugging Face', 'Download from Hugging Face Hub');
      await session.answerInputBox(HUB_MODEL);
      await session.notificationText(/Downloading the sentence-transformers\/all-MiniLM-L6-v2 tokenizer.*0\.3 of 0\.7 MB/);
      await session.screenshot('hub-progress.png');
      await session.page.locator('.notifications-toasts .notification-toast', { hasText: 'Downloading' }).getByRole('button', { name: 'Cancel' }).click();

      // Again from the compare view's "Add tokenizer…": the download also joins the comparison.
      await session.webview().locator('button', { hasText: 'Add tokenizer' }).click();
      await session.chooseQuickPickItem('Hugging Face', 'Download from Hugging Face Hub');
      await session.answerInputBox(HUB_MODEL);
      await session.notificationText(/tokenizer set to sentence-transformers\/all-MiniLM-L6-v2/);
      const active = await waitForSetting(workspace, 'embeddingLens.tokenizer', (v) => typeof v === 'string' && v.includes('models--sentence-transformers--all-MiniLM-L6-v2'));
      assert.match(String(active), /snapshots[\\/][0-9a-f]{40}[\\/]tokenizer\.json$/);
      const resumed = hub.byteRequests('tokenizer.json').filter((r) => r.range !== undefined);
      assert.ok(resumed.some((r) => /^bytes=[1-9]\d*-$/.test(r.range!)), `the second download resumed: ${JSON.stringify(hub.byteRequests('tokenizer.json'))}`);
      const rows = session.webview().locator('table.stats tbody tr');
      await rows.filter({ hasText: HUB_MODEL.slice(0, 12) }).waitFor({ timeout: 30_000 });
      await session.page.mouse.move(300, 700); // no tooltip from where the button was
      const progress = session.page.locator('.notifications-toasts .notification-toast', { hasText: 'Downloading' });
      await progress.waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined); // progress toasts linger a moment
      await session.screenshot('hub-download.png');

      await session.runCommand('Embedding Lens: Pick Tokenizer');
      const picker = await session.quickPickRows(new RegExp(HUB_MODEL));
      assert.ok(picker.some((row) => row.includes(HUB_MODEL) && row.includes('downloaded')), `the picker lists the download: ${JSON.stringify(picker)}`);
      await session.page.keyboard.press('Escape');
    });
  } finally {
    await session.stop();
    await hub.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});

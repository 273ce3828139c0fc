// End-to-end: word vectors in a real VS Code (code-server + Chromium): train word2vec on a small generated workspace
// with the progress notification, the neighbours in the hover, Similar Words / Word Analogy / Doesn't Match and
// Evaluate Word Vectors in the results panel, and Load Word Vectors… through the file dialog. Needs
// scripts/setup-editor.sh and the packaged .vsix; skips with the reason when either is missing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { mulberry32, pick } from '../support/random';
import { CodeServerSession, findEditorInstall, step } from './codeServer';

// Compiled to out/test/e2e/, three levels below the repository root.
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const VSIX = process.env.EMBEDDING_LENS_VSIX ?? path.join(REPO_ROOT, 'embedding-lens-0.1.0.vsix');
const OUTPUT_DIR = path.join(REPO_ROOT, 'test-output', 'e2e', 'word-vectors');
const TRAINED = '.embedding-lens/vectors/word2vec-skipgram-100.vec';

const NOTES = ['# Word vectors', '', 'The king and the queen ate an apple in the garden.', ''].join('\n');
const NOTES_LINE = 3;

// Words of a kind share the sentences they appear in, so even a small corpus puts them near each other.
const KINDS: Record<string, { words: string[]; templates: string[] }> = {
  royal: { words: ['king', 'queen', 'prince', 'princess'], templates: ['the {} ruled the kingdom with wisdom', 'the {} wore a golden crown at court', 'the people bowed before the {} in the palace'] },
  fruit: { words: ['apple', 'banana', 'cherry', 'grape'], templates: ['she ate a ripe {} for breakfast', 'the {} was sweet and juicy', 'he picked a fresh {} from the market'] },
  vehicle: { words: ['car', 'truck', 'bus', 'bicycle'], templates: ['he drove the {} down the road', 'the {} stopped at the red light', 'they parked the {} near the station'] },
  animal: { words: ['cat', 'dog', 'horse', 'cow'], templates: ['the {} slept in the barn', 'a hungry {} ran across the field', 'the farmer fed the {} every morning'] },
};

function corpusText(lines: number, seed: number): string {
  const random = mulberry32(seed);
  const kinds = Object.values(KINDS);
  return Array.from({ length: lines }, () => {
    const kind = pick(random, kinds);
    return pick(random, kind.templates).replace('{}', pick(random, kind.words));
  }).join('\n');
}

const TOY_VECTORS = ['4 3', 'sun 1.000 0.100 0.000', 'moon 0.900 0.200 0.000', 'star 0.800 0.300 0.100', 'rock 0.000 0.100 1.000', ''].join('\n');

function skipReason(): string | undefined {
  const install = findEditorInstall(REPO_ROOT);
  if (typeof install === 'string') return install;
  if (!fs.existsSync(VSIX)) return `${VSIX} not found; package it with npm run package`;
  return undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function workspaceSetting(workspace: string, key: string): unknown {
  try {
    return (JSON.parse(fs.readFileSync(path.join(workspace, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

async function waitForSetting(workspace: string, key: string, expected: string): Promise<unknown> {
  const deadline = Date.now() + 15_000;
  while (workspaceSetting(workspace, key) !== expected && Date.now() < deadline) await sleep(200);
  return workspaceSetting(workspace, key);
}

/** Answers the editor's own (simple) file dialog with a full path. */
async function answerFileDialog(session: CodeServerSession, file: string): Promise<void> {
  const widget = session.page.locator('.quick-input-widget');
  const input = widget.locator('input').first();
  await widget.waitFor({ state: 'visible', timeout: 30_000 });
  // The dialog fills in its starting folder a moment after it opens; a path typed before that gets mixed into it.
  for (let tries = 0; tries < 100 && !(await input.inputValue().catch(() => '')).startsWith('/'); tries++) await sleep(100);
  await input.fill(file);
  await sleep(500); // the dialog checks the path (and may complete it) before it accepts it
  if ((await input.inputValue()) !== file) await input.fill(file);
  await sleep(200);
  await session.page.keyboard.press('Enter');
  // The dialog is done when the widget closes, or when the command's next question replaces it.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (!(await widget.isVisible()) || (await input.inputValue().catch(() => '')) !== file) return;
    await sleep(200);
  }
  throw new Error(`the file dialog did not accept ${file}`);
}

/** Replaces what the open input box holds (commands start from the word at the cursor) and accepts it. */
async function replaceInputBox(session: CodeServerSession, text: string): Promise<void> {
  await session.page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: 30_000 });
  await session.page.keyboard.press('Control+A');
  await session.answerInputBox(text);
}

/** Hovers until the hover shows `expected` (vectors becoming active takes a moment to reach the server). */
async function hoverUntil(session: CodeServerSession, text: string, expected: RegExp): Promise<string> {
  let hover = '';
  for (let attempt = 0; attempt < 10 && !expected.test(hover); attempt++) {
    hover = await session.hoverAt({ text, line: NOTES_LINE, until: expected, timeoutMs: 3_000 }).catch((error: Error) => error.message);
  }
  return hover;
}

/** The rows of the newest result in the Word Vectors panel, whitespace collapsed. */
async function newestResult(session: CodeServerSession, title: RegExp): Promise<{ title: string; rows: string[] }> {
  const section = session.webview().locator('section.result').first();
  const heading = section.locator('h2');
  const deadline = Date.now() + 30_000;
  let text = '';
  while (Date.now() < deadline) {
    text = (await heading.innerText({ timeout: 30_000 }).catch(() => '')).replace(/\s+/g, ' ').trim();
    if (title.test(text)) break;
    await sleep(200);
  }
  const rows = (await section.locator('tbody tr').allInnerTexts()).map((row) => row.replace(/\s+/g, ' ').trim());
  return { title: text, rows };
}

test('word vectors in a real editor: train, hover, similar / analogy / doesn’t match, evaluate, load', { skip: skipReason(), timeout: 240_000 }, async (t) => {
  fs.rmSync(OUTPUT_DIR, { recursive: true, force: true });
  const install = findEditorInstall(REPO_ROOT);
  if (typeof install === 'string') throw new Error(install);
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'embedding-lens-word-vectors-'));
  fs.writeFileSync(path.join(workspace, 'notes.md'), NOTES);
  fs.mkdirSync(path.join(workspace, 'corpus'));
  fs.writeFileSync(path.join(workspace, 'corpus', 'stories.txt'), corpusText(4000, 7));
  // Kept out of the training text: the walker skips hidden folders.
  const extra = path.join(workspace, '.data');
  fs.mkdirSync(extra);
  fs.writeFileSync(path.join(extra, 'toy.vec'), TOY_VECTORS);
  const analogies = path.join(extra, 'questions.txt');
  fs.writeFileSync(analogies, [': royalty-fruit', 'king queen apple banana', 'prince princess cherry grape', ': vehicles-animals', 'car truck cat dog', 'bus bicycle horse cow'].join('\n'));
  const weatFile = path.join(extra, 'weat.json');
  fs.writeFileSync(weatFile, JSON.stringify({ title: 'fruit vs vehicles', targetX: ['apple', 'banana'], targetY: ['car', 'truck'], attributeA: ['cherry', 'grape'], attributeB: ['bus', 'bicycle'] }));
  const pairs = path.join(extra, 'pairs.txt');
  fs.writeFileSync(pairs, ['king\tqueen\t9', 'apple\tbanana\t8.5', 'car\ttruck\t8', 'king\tapple\t1', 'dog\tbus\t1.5', 'cat\tdog\t8', 'unicorn\tcar\t2'].join('\n'));

  const session = await CodeServerSession.start({
    install,
    vsix: VSIX,
    workspace,
    outputDir: OUTPUT_DIR,
    settings: { 'editor.hover.delay': 150, 'workbench.editor.enablePreview': false, 'embeddingLens.tokenizer': 'cl100k_base' },
  });
  try {
    await session.openFile('notes.md');
    await session.statusBarText(/[\d,]+ tokens/, 60_000); // the extension is up

    await step(t, session, 'train word2vec on the workspace with progress; the result becomes active', async (sub) => {
      await session.runCommand('Embedding Lens: Train Word Vectors on Workspace');
      await session.chooseQuickPickItem('skip-gram', 'word2vec skip-gram');
      const rows = await session.quickPickRows(/Min count: 5/);
      assert.ok(rows.some((row) => /Min count: 5\s*rarer words are dropped; lower it to 2 or 1 for a small workspace/.test(row)), `the parameters explain the min count: ${JSON.stringify(rows)}`);
      assert.ok(rows.some((row) => /Loss: negative sampling/.test(row)) && rows.some((row) => /Sub-sampling: 0\.001/.test(row)), `word2vec offers the loss and sub-sampling: ${JSON.stringify(rows)}`);
      await session.chooseQuickPickItem('Epochs', 'Epochs: 5');
      // Enough work (about 14M words) for a few progress reports on a fast machine.
      await session.answerInputBox('500');
      await session.chooseQuickPickItem('Train', 'epochs 500');
      await session.notificationText(/Training word2vec skip-gram vectors.*epoch \d+\/500 · [\d,]+ words\/s · lr 0\.\d+ · loss \d/, 60_000);
      await session.screenshot('vectors-train-progress.png');
      const done = await session.notificationText(/trained \d+ word vectors \(100 dimensions\)/, 120_000);
      sub.diagnostic(done);
      assert.match(done, /saved word2vec-skipgram-100\.vec, now active/);
      assert.equal(await waitForSetting(workspace, 'embeddingLens.wordVectors.file', TRAINED), TRAINED);
      assert.ok(fs.existsSync(path.join(workspace, TRAINED)));
    });

    await step(t, session, 'the hover shows the word’s nearest neighbours', async () => {
      const hover = await hoverUntil(session, 'king', /nearest to king/);
      await session.screenshot('vectors-hover.png');
      assert.match(hover, /cl100k_base · \d+ tokens in line 3/, 'the token section stays');
      assert.match(hover, /Word vectors · word2vec-skipgram-100\.vec · nearest to king/);
      const similarities = hover.match(/\b0\.\d{3}\b|\b1\.000\b/g) ?? [];
      assert.equal(similarities.length, 8, `eight neighbours with similarities:\n${hover}`);
      await session.page.mouse.move(0, 0);
    });

    await step(t, session, 'similar words, analogy and doesn’t match in the results panel', async () => {
      await session.runCommand("Embedding Lens: Doesn't Match");
      await replaceInputBox(session, 'apple banana cherry truck');
      const odd = await newestResult(session, /Doesn't match/);
      assert.match(odd.title, /apple, banana, cherry, truck/);

      await session.runCommand('Embedding Lens: Word Analogy');
      await session.chooseQuickPickItem('3CosMul');
      await replaceInputBox(session, 'king queen prince');
      const analogy = await newestResult(session, /Analogy: king is to queen as prince is to \?/);
      assert.equal(analogy.rows.length, 8, JSON.stringify(analogy.rows));
      assert.match((await session.webview().locator('section.result').first().innerText()).replace(/\s+/g, ' '), /3CosMul: highest cos\(d, queen\) · cos\(d, prince\) \/ cos\(d, king\)/);

      await session.runCommand('Embedding Lens: Similar Words');
      await replaceInputBox(session, 'apple');
      const similar = await newestResult(session, /Similar words: apple/);
      await session.screenshot('vectors-queries.png');
      assert.equal(similar.rows.length, 8, JSON.stringify(similar.rows));
      for (const row of similar.rows) assert.match(row, /^\d+ \S+ -?\d\.\d{3}$/, `row: ${row}`);
      const top3 = similar.rows.slice(0, 3).map((row) => row.split(' ')[1]);
      assert.ok(top3.some((word) => KINDS.fruit.words.includes(word)), `a fruit is among apple's three nearest: ${JSON.stringify(similar.rows)}`);
      assert.match((await session.webview().locator('section.result').nth(2).innerText()).replace(/\s+/g, ' '), /The odd one out: truck/);
    });

    await step(t, session, 'evaluate on an analogy file, a word-pair file and WEAT word sets of our own', async () => {
      await session.runCommand('Embedding Lens: Evaluate Word Vectors');
      await session.chooseQuickPickItem('Choose', 'Choose a file…');
      await answerFileDialog(session, analogies);
      await session.chooseQuickPickItem('Choose', 'Choose files…');
      await answerFileDialog(session, pairs);
      // A multi-pick list: clicking ticks the row, Enter accepts the ticked ones.
      await session.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Your own word sets' }).first().click({ timeout: 30_000 });
      await session.page.keyboard.press('Enter');
      await answerFileDialog(session, weatFile);
      const evaluation = await newestResult(session, /Evaluation/);
      await session.screenshot('vectors-evaluate.png');
      const sections = evaluation.rows.map((row) => row.split(' ')[0]);
      assert.deepEqual(sections.slice(0, 3), ['royalty-fruit', 'vehicles-animals', 'Total'], JSON.stringify(evaluation.rows));
      assert.match(evaluation.rows[2], /^Total accuracy \d \d \d+\.\d%$|^Total\S* \d \d \d+\.\d%$/, evaluation.rows[2]);
      const pairRow = evaluation.rows.find((row) => row.includes('pairs.txt'));
      assert.ok(pairRow, JSON.stringify(evaluation.rows));
      assert.match(pairRow!, /pairs\.txt -?\d\.\d{4} \S+ -?\d\.\d{4} \S+ 6 1 14\.3%$/, 'correlations with p-values, pairs, skipped, out of vocabulary');
      const weatRow = evaluation.rows.find((row) => row.startsWith('fruit vs vehicles'));
      assert.match(weatRow ?? '', /^fruit vs vehicles \S*weat\.json (\d\.\d{3}) \S+ \(all 6\) –$/, JSON.stringify(evaluation.rows));
      assert.ok(Number(/weat\.json (\S+)/.exec(weatRow!)![1]) > 0.5, `fruit sits with fruit: ${weatRow}`);
    });

    await step(t, session, 'load a vectors file through the dialog; it becomes active', async () => {
      await session.runCommand('Embedding Lens: Load Word Vectors');
      await answerFileDialog(session, path.join(extra, 'toy.vec'));
      await session.notificationText(/word vectors toy\.vec loaded and active \(4 words × 3 dimensions, word2vec-text\)/);
      assert.equal(await waitForSetting(workspace, 'embeddingLens.wordVectors.file', '.data/toy.vec'), '.data/toy.vec');
      await session.runCommand('Embedding Lens: Similar Words');
      await replaceInputBox(session, 'sun');
      const similar = await newestResult(session, /Similar words: sun/);
      await session.screenshot('vectors-load.png');
      assert.deepEqual(similar.rows.map((row) => row.split(' ')[1]), ['moon', 'star', 'rock']);
    });
  } finally {
    await session.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});

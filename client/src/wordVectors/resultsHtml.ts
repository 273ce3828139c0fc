/**
 * The "Word Vectors" results page: each result as a small table, newest first. Plain HTML built here (no script
 * runs in the page), every text escaped; styled with the editor theme's colours.
 */
import type { EvaluateWordVectorsResult, WeatScores, WordNeighbour, WordVectorQueryResult, WordVectorsInfo } from '../../../server/src/protocol';
import { escapeHtml, htmlPage } from '../htmlPage';

export type WordVectorsReport =
  | { kind: 'query'; vectors: string; result: WordVectorQueryResult }
  | { kind: 'evaluation'; result: EvaluateWordVectorsResult }
  | { kind: 'error'; title: string; message: string };

/** Longer lists of invalid lines and missing words are cut here. */
const MAX_LISTED = 20;

/** A note listing the lines of a file (as shown) that were left out (empty when there are none); `expected` is HTML. */
function invalidLinesNote(shownFile: string, invalidLines: readonly number[], expected: string): string {
  if (invalidLines.length === 0) return '';
  const lines = invalidLines.slice(0, MAX_LISTED).join(', ') + (invalidLines.length > MAX_LISTED ? ', …' : '');
  const plural = invalidLines.length === 1 ? '' : 's';
  return `<p class="note">${escapeHtml(shownFile)}: ${count(invalidLines.length)} line${plural} not ${expected}, left out: ${lines}.</p>`;
}

/** How a file path is shown (workspace-relative in the editor). */
type DisplayPath = (file: string) => string;

export function resultsHtml(
  reports: readonly WordVectorsReport[],
  active: WordVectorsInfo | undefined,
  csp: { nonce: string; cspSource: string },
  displayPath: DisplayPath = (file) => file,
): string {
  const policy = [`default-src 'none'`, `style-src 'nonce-${csp.nonce}'`, `font-src ${csp.cspSource}`];
  const header = active
    ? `<p class="active">Active vectors: <code>${escapeHtml(displayPath(active.path))}</code> · ${count(active.words)} words × ${active.dim} dimensions · ${escapeHtml(active.format)}${active.subwords ? ' · subwords' : ''}</p>`
    : '<p class="active">No word vectors are active: train or load some.</p>';
  const body = reports.length === 0 ? '<p class="empty">Results of Similar Words, Word Analogy, Doesn\'t Match and Evaluate Word Vectors appear here.</p>' : reports.map((report) => reportHtml(report, displayPath)).join('\n');
  return htmlPage({ csp: policy, head: `<style nonce="${csp.nonce}">${STYLE}</style>`, title: 'Word Vectors', body: `${header}\n${body}` });
}

function reportHtml(report: WordVectorsReport, displayPath: DisplayPath): string {
  switch (report.kind) {
    case 'query':
      return queryHtml(report.result, displayPath(report.vectors));
    case 'evaluation':
      return evaluationHtml(report.result, displayPath);
    case 'error':
      return `<section class="result error"><h2>${escapeHtml(report.title)}</h2><p>${escapeHtml(report.message)}</p></section>`;
  }
}

function queryHtml(result: WordVectorQueryResult, vectors: string): string {
  const source = `<p class="source">${escapeHtml(vectors)}</p>`;
  switch (result.kind) {
    case 'similar': {
      const { positive, negative = [] } = result.query;
      const terms = [...positive.map((w) => word(w)), ...negative.map((w) => `− ${word(w)}`)].join(' + ').replace(/\+ −/g, '−');
      return section('similar', `Similar words: ${terms}`, source + neighboursTable(result.neighbours));
    }
    case 'analogy': {
      const { a, b, c, method = 'add' } = result.query;
      const title = `Analogy: ${word(a)} is to ${word(b)} as ${word(c)} is to <em>?</em>`;
      const scoring = method === 'mul' ? `3CosMul: highest cos(d, ${word(b)}) · cos(d, ${word(c)}) / cos(d, ${word(a)})` : `3CosAdd: nearest to ${word(b)} − ${word(a)} + ${word(c)}`;
      const how = `<p class="source">${escapeHtml(vectors)} · ${scoring}</p>`;
      return section('analogy', title, how + neighboursTable(result.neighbours));
    }
    case 'doesntMatch': {
      const title = `Doesn't match: ${result.query.words.map((w) => word(w)).join(', ')}`;
      const answer = `<p class="answer">The odd one out: ${word(result.odd)}</p>`;
      const rows = result.similarities.map((n) => `<tr${n.word === result.odd ? ' class="odd"' : ''}><td>${word(n.word)}</td><td class="num">${n.similarity.toFixed(3)}</td></tr>`);
      return section('doesnt-match', title, source + answer + table(['word', 'similarity to the mean'], rows));
    }
  }
}

function evaluationHtml(result: EvaluateWordVectorsResult, displayPath: DisplayPath): string {
  const parts = [`<p class="source">${escapeHtml(displayPath(result.vectors))}</p>`];
  if (result.analogies) {
    const { file, sections, total, skipped, oovRatio } = result.analogies;
    const rows = [...sections, total].map(
      (s) => `<tr${s === total ? ' class="total"' : ''}><td>${escapeHtml(s.section)}</td><td class="num">${count(s.correct)}</td><td class="num">${count(s.total)}</td><td class="num">${percent(s.accuracy)}</td></tr>`,
    );
    parts.push(`<h3>Analogies · ${escapeHtml(displayPath(file))}</h3>`, table(['section', 'correct', 'questions', 'accuracy'], rows), `<p class="note">${count(skipped)} questions skipped (${percent(oovRatio)} out of vocabulary: a word unknown or outside the most frequent words).</p>`, invalidLinesNote(displayPath(file), result.analogies.invalidLines, '": section" or four words'));
  }
  if (result.pairs.length > 0) {
    const rows = result.pairs.map(
      (p) =>
        `<tr><td>${escapeHtml(displayPath(p.file))}</td><td class="num">${fixed(p.spearman, 4)}</td><td class="num">${pValue(p.spearmanP)}</td>` +
        `<td class="num">${fixed(p.pearson, 4)}</td><td class="num">${pValue(p.pearsonP)}</td><td class="num">${count(p.pairs)}</td>` +
        `<td class="num">${count(p.skipped)}</td><td class="num">${percent(p.oovRatio)}</td></tr>`,
    );
    parts.push('<h3>Word-pair similarity</h3>', table(['file', 'Spearman ρ', 'p', 'Pearson r', 'p', 'pairs', 'skipped', 'out of vocabulary'], rows));
    for (const p of result.pairs) parts.push(invalidLinesNote(displayPath(p.file), p.invalidLines, '"word1 word2 score"'));
  }
  if (result.weat && result.weat.length > 0) {
    const rows = result.weat.map(
      (w) =>
        `<tr><td>${escapeHtml(w.title)}${w.file ? ` <span class="note">${escapeHtml(displayPath(w.file))}</span>` : ''}</td><td class="num">${fixed(w.effectSize, 3)}</td>` +
        `<td class="num">${weatPValue(w)}</td><td>${missingWords(w.missing)}</td></tr>`,
    );
    parts.push(
      '<h3>Bias: WEAT</h3>',
      table(['test', 'effect size d', 'p (one-sided)', 'missing words'], rows),
      '<p class="note">d &gt; 0: the first targets sit closer to the first attributes than the second targets do (|d| ≥ 0.8 is large). p: the share of target partitions with a larger association, all of them or a seeded sample.</p>',
    );
  }
  return section('evaluation', 'Evaluation', parts.join('\n'));
}

function neighboursTable(neighbours: readonly WordNeighbour[]): string {
  if (neighbours.length === 0) return '<p class="note">No neighbours.</p>';
  const rows = neighbours.map((n, i) => `<tr><td class="num">${i + 1}</td><td>${word(n.word)}</td><td class="num">${n.similarity.toFixed(3)}</td></tr>`);
  return table(['#', 'word', 'similarity'], rows);
}

function section(kind: string, titleHtml: string, contentHtml: string): string {
  return `<section class="result ${kind}"><h2>${titleHtml}</h2>\n${contentHtml}\n</section>`;
}

function table(headers: readonly string[], rows: readonly string[]): string {
  return `<table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function word(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Numbers may come as null: JSON carries an undefined correlation (a constant input) that way. */
function fixed(value: number | null, digits: number): string {
  return value !== null && Number.isFinite(value) ? value.toFixed(digits) : '–';
}

function pValue(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return '–';
  if (p === 0) return '0';
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

/** A sampled p-value of 0 only says that none of the samples was larger. */
function weatPValue({ pValue: p, exact, permutations }: WeatScores): string {
  const shown = p === 0 && !exact ? `&lt; ${pValue(1 / permutations)}` : pValue(p);
  return `${shown} <span class="note">(${exact ? `all ${count(permutations)}` : `${count(permutations)} sampled`})</span>`;
}

function missingWords(missing: readonly string[]): string {
  if (missing.length === 0) return '–';
  const listed = missing.slice(0, MAX_LISTED).map((w) => word(w)).join(' ');
  return `${count(missing.length)}: ${listed}${missing.length > MAX_LISTED ? ' …' : ''}`;
}

function percent(ratio: number | null): string {
  return ratio !== null && Number.isFinite(ratio) ? `${(100 * ratio).toFixed(1)}%` : '–';
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 16px; }
.active { color: var(--vscode-descriptionForeground); border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: 8px; }
.result { margin: 16px 0 24px; }
.result h2 { font-size: 1.15em; margin: 0 0 4px; }
.result h3 { font-size: 1em; margin: 12px 0 4px; }
.source, .note { color: var(--vscode-descriptionForeground); margin: 2px 0 8px; }
.answer { font-weight: 600; }
table { border-collapse: collapse; min-width: 260px; }
th, td { text-align: left; padding: 3px 12px 3px 0; border-bottom: 1px solid var(--vscode-editorWidget-border, rgba(128,128,128,.25)); }
th { font-weight: 600; color: var(--vscode-descriptionForeground); }
td.num { text-align: right; }
tr.total td { font-weight: 600; }
tr.odd td { color: var(--vscode-errorForeground); font-weight: 600; }
code { font-family: var(--vscode-editor-font-family); }
.error h2 { color: var(--vscode-errorForeground); }
`;

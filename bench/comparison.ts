/** Measures engines side by side on the same workloads and prints one table: MB/s, token counts, ratios to targets. */
import { grouped, isUnavailable, throughput, type Engine, type Measurement, type Unavailable, type Workload } from './measure';
import { OURS } from './peers';

/** Ours divided by a peer's MB/s should reach `min`; without `peer`, the fastest peer of each workload. */
export interface Target {
  peer?: string;
  min: number;
}

export interface ComparisonSpec {
  title: string;
  engines: readonly (Engine | Unavailable)[];
  workloads: readonly Workload[];
  /** Whose token counts the others must equal: the reference implementation, or ours when it is unavailable. */
  reference: string;
  targets: readonly Target[];
  /** A line under the table, once the engines have run (how many cores a process used). */
  footnote?: () => string | undefined;
}

interface Row {
  name: string;
  cells: Measurement[];
}

const NAME_WIDTH = 42;
const CELL_WIDTH = 34;

export async function compareEngines(spec: ComparisonSpec): Promise<void> {
  const rows: Row[] = [];
  for (const engine of spec.engines) {
    const cells: Measurement[] = [];
    for (const work of spec.workloads) cells.push(isUnavailable(engine) ? { error: engine.error } : await throughput(engine, work));
    rows.push({ name: engine.name, cells });
  }
  printTable(spec, rows);
}

function printTable(spec: ComparisonSpec, rows: readonly Row[]): void {
  const line = (name: string, cells: readonly string[]): void => console.log(`  ${name.padEnd(NAME_WIDTH)}${cells.map((c) => c.padEnd(CELL_WIDTH)).join('')}`.trimEnd());
  console.log(spec.title);
  line('', spec.workloads.map((w) => w.label));
  const reference = referenceCounts(spec, rows);
  for (const row of rows) line(row.name, row.cells.map((cell, w) => formatCell(cell, row.name === reference[w].name, reference[w].tokens)));
  const ours = rows.find((row) => row.name === OURS);
  for (const target of spec.targets) {
    const label = `ours ÷ ${target.peer ?? 'fastest peer'} ≥ ${target.min}x`;
    line(label, spec.workloads.map((_, w) => formatRatio(ours?.cells[w], peerCell(rows, w, target.peer), target)));
  }
  const errors = new Set<string>();
  for (const row of rows) for (const cell of row.cells) if ('error' in cell) errors.add(`  n/a ${row.name}: ${cell.error}`);
  for (const error of errors) console.log(error);
  if (rows.some((row) => row.cells.some((cell) => 'runs' in cell && cell.runs < 3))) console.log('  * fewer than 3 timed runs (a slow engine stops after 30 s)');
  const footnote = spec.footnote?.();
  if (footnote) console.log(`  ${footnote}`);
  console.log('');
}

/** Per workload, the reference's token count, or ours where the reference has none. */
function referenceCounts(spec: ComparisonSpec, rows: readonly Row[]): { name: string; tokens: number }[] {
  return spec.workloads.map((_, w) => {
    for (const name of [spec.reference, OURS]) {
      const cell = rows.find((row) => row.name === name)?.cells[w];
      if (cell && 'tokens' in cell) return { name, tokens: cell.tokens };
    }
    return { name: '', tokens: NaN };
  });
}

function formatCell(cell: Measurement, isReference: boolean, referenceTokens: number): string {
  if ('error' in cell) return 'n/a';
  const agreement = isReference ? 'ref' : Number.isNaN(referenceTokens) ? '?' : cell.tokens === referenceTokens ? '✓' : `✗ ${signed(cell.tokens - referenceTokens)}`;
  return `${cell.mbps.toFixed(2).padStart(7)} MB/s${cell.runs < 3 ? '*' : ' '} ${grouped(cell.tokens).padStart(10)} ${agreement}`;
}

function peerCell(rows: readonly Row[], w: number, peer: string | undefined): { name: string; cell: Measurement } | undefined {
  if (peer !== undefined) {
    const row = rows.find((r) => r.name === peer);
    return row && { name: row.name, cell: row.cells[w] };
  }
  let fastest: { name: string; cell: Measurement } | undefined;
  for (const row of rows) {
    const cell = row.cells[w];
    if (row.name !== OURS && 'mbps' in cell && (!fastest || !('mbps' in fastest.cell) || cell.mbps > fastest.cell.mbps)) fastest = { name: row.name, cell };
  }
  return fastest;
}

function formatRatio(ours: Measurement | undefined, peer: { name: string; cell: Measurement } | undefined, target: Target): string {
  if (!ours || !peer || !('mbps' in ours) || !('mbps' in peer.cell)) return 'n/a';
  const ratio = ours.mbps / peer.cell.mbps;
  return `${ratio.toFixed(2)}x ${ratio >= target.min ? '✓' : '✗'}${target.peer === undefined ? ` (${peer.name})` : ''}`;
}

const signed = (n: number): string => (n > 0 ? `+${grouped(n)}` : grouped(n));

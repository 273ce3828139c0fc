/** One stderr line per phase, redrawn in place with a percentage on a terminal; a line per new phase otherwise. */
export function stderrProgress(): (phase: string, done: number, total: number) => void {
  const terminal = process.stderr.isTTY;
  let lastPhase = '';
  return (phase, done, total) => {
    const percent = total > 0 ? ` ${Math.floor((100 * done) / total)}%` : '';
    if (terminal) process.stderr.write(`\r\x1b[K${phase}${percent}${phase === 'done' ? '\n' : ''}`);
    else if (phase !== lastPhase) process.stderr.write(`${phase}\n`);
    lastPhase = phase;
  };
}

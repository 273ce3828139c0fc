/**
 * Child process of bench:train-tokenizer: trains one tokenizer with our trainer, writes its tokenizer.json, and
 * prints its own CPU time and peak memory as JSON, so the figures are this training's alone.
 * Usage: node trainWorker.js OPTIONS_JSON OUT_FILE, where OPTIONS_JSON is trainTokenizer's options (no callbacks).
 */
import { writeFileSync } from 'node:fs';
import { trainTokenizer, type TrainTokenizerOptions } from '../server/src/tokenizers/training/trainTokenizer';
import { errorMessage } from './measure';

export interface TrainWorkerReport {
  maxRssKb: number;
  cpuSeconds: number;
}

async function main(): Promise<void> {
  const [options, outFile] = process.argv.slice(2);
  const tokenizerJson = await trainTokenizer(JSON.parse(options) as TrainTokenizerOptions);
  writeFileSync(outFile, JSON.stringify(tokenizerJson));
  const usage = process.resourceUsage();
  const report: TrainWorkerReport = { maxRssKb: usage.maxRSS, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 };
  process.stdout.write(JSON.stringify(report));
}

main().catch((error: unknown) => {
  console.error(errorMessage(error));
  process.exit(1);
});

/**
 * The worker plumbing both training features use: a job run in a worker thread reports progress and its result,
 * passes its error back, and is stopped at once when cancelled or when the worker dies.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { JobCancelled, runJobInWorker } from '../../server/src/workers/jobInWorker';

interface Job {
  steps: number;
  outcome: 'done' | 'fail' | 'hang' | 'exit';
}

const tmp = mkdtempSync(path.join(tmpdir(), 'job-worker-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// A worker script standing in for the server bundle: it runs the job with the compiled runJobWorker.
const script = path.join(tmp, 'worker.js');
writeFileSync(
  script,
  `const { runJobWorker } = require(${JSON.stringify(path.join(__dirname, '../../server/src/workers/jobWorker.js'))});
runJobWorker(async (job, onProgress) => {
  for (let step = 1; step <= job.steps; step++) onProgress(step);
  if (job.outcome === 'fail') throw new Error('the job failed');
  if (job.outcome === 'exit') process.exit(3);
  if (job.outcome === 'hang') await new Promise(() => setInterval(() => {}, 1000));
  return { total: job.steps };
});
`,
);

function run(job: Job, signal = new AbortController().signal): { progress: number[]; result: Promise<{ total: number }> } {
  const progress: number[] = [];
  return { progress, result: runJobInWorker<Job, { total: number }, number>(script, 'test', job, (step) => progress.push(step), signal) };
}

test('a job reports its progress in order, then its result', async () => {
  const { progress, result } = run({ steps: 3, outcome: 'done' });
  assert.deepEqual(await result, { total: 3 });
  assert.deepEqual(progress, [1, 2, 3]);
});

test("a job's error comes back as the rejection; a worker that exits early is an error naming it", async () => {
  await assert.rejects(run({ steps: 1, outcome: 'fail' }).result, { message: 'the job failed' });
  await assert.rejects(run({ steps: 0, outcome: 'exit' }).result, { message: 'the test worker stopped unexpectedly (exit code 3)' });
});

test('aborting stops a running job with JobCancelled; an aborted signal starts nothing', async () => {
  const abort = new AbortController();
  const { result } = run({ steps: 0, outcome: 'hang' }, abort.signal);
  setTimeout(() => abort.abort(), 50);
  await assert.rejects(result, JobCancelled);
  await assert.rejects(run({ steps: 1, outcome: 'done' }, AbortSignal.abort()).result, JobCancelled);
});

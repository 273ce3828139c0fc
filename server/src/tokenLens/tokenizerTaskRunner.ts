import type { TokenizerCatalog } from '../tokenizers/catalog';
import type { TokenCounter } from './tokenCounter';
import { runTokenizerTask, type TaskInput, type TaskName, type TaskOutput } from './tokenizerTasks';

/** Texts up to this size are tokenized on the spot; larger ones in the counting worker. */
const INLINE_CHARS = 100_000;

/** Runs a tokenizer task where it belongs: inline for small texts, in the counting worker for big ones. */
export class TokenizerTaskRunner {
  constructor(
    private readonly catalog: TokenizerCatalog,
    private readonly counter: TokenCounter,
  ) {}

  /** `textLength`: how much text the task tokenizes, which decides where it runs. */
  async run<K extends TaskName>(task: K, tokenizer: string, input: TaskInput<K>, textLength: number): Promise<TaskOutput<K>> {
    if (textLength > INLINE_CHARS) return this.counter.run(task, tokenizer, input);
    return runTokenizerTask(task, await this.catalog.load(tokenizer), input);
  }
}

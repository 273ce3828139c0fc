/** The embedding-lens command line: `node dist/cli.js <command> [options]`. */
import { TokenizerLoadError } from '../tokenizers/types';
import { EvaluationFileError } from '../vectors/evaluation/evaluationFileError';
import { UnknownWordError } from '../vectors/similarity';
import { VectorFileError } from '../vectors/vectorFiles';
import { EVAL_VECTORS_HELP, evalVectorsCommand } from './evalVectorsCommand';
import { InputError } from './inputLines';
import { NEIGHBORS_HELP, neighborsCommand } from './neighborsCommand';
import { Output } from './output';
import { TOKENIZE_HELP, tokenizeCommand, UsageError } from './tokenizeCommand';
import { TRAIN_TOKENIZER_HELP, trainTokenizerCommand } from './trainTokenizerCommand';
import { TRAIN_VECTORS_HELP, trainVectorsCommand } from './trainVectorsCommand';
import { VECTOR_HELP, vectorCommand } from './vectorCommand';

const COMMANDS: Record<string, { summary: string; help: string; run(args: string[], out: Output): Promise<void> }> = {
  tokenize: { summary: 'split text into tokens with a tokenizer; JSON per line', help: TOKENIZE_HELP, run: tokenizeCommand },
  'train-tokenizer': { summary: 'train a BPE, WordPiece or Unigram tokenizer.json on text files', help: TRAIN_TOKENIZER_HELP, run: trainTokenizerCommand },
  'train-vectors': { summary: 'train word2vec, fastText or GloVe word vectors on text files', help: TRAIN_VECTORS_HELP, run: trainVectorsCommand },
  'eval-vectors': { summary: 'score word vectors: analogies, word-pair correlation, WEAT; JSON', help: EVAL_VECTORS_HELP, run: evalVectorsCommand },
  neighbors: { summary: 'nearest neighbours of words in a vector file; JSON per line', help: NEIGHBORS_HELP, run: neighborsCommand },
  vector: { summary: "words' vectors (fastText subwords for unknown words); JSON per line", help: VECTOR_HELP, run: vectorCommand },
};

const HELP = `Usage: node dist/cli.js <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(15)} ${c.summary}`).join('\n')}

Run \`node dist/cli.js <command> --help\` for a command's options.

${Object.values(COMMANDS).map((c) => c.help).join('\n')}`;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`embedding-lens: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  const out = new Output();
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0); // the reader went away (e.g. `| head`)
  });
  try {
    await command.run(args, out);
    await out.flush();
    return 0;
  } catch (error) {
    await out.flush();
    const usage = error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    const known =
      usage ||
      error instanceof InputError ||
      error instanceof TokenizerLoadError ||
      error instanceof VectorFileError ||
      error instanceof EvaluationFileError ||
      error instanceof UnknownWordError;
    process.stderr.write(`embedding-lens ${name}: ${known ? (error as Error).message : (error as Error).stack}\n`);
    if (usage) process.stderr.write(`Run \`node dist/cli.js ${name} --help\` for usage.\n`);
    return usage ? 2 : 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

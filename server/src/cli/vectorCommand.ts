import { parseArgs } from 'node:util';
import { float32Text } from '../vectors/formats/decimalText';
import type { Output } from './output';
import { UsageError } from './tokenizeCommand';
import { loadVectors, vectorsChoice, VECTORS_OPTIONS, VECTORS_OPTIONS_HELP, wordsWithVectors } from './vectorsOption';

export const VECTOR_HELP = `Usage: embedding-lens vector --vectors FILE [--format F] [--skip-missing] WORD...

Prints each word's vector as one JSON line: {"word": ..., "vector": [...], "inVocabulary": true|false}.
FILE is word2vec text or binary, GloVe text, fastText .vec or a fastText .bin model (the format is detected from
the content). A fastText .bin model gives words outside its vocabulary a vector built from their character
n-grams, exactly as \`fasttext print-word-vectors\` does; with other formats such a word is an error.
Values are printed with the fewest digits that read back as the same 32-bit float.

Options:
${VECTORS_OPTIONS_HELP}
  --skip-missing          leave out words without a vector instead of failing
  --help, -h              show this help
`;

export async function vectorCommand(args: string[], out: Output): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...VECTORS_OPTIONS,
      'skip-missing': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return out.write(VECTOR_HELP);
  const choice = vectorsChoice(values, 'vector');
  if (positionals.length === 0) throw new UsageError('vector needs at least one WORD');

  const { vectors } = await loadVectors(choice);
  for (const word of wordsWithVectors(vectors, choice.file, positionals, values['skip-missing'])) {
    const numbers = Array.from(vectors.vector(word)!, float32Text).join(',');
    await out.write(`{"word":${JSON.stringify(word)},"vector":[${numbers}],"inVocabulary":${vectors.has(word)}}\n`);
  }
}

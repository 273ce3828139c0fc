import { parseArgs } from 'node:util';
import { mostSimilar } from '../vectors/similarity';
import type { Output } from './output';
import { UsageError } from './tokenizeCommand';
import { wholeNumberOption } from './wholeNumberOption';
import { loadVectors, vectorsChoice, VECTORS_OPTIONS, VECTORS_OPTIONS_HELP, wordsWithVectors } from './vectorsOption';

export const NEIGHBORS_HELP = `Usage: embedding-lens neighbors --vectors FILE [--format F] [--topn 10] [--restrict N] [--skip-missing] WORD...

Prints each word's nearest neighbours by cosine similarity as one JSON line:
{"word": ..., "neighbors": [{"word": ..., "similarity": ...}, ...]} (the word itself is left out, as gensim's
most_similar does). FILE is word2vec text or binary, GloVe text, fastText .vec or a fastText .bin model (the format
is detected from the content); a .bin model also answers for words outside its vocabulary, from their subwords.

Options:
${VECTORS_OPTIONS_HELP}
  --topn <N>              neighbours per word (default 10)
  --restrict <N>          search only the first N words of the file (the most frequent, in published files)
  --skip-missing          leave out words without a vector instead of failing
  --help, -h              show this help
`;

export async function neighborsCommand(args: string[], out: Output): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...VECTORS_OPTIONS,
      topn: { type: 'string', default: '10' },
      restrict: { type: 'string' },
      'skip-missing': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return out.write(NEIGHBORS_HELP);
  const choice = vectorsChoice(values, 'neighbors');
  const topn = wholeNumberOption(values.topn, '--topn', 1);
  const restrictVocab = values.restrict === undefined ? undefined : wholeNumberOption(values.restrict, '--restrict', 1);
  if (positionals.length === 0) throw new UsageError('neighbors needs at least one WORD');

  const { vectors } = await loadVectors(choice);
  for (const word of wordsWithVectors(vectors, choice.file, positionals, values['skip-missing'])) {
    const neighbors = mostSimilar(vectors, [word], [], { topn, restrictVocab }).map((n) => ({ word: n.word, similarity: n.similarity }));
    await out.write(`${JSON.stringify({ word, neighbors })}\n`);
  }
}

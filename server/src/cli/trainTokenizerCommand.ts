import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { saveTokenizerJson } from '../tokenizers/training/saveTokenizerJson';
import { vocabularySize } from '../tokenizers/training/tokenizerJson';
import { TrainingError } from '../tokenizers/training/trainingError';
import { TRAINABLE_MODELS, trainTokenizer, type TrainableModel, type TrainingProgressEvent } from '../tokenizers/training/trainTokenizer';
import { InputError } from './inputLines';
import type { Output } from './output';
import { UsageError } from './tokenizeCommand';
import { stderrProgress } from './stderrProgress';
import { wholeNumberOption } from './wholeNumberOption';

export const TRAIN_TOKENIZER_HELP = `Usage: embedding-lens train-tokenizer --model bpe|wordpiece|unigram --vocab-size N [options] -o OUT.json FILE|FOLDER...

Trains a tokenizer on UTF-8 text files (folders: every text file below them) and writes a tokenizer.json that
Embedding Lens and Hugging Face tokenizers both load:
  bpe        byte-level BPE (GPT-2 style, Hugging Face's ByteLevelBPETokenizer)
  wordpiece  BERT-style WordPiece, lower-cased (Hugging Face's BertWordPieceTokenizer)
  unigram    SentencePiece-style Unigram (EM with pruning, like spm_train)
Progress goes to standard error; the file is written only when training completes.

Options:
  --model, -m <name>              bpe, wordpiece or unigram
  --vocab-size, -v <N>            vocabulary size, special tokens included
  --output, -o <OUT.json>         where to write the tokenizer
  --min-frequency <N>             bpe, wordpiece: least count of a merged pair (default 2)
  --special-tokens <a,b,...>      special tokens, first ids (defaults: <|endoftext|>; [PAD],[UNK],[CLS],[SEP],[MASK];
                                  <unk>,<s>,</s>)
  --character-coverage <X>        unigram, wordpiece: share of characters the alphabet covers (unigram default 0.9995)
  --add-prefix-space              bpe: a space before each text's first word, so it splits like the others
  --quiet, -q                     no progress
  --help, -h                      show this help
`;

export async function trainTokenizerCommand(args: string[], out: Output): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string', short: 'm' },
      'vocab-size': { type: 'string', short: 'v' },
      output: { type: 'string', short: 'o' },
      'min-frequency': { type: 'string' },
      'special-tokens': { type: 'string' },
      'character-coverage': { type: 'string' },
      'add-prefix-space': { type: 'boolean', default: false },
      quiet: { type: 'boolean', short: 'q', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return out.write(TRAIN_TOKENIZER_HELP);
  const model = values.model as TrainableModel | undefined;
  if (!model || !TRAINABLE_MODELS.includes(model)) throw new UsageError(`train-tokenizer needs --model ${TRAINABLE_MODELS.join('|')}`);
  if (!values['vocab-size']) throw new UsageError('train-tokenizer needs --vocab-size N');
  if (!values.output) throw new UsageError('train-tokenizer needs --output OUT.json');
  if (positionals.length === 0) throw new UsageError('train-tokenizer needs at least one training file or folder');

  const aborter = new AbortController();
  const interrupt = (): void => aborter.abort(new InputError('interrupted; nothing was written'));
  process.once('SIGINT', interrupt);
  const progress = values.quiet ? undefined : stderrProgress();
  try {
    const json = await trainTokenizer({
      model,
      vocabSize: wholeNumberOption(values['vocab-size'], '--vocab-size'),
      minFrequency: values['min-frequency'] === undefined ? undefined : wholeNumberOption(values['min-frequency'], '--min-frequency'),
      specialTokens: values['special-tokens']?.split(',').filter((token) => token !== ''),
      characterCoverage: values['character-coverage'] === undefined ? undefined : Number(values['character-coverage']),
      addPrefixSpace: values['add-prefix-space'],
      files: positionals,
      onProgress: progress && (({ phase, done, total }: TrainingProgressEvent) => progress(phase, done, total)),
      signal: aborter.signal,
    });
    await saveTokenizerJson(json, values.output);
    progress?.('done', 1, 1);
    await out.write(`${path.resolve(values.output)}: ${model}, ${vocabularySize(json)} tokens\n`);
  } catch (error) {
    if (error instanceof TrainingError) throw new InputError(error.message);
    throw error;
  } finally {
    process.off('SIGINT', interrupt);
  }
}

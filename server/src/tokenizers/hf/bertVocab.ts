/**
 * A BERT vocab.txt alone (one WordPiece token per line, id = line number) becomes the same pipeline HF's
 * BertWordPieceTokenizer builds: BertNormalizer, BertPreTokenizer, WordPiece, [CLS] … [SEP], WordPiece decoder.
 * Options come from tokenizer_config.json beside it when present (do_lower_case, strip_accents,
 * tokenize_chinese_chars); otherwise the vocabulary decides: one with no ASCII capital outside [SPECIALS] is uncased.
 */
import { TokenizerLoadError } from '../types';
import type { PipelineTokenizer } from './pipelineTokenizer';
import { tokenizerFromJsonText } from './tokenizerJson';

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

export function bertVocabTokenizer(text: string, file: string, name: string, config?: Record<string, unknown>): PipelineTokenizer {
  const vocab: Record<string, number> = {};
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((token, id) => {
    if (token.length === 0) throw new TokenizerLoadError(file, `line ${id + 1} is empty; a vocab.txt has one token per line`);
    if (!(token in vocab)) vocab[token] = id;
  });
  // Some vocabularies were lower-cased whole, specials included ("[unk]"): use whichever spelling is there.
  const spelling = (special: string): string | undefined => [special, special.toLowerCase()].find((token) => token in vocab);
  const unk = spelling('[UNK]');
  if (!unk) throw new TokenizerLoadError(file, 'a BERT vocab.txt must contain [UNK]');
  const cls = spelling('[CLS]');
  const sep = spelling('[SEP]');
  const lowercase = (config?.do_lower_case as boolean | undefined) ?? !lines.some((token) => !token.startsWith('[') && /[A-Z]/.test(token));
  const json = {
    added_tokens: SPECIALS.map(spelling).filter((t): t is string => t !== undefined).map((content) => ({ id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: (config?.tokenize_chinese_chars as boolean | undefined) ?? true,
      strip_accents: (config?.strip_accents as boolean | null | undefined) ?? null,
      lowercase,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    model: { type: 'WordPiece', unk_token: unk, continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
    post_processor: cls && sep ? { type: 'BertProcessing', cls: [cls, vocab[cls]], sep: [sep, vocab[sep]] } : null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
  };
  return tokenizerFromJsonText(JSON.stringify(json), file, name);
}

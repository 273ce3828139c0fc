/**
 * The tokenizer.json layouts the trainers produce, as Hugging Face tokenizers' own Python classes save them
 * (ByteLevelBPETokenizer, BertWordPieceTokenizer, SentencePieceUnigramTokenizer), so HF tokenizers 0.19–0.23 and
 * our engine both load them. BPE merges are written as "a b" strings, the form every version reads.
 */
export type TrainableModel = 'bpe' | 'wordpiece' | 'unigram';

export type JsonSection = Record<string, unknown>;

export interface TokenizerJson {
  version: '1.0';
  truncation: null;
  padding: null;
  added_tokens: JsonSection[];
  normalizer: JsonSection | null;
  pre_tokenizer: JsonSection | null;
  post_processor: JsonSection | null;
  decoder: JsonSection | null;
  model: JsonSection;
}

/** The stages around the model: what a trainer's words go through, and what encoding will use. */
export interface PipelineSections {
  normalizer: JsonSection | null;
  pre_tokenizer: JsonSection;
  decoder: JsonSection;
}

const METASPACE = { replacement: '▁', prepend_scheme: 'always', split: true };

/**
 * The pipeline of each model. BPE's ByteLevel pre-tokenizer adds no space before the text by default (GPT-2,
 * ByteLevelBPETokenizer); `addPrefixSpace` makes a text's first word look like every other word (" word").
 */
export function pipelineSections(model: TrainableModel, { addPrefixSpace = false } = {}): PipelineSections {
  switch (model) {
    case 'bpe':
      return {
        normalizer: null,
        pre_tokenizer: { type: 'ByteLevel', add_prefix_space: addPrefixSpace, trim_offsets: true, use_regex: true },
        decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      };
    case 'wordpiece':
      return {
        normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
        pre_tokenizer: { type: 'BertPreTokenizer' },
        decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      };
    case 'unigram':
      return {
        // SentencePiece's nmt_nfkc with its collapsing of repeated spaces, as HF's SentencePieceUnigramTokenizer has it.
        normalizer: {
          type: 'Sequence',
          normalizers: [{ type: 'Nmt' }, { type: 'NFKC' }, { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' }],
        },
        pre_tokenizer: { type: 'Metaspace', ...METASPACE },
        decoder: { type: 'Metaspace', ...METASPACE },
      };
  }
}

/** Special tokens as HF saves trainer special tokens: matched on the raw text, never normalized. */
function addedTokens(specialTokens: readonly string[], idOf: (token: string) => number): JsonSection[] {
  return specialTokens.map((content) => ({
    id: idOf(content),
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
}

function assemble(sections: PipelineSections, added: JsonSection[], postProcessor: JsonSection | null, modelSection: JsonSection): TokenizerJson {
  const { normalizer, pre_tokenizer, decoder } = sections;
  return { version: '1.0', truncation: null, padding: null, added_tokens: added, normalizer, pre_tokenizer, post_processor: postProcessor, decoder, model: modelSection };
}

function vocabObject(vocab: readonly string[]): Record<string, number> {
  const object: Record<string, number> = {};
  vocab.forEach((token, id) => (object[token] = id));
  return object;
}

/** Byte-level BPE: `vocab` in id order (special tokens first), merges in rank order. */
export function bpeTokenizerJson(specialTokens: readonly string[], vocab: readonly string[], merges: ReadonlyArray<readonly [string, string]>, addPrefixSpace = false): TokenizerJson {
  return assemble(pipelineSections('bpe', { addPrefixSpace }), addedTokens(specialTokens, (t) => vocab.indexOf(t)), { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true }, {
    type: 'BPE',
    dropout: null,
    unk_token: null,
    continuing_subword_prefix: null,
    end_of_word_suffix: null,
    fuse_unk: false,
    byte_fallback: false,
    ignore_merges: false,
    vocab: vocabObject(vocab),
    merges: merges.map(([a, b]) => `${a} ${b}`),
  });
}

/** BERT-style WordPiece; [CLS] text [SEP] around each sequence when both tokens are special tokens. */
export function wordPieceTokenizerJson(specialTokens: readonly string[], vocab: readonly string[], unkToken: string): TokenizerJson {
  const idOf = (token: string): number => vocab.indexOf(token);
  const template = specialTokens.includes('[CLS]') && specialTokens.includes('[SEP]') ? bertTemplate(idOf('[CLS]'), idOf('[SEP]')) : null;
  return assemble(pipelineSections('wordpiece'), addedTokens(specialTokens, idOf), template, {
    type: 'WordPiece',
    unk_token: unkToken,
    continuing_subword_prefix: '##',
    max_input_chars_per_word: 100,
    vocab: vocabObject(vocab),
  });
}

function bertTemplate(clsId: number, sepId: number): JsonSection {
  const special = (id: string, typeId: number): JsonSection => ({ SpecialToken: { id, type_id: typeId } });
  const sequence = (id: string, typeId: number): JsonSection => ({ Sequence: { id, type_id: typeId } });
  return {
    type: 'TemplateProcessing',
    single: [special('[CLS]', 0), sequence('A', 0), special('[SEP]', 0)],
    pair: [special('[CLS]', 0), sequence('A', 0), special('[SEP]', 0), sequence('B', 1), special('[SEP]', 1)],
    special_tokens: {
      '[CLS]': { id: '[CLS]', ids: [clsId], tokens: ['[CLS]'] },
      '[SEP]': { id: '[SEP]', ids: [sepId], tokens: ['[SEP]'] },
    },
  };
}

/** Unigram: special tokens first with score 0 (as SentencePiece's converted models have them), then the pieces. */
export function unigramTokenizerJson(specialTokens: readonly string[], pieces: ReadonlyArray<readonly [string, number]>, unkToken: string): TokenizerJson {
  const vocab: Array<[string, number]> = [...specialTokens.map((t): [string, number] => [t, 0]), ...pieces.map(([p, s]): [string, number] => [p, s])];
  return assemble(pipelineSections('unigram'), addedTokens(specialTokens, (t) => specialTokens.indexOf(t)), null, {
    type: 'Unigram',
    unk_id: specialTokens.indexOf(unkToken),
    vocab,
    byte_fallback: false,
  });
}

/** How many tokens the model has (special tokens included). */
export function vocabularySize(json: TokenizerJson): number {
  const vocab = json.model.vocab as unknown[] | Record<string, number>;
  return Array.isArray(vocab) ? vocab.length : Object.keys(vocab).length;
}

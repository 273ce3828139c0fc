/** WordLevel: each word is one vocabulary entry, or the unknown token. */
import { TokenizerLoadError } from '../types';
import { type JsonObject, requireField } from './jsonConfig';
import { TokenBuffer, VocabularyModel, Vocabulary } from './model';

export class WordLevelModel extends VocabularyModel {
  readonly unknownId: number;

  constructor(
    vocab: Vocabulary,
    unkToken: string,
    file: string,
  ) {
    super(vocab);
    const unknownId = vocab.byToken.get(unkToken);
    if (unknownId === undefined) throw new TokenizerLoadError(file, `WordLevel unknown token "${unkToken}" is not in the vocabulary`);
    this.unknownId = unknownId;
  }

  tokenize(word: string, out: TokenBuffer): void {
    out.push(this.vocab.byToken.get(word) ?? this.unknownId, 0, word.length);
  }
}

export function wordLevelModelFromJson(json: JsonObject, vocab: Vocabulary, file: string): WordLevelModel {
  return new WordLevelModel(vocab, requireField<string>(json, 'unk_token', 'WordLevel model', file), file);
}

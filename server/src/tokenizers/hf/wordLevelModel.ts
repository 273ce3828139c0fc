/** WordLevel: each word is one vocabulary entry, or the unknown token. */
import { TokenizerLoadError } from '../types';
import { type JsonObject, requireField } from './jsonConfig';
import { type Model, TokenBuffer, Vocabulary } from './model';

export class WordLevelModel implements Model {
  readonly unknownId: number;

  constructor(
    private readonly vocab: Vocabulary,
    unkToken: string,
    file: string,
  ) {
    const unknownId = vocab.byToken.get(unkToken);
    if (unknownId === undefined) throw new TokenizerLoadError(file, `WordLevel unknown token "${unkToken}" is not in the vocabulary`);
    this.unknownId = unknownId;
  }

  get vocabSize(): number {
    return this.vocab.size;
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.byToken.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.vocab.byId[id];
  }

  tokenize(word: string, out: TokenBuffer): void {
    out.push(this.vocab.byToken.get(word) ?? this.unknownId, 0, word.length);
  }
}

export function wordLevelModelFromJson(json: JsonObject, vocab: Vocabulary, file: string): WordLevelModel {
  return new WordLevelModel(vocab, requireField<string>(json, 'unk_token', 'WordLevel model', file), file);
}

/** HF's `"type": "Unigram"` model on the shared Unigram segmenter, with HF's choices where SentencePiece differs. */
import { TokenizerLoadError } from '../types';
import { UnigramModel } from '../unigramModel';
import type { JsonObject } from './jsonConfig';
import type { Model, TokenBuffer } from './model';

class HfUnigramModel implements Model {
  readonly vocabSize: number;
  readonly spellsUnknownAsText = true;
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly pieces: string[],
    private readonly segmenter: UnigramModel,
    readonly unknownId: number | undefined,
  ) {
    this.vocabSize = pieces.length;
    pieces.forEach((piece, id) => this.ids.set(piece, id));
  }

  tokenize(word: string, out: TokenBuffer): void {
    this.segmenter.encode(word, 0, word.length, (id, start, end) => out.push(id, start, end));
  }

  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.pieces[id];
  }
}

export function unigramModelFromJson(json: JsonObject, file: string): Model {
  const vocab = json.vocab;
  if (!Array.isArray(vocab)) throw new TokenizerLoadError(file, 'Unigram model "vocab" must be a list of [piece, score]');
  const pieces = vocab.map((entry: unknown, index) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'number') {
      throw new TokenizerLoadError(file, `Unigram vocab entry ${index} is not [piece, score]: ${JSON.stringify(entry)}`);
    }
    return { piece: entry[0] as string, score: entry[1] as number };
  });
  const unknownId = (json.unk_id as number | null | undefined) ?? undefined;
  if (unknownId !== undefined && !(unknownId >= 0 && unknownId < pieces.length)) {
    throw new TokenizerLoadError(file, `Unigram unk_id ${unknownId} is outside the vocabulary (${pieces.length} pieces)`);
  }
  const minScore = pieces.reduce((min, p) => Math.min(min, p.score), Infinity);
  const segmenter = new UnigramModel({
    pieces,
    unknownId,
    byteFallback: (json.byte_fallback as boolean | undefined) ?? false,
    fuseUnknown: true,
    unknownScore: minScore - 10,
    lookUpUnknownRuns: true,
  });
  return new HfUnigramModel(
    pieces.map((p) => p.piece),
    segmenter,
    unknownId,
  );
}

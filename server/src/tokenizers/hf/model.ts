/** The model stage: turns one pre-tokenized word into token ids with offsets inside the word. */

/** Tokens appended by models: parallel arrays, so a whole encoding grows without an object per token. */
export class TokenBuffer {
  readonly ids: number[] = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];

  /** @param offsets whether to keep ranges at all (not when only ids are wanted) */
  constructor(readonly offsets = true) {}

  /** Token strings that differ from the vocabulary's, by position (HF's Unigram spells unknowns as their text). */
  texts: Map<number, string> | undefined;

  push(id: number, start: number, end: number): void {
    this.ids.push(id);
    if (this.offsets) {
      this.starts.push(start);
      this.ends.push(end);
    }
  }

  get length(): number {
    return this.ids.length;
  }
}

export interface Model {
  readonly vocabSize: number;
  readonly unknownId: number | undefined;
  /** The unknown token's string is the text it covers, not the vocabulary entry (HF's Unigram). */
  readonly spellsUnknownAsText?: boolean;
  /** Appends the tokens of `word`, with [start, end) in UTF-16 units of `word`. */
  tokenize(word: string, out: TokenBuffer): void;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
}

/** A vocabulary as tokenizer.json stores it (`{ token: id }`), both ways. */
export class Vocabulary {
  readonly byToken: Map<string, number>;
  readonly byId: string[] = [];

  constructor(entries: Iterable<[string, number]>) {
    this.byToken = new Map(entries);
    for (const [token, id] of this.byToken) this.byId[id] = token;
  }

  get size(): number {
    return this.byToken.size;
  }
}

/** What the vocabulary-based models (BPE, WordPiece, WordLevel) share: lookups both ways. */
export abstract class VocabularyModel implements Model {
  abstract readonly unknownId: number | undefined;

  constructor(protected readonly vocab: Vocabulary) {}

  get vocabSize(): number {
    return this.vocab.size;
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.byToken.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.vocab.byId[id];
  }

  abstract tokenize(word: string, out: TokenBuffer): void;
}

/** Words repeat: a model's result per word ([id, start, end, …]) is remembered, up to a bound, then forgotten at once. */
export class WordCache {
  private readonly results = new Map<string, Int32Array>();

  constructor(private readonly limit = 100_000) {}

  get(word: string, compute: (word: string) => Int32Array): Int32Array {
    let result = this.results.get(word);
    if (result === undefined) {
      result = compute(word);
      if (this.results.size >= this.limit) this.results.clear();
      this.results.set(word, result);
    }
    return result;
  }
}

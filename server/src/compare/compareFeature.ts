import type { CancellationToken } from 'vscode-languageserver';
import {
  CompareTokenizersRequest,
  type CompareTokenizersParams,
  type CompareTokenizersResult,
  type FailedTokenizerComparison,
  type TokenizerComparison,
} from '../protocol';
import type { DocumentServices } from '../tokenLens/documentServices';
import { tokenizerLabel } from '../tokenLens/tokenizerRefs';
import type { TaskOutput } from '../tokenLens/tokenizerTasks';
import { comparisonTokenizers, unique } from './comparisonDefaults';
import { textSize, type TextSize } from './textSize';

/** Answers embeddingLens/compareTokenizers: each tokenizer's split of a document or range, with its statistics. */
export class CompareFeature {
  constructor(private readonly services: DocumentServices) {}

  register(): void {
    this.services.connection.onRequest(CompareTokenizersRequest, (params, token) => this.compare(params, token));
  }

  private async compare(params: CompareTokenizersParams, token: CancellationToken): Promise<CompareTokenizersResult | null> {
    const document = this.services.documents.get(params.textDocument.uri);
    if (!document) return null;
    const tokenizers =
      params.tokenizers && params.tokenizers.length > 0
        ? unique(params.tokenizers.map((t) => this.services.settings.resolveTokenizer(t)))
        : comparisonTokenizers(await this.services.settings.get());
    const { version } = document;
    const range = params.range ?? { start: { line: 0, character: 0 }, end: document.positionAt(document.getText().length) };
    const start = document.offsetAt(range.start);
    const text = document.getText(range);
    let size: TextSize | undefined;
    const comparisons = await Promise.all(
      tokenizers.map(async (tokenizer): Promise<TokenizerComparison | FailedTokenizerComparison> => {
        const label = tokenizerLabel(tokenizer);
        if (token.isCancellationRequested) return { tokenizer, label, error: 'cancelled' };
        try {
          const result = await this.services.tasks.run('compare', tokenizer, { text, start }, text.length);
          size = result.size;
          return comparisonOf(tokenizer, label, result);
        } catch (error) {
          return { tokenizer, label, error: (error as Error).message };
        }
      }),
    );
    size ??= textSize(text); // every tokenizer failed; measure here
    return { uri: document.uri, version, range, characters: size.characters, bytes: size.bytes, comparisons };
  }
}

function comparisonOf(tokenizer: string, label: string, result: TaskOutput<'compare'>): TokenizerComparison {
  const { count, unknownTokenId, unknownCount, tokens, tokensTruncated, size } = result;
  return {
    tokenizer,
    label,
    count,
    charsPerToken: count > 0 ? size.characters / count : null,
    bytesPerToken: count > 0 ? size.bytes / count : null,
    unknownRate: count > 0 ? unknownCount / count : 0,
    ...(unknownTokenId === undefined ? {} : { unknownTokenId }),
    tokens,
    tokensTruncated,
  };
}

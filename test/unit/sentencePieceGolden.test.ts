import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadSentencePieceModel } from '../../server/src/tokenizers/sentencepiece/sentencePieceTokenizer';
import { sharedDir, skipWithoutShared } from '../support/paths';

interface GoldenRow {
  ids: number[];
  pieces: string[];
  decoded: string;
}

interface Golden {
  strings: string[];
  files: { sentencepiece: Record<string, string> };
  sentencepiece: Record<string, GoldenRow[]>;
}

const SHOWN_MISMATCHES = 8;

test('SentencePiece models match sentencepiece 0.2.2 on every golden row (ids, pieces, decode)', { skip: skipWithoutShared }, () => {
  const tokenizersDir = path.join(sharedDir!, 'tokenizers');
  const golden = JSON.parse(readFileSync(path.join(tokenizersDir, 'reference', 'golden-public.json'), 'utf8')) as Golden;
  let rows = 0;
  let matched = 0;
  const mismatches: string[] = [];
  for (const [name, rowsOfModel] of Object.entries(golden.sentencepiece)) {
    const file = golden.files.sentencepiece[name];
    const tokenizer = loadSentencePieceModel(readFileSync(path.join(tokenizersDir, file)), file, name);
    rowsOfModel.forEach((row, i) => {
      rows++;
      const text = golden.strings[i];
      const encoding = tokenizer.encode(text);
      const decoded = tokenizer.decode(row.ids);
      const problems = [
        JSON.stringify(encoding.ids) !== JSON.stringify(row.ids) && `ids ${JSON.stringify(encoding.ids)} != ${JSON.stringify(row.ids)}`,
        JSON.stringify(encoding.tokens) !== JSON.stringify(row.pieces) &&
          `pieces ${JSON.stringify(encoding.tokens)} != ${JSON.stringify(row.pieces)}`,
        decoded !== row.decoded && `decode ${JSON.stringify(decoded)} != ${JSON.stringify(row.decoded)}`,
      ].filter(Boolean);
      if (problems.length === 0) matched++;
      else mismatches.push(`${name} #${i} ${JSON.stringify(text).slice(0, 60)}: ${problems.join('; ')}`);
    });
  }
  console.log(`sentencepiece golden: ${matched}/${rows} rows`);
  assert.ok(rows > 0, 'the golden file has sentencepiece rows');
  assert.equal(mismatches.length, 0, `first mismatches:\n${mismatches.slice(0, SHOWN_MISMATCHES).join('\n')}`);
});

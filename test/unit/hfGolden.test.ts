/** Every `hf` row of ../shared/tokenizers/reference/golden-public.json, through our tokenizer.json pipeline. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { tokenizerFromJsonText } from '../../server/src/tokenizers/hf/tokenizerJson';
import { sharedDir, skipWithoutShared } from '../support/paths';
import { codePointOffsetsToUtf16, type GoldenFile } from '../support/golden';

interface HfRow {
  ids: number[];
  tokens: string[];
  offsets: Array<[number, number]>;
  ids_plain: number[];
  decoded: string;
}

test('tokenizer.json pipeline matches every HF reference row', { skip: skipWithoutShared }, () => {
  const root = path.join(sharedDir!, 'tokenizers');
  const golden = JSON.parse(readFileSync(path.join(root, 'reference', 'golden-public.json'), 'utf8')) as GoldenFile<HfRow>;
  const failures: string[] = [];
  let rows = 0;
  let matched = 0;
  for (const [name, expectedRows] of Object.entries(golden.hf)) {
    const file = path.join(root, golden.files.hf[name]);
    let tokenizer: ReturnType<typeof tokenizerFromJsonText>;
    try {
      tokenizer = tokenizerFromJsonText(readFileSync(file, 'utf8'), file, name);
    } catch (error) {
      rows += expectedRows.length;
      failures.push(`${name}: cannot load (${(error as Error).message})`);
      continue;
    }
    expectedRows.forEach((expected, i) => {
      rows++;
      const text = golden.strings[i];
      const problems: string[] = [];
      try {
        const full = tokenizer.encode(text, { addSpecialTokens: true });
        if (JSON.stringify(full.ids) !== JSON.stringify(expected.ids)) problems.push(`ids ${JSON.stringify(full.ids)} != ${JSON.stringify(expected.ids)}`);
        else if (JSON.stringify(full.tokens) !== JSON.stringify(expected.tokens)) problems.push(`tokens ${JSON.stringify(full.tokens)} != ${JSON.stringify(expected.tokens)}`);
        else {
          const offsets = codePointOffsetsToUtf16(text, expected.offsets);
          if (JSON.stringify(full.offsets) !== JSON.stringify(offsets)) problems.push(`offsets ${JSON.stringify(full.offsets)} != ${JSON.stringify(offsets)}`);
        }
        const plain = tokenizer.encodeIds(text);
        if (JSON.stringify(plain) !== JSON.stringify(expected.ids_plain)) problems.push(`ids_plain ${JSON.stringify(plain)} != ${JSON.stringify(expected.ids_plain)}`);
        const decoded = tokenizer.decode(expected.ids_plain);
        if (decoded !== expected.decoded) problems.push(`decoded ${JSON.stringify(decoded)} != ${JSON.stringify(expected.decoded)}`);
      } catch (error) {
        problems.push(`threw ${(error as Error).message}`);
      }
      if (problems.length === 0) matched++;
      else failures.push(`${name} #${i} ${JSON.stringify(text).slice(0, 60)}: ${problems.join('; ')}`);
    });
  }
  console.log(`hf golden: ${matched}/${rows} rows match`);
  assert.deepEqual(failures.slice(0, 15), [], `${failures.length} rows differ`);
});

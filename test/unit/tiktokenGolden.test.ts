import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { TokenizerCatalog } from '../../server/src/tokenizers/catalog';
import { sharedDir, skipWithoutShared } from '../support/paths';

interface GoldenTiktokenRow {
  ids: number[];
  ids_special: number[];
}
interface Golden {
  strings: string[];
  tiktoken: Record<string, GoldenTiktokenRow[]>;
}

const catalog = new TokenizerCatalog();

test('tiktoken encodings equal the golden rows of tiktoken 0.14', { skip: skipWithoutShared }, async (t) => {
  const golden = JSON.parse(readFileSync(path.join(sharedDir!, 'tokenizers/reference/golden-public.json'), 'utf8')) as Golden;
  let checked = 0;
  for (const [name, rows] of Object.entries(golden.tiktoken)) {
    await t.test(name, async () => {
      const tokenizer = await catalog.load(name);
      rows.forEach((row, i) => {
        const text = golden.strings[i];
        assert.deepEqual(tokenizer.encodeIds(text), row.ids, `${name} ids of string ${i} ${JSON.stringify(text.slice(0, 60))}`);
        assert.deepEqual(tokenizer.encodeIds(text, { allowSpecial: true }), row.ids_special, `${name} ids_special of string ${i}`);
        assert.equal(tokenizer.count(text), row.ids.length);
        assert.deepEqual(tokenizer.encode(text).ids, row.ids);
        assert.equal(tokenizer.decode(row.ids_special), text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
        checked += 2;
      });
    });
  }
  t.diagnostic(`golden tiktoken rows matched: ${checked} (ids and ids_special) over ${Object.keys(golden.tiktoken).length} encodings`);
});

// The word under the cursor for the word-vector hover and query commands: whole non-space runs the vectors know
// ("new_york", "#hashtag", "<user>", "e-mail") before the Unicode word, punctuation around runs left out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lookupSpellings, wordAt } from '../../server/src/wordVectors/wordAt';

/** The word at the first "|" of `marked` (the bar removed), as wordAt finds it with the given vocabulary. */
function at(marked: string, vocabulary: readonly string[] = []): string | undefined {
  const offset = marked.indexOf('|');
  assert.notEqual(offset, -1, `no cursor in ${marked}`);
  const line = marked.slice(0, offset) + marked.slice(offset + 1);
  const span = wordAt(line, offset, (word) => vocabulary.includes(word));
  if (span) assert.equal(line.slice(span.start, span.end), span.word, 'the span locates the word');
  return span?.word;
}

test('a known whole run wins over the Unicode word inside it', () => {
  const vocabulary = ['new_york', '#hashtag', '<user>', 'e-mail', 'U.S.', 'C++'];
  assert.equal(at('I moved to new_y|ork last year', vocabulary), 'new_york');
  assert.equal(at('I moved to new|_york last year', vocabulary), 'new_york', 'on the underscore');
  assert.equal(at('trending |#hashtag today', vocabulary), '#hashtag', 'on the #');
  assert.equal(at('hello <us|er> how', vocabulary), '<user>');
  assert.equal(at('send an e-ma|il.', vocabulary), 'e-mail', 'the full stop left out');
  assert.equal(at('the U.|S. economy', vocabulary), 'U.S.', 'the raw run, dots and all, before the trimmed "U.S"');
  assert.equal(at('I like C|++', vocabulary), 'C++');
});

test('punctuation around a run is left out: quotes, commas, brackets', () => {
  const vocabulary = ['new_york', '<user>', 'king'];
  assert.equal(at('"new_yo|rk",', vocabulary), 'new_york');
  assert.equal(at('(<us|er>)', vocabulary), '<user>');
  assert.equal(at('«ki|ng»;', vocabulary), 'king');
  assert.equal(at('the ki|ng, the queen', vocabulary), 'king');
});

test('unknown runs fall back to the Unicode word', () => {
  assert.equal(at('I moved to new_y|ork'), 'york');
  assert.equal(at('I moved to ne|w_york'), 'new');
  assert.equal(at('send an e-ma|il'), 'e-mail', 'inner hyphens belong to the Unicode word');
  assert.equal(at('the ki|ng, the queen', ['king,']), 'king,', 'a vocabulary that keeps the comma gets it');
  assert.equal(at('the ki|ng, the queen'), 'king');
  assert.equal(at('日本語の|テキスト'), '日本語のテキスト', 'spaceless scripts: the whole run is the Unicode word');
});

test('between Unicode words, the trimmed run if it holds a letter or digit', () => {
  assert.equal(at('I moved to new|_york'), 'new_york', 'on the underscore: nothing else is there');
  assert.equal(at('trending |#hashtag'), '#hashtag');
  assert.equal(at('a |<user> b'), '<user>');
  assert.equal(at('x |= 1'), undefined, 'an operator alone is no word');
  assert.equal(at('the king|, the queen'), undefined, 'on the comma after a word');
  assert.equal(at('the king,| the queen'), undefined, 'on a space');
  assert.equal(at('|'), undefined, 'an empty line');
});

test('the end of the line counts as the end of the word; elsewhere the character under the cursor does', () => {
  assert.equal(at('last word|'), 'word');
  assert.equal(at('last new_york|', ['new_york']), 'new_york');
  assert.equal(at('|first word'), 'first');
  assert.equal(at('two| words'), undefined);
});

test('without a vocabulary, the Unicode word', () => {
  const line = 'I moved to new_york';
  assert.deepEqual(wordAt(line, line.indexOf('york') + 1), { word: 'york', start: line.indexOf('york'), end: line.length });
});

test('lookupSpellings: as written, lower-cased, capitalised, each once', () => {
  assert.deepEqual(lookupSpellings('PARIS'), ['PARIS', 'paris', 'Paris']);
  assert.deepEqual(lookupSpellings('paris'), ['paris', 'Paris']);
  assert.deepEqual(lookupSpellings('Paris'), ['Paris', 'paris']);
});

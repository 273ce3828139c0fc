#!/usr/bin/env bash
# Regenerates test/fixtures/vectors/fasttext-small.*: a tiny fastText skip-gram model trained by Debian's fasttext
# (0.9.2), what `fasttext print-word-vectors` prints for words in and out of its vocabulary, and the same vectors
# recomputed exactly (float32 bit patterns) in Python from the matrix as gensim loads it.
# Needs /usr/bin/fasttext and /usr/bin/python3 with gensim and numpy. Run from the repository root.
set -euo pipefail
out=test/fixtures/vectors
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# -t 1 keeps every occurrence (the default sub-sampling would skip most words of so small a corpus).
# A small corpus with accented, CJK and Cyrillic words, repeated so every word is seen a few times.
for round in 1 2 3 4 5 6; do
  cat <<'TEXT'
the quick brown fox jumps over the lazy dog near the river bank
a café in the old town serves coffee and cake to every visitor
die größe der stadt überrascht viele besucher aus dem norden
日本語 の 文章 も 少し 混ぜて おく 東京都 は 大きい
москва большой город и река течёт через центр
vectors of words come from their characters and their neighbours
the dog and the fox are friends of the river and the bank
TEXT
done >"$work/corpus.txt"

fasttext skipgram -input "$work/corpus.txt" -output "$work/model" -dim 8 -minCount 1 -bucket 1000 -minn 2 -maxn 4 \
  -epoch 5 -t 1 -thread 1 -seed 1 -verbose 0
cp "$work/model.bin" "$out/fasttext-small.bin"

# In the vocabulary (including the end-of-sentence word), then out of it.
printf '%s\n' the café größe 日本語 москва '</s>' naïve 東京 xyzzy thequickbrownfox Ünïcödé Q >"$out/fasttext-small.queries.txt"
fasttext print-word-vectors "$out/fasttext-small.bin" <"$out/fasttext-small.queries.txt" >"$out/fasttext-small.printed.txt"

/usr/bin/python3 - "$out/fasttext-small.bin" "$out/fasttext-small.queries.txt" >"$out/fasttext-small.exact.txt" <<'PY'
# fastText's getWordVector, written from its description: the word's own row (when it has one) then its character
# n-grams (n = minn..maxn over "<word>", whole UTF-8 characters, hashed by FNV-1a over sign-extended bytes, modulo
# bucket, after the word rows), summed in that order in float32 and multiplied by float32(1 / rows).
import sys
import numpy as np
from gensim.models import _fasttext_bin
from gensim.models.fasttext import ft_ngram_hashes

with open(sys.argv[1], 'rb') as f:
    model = _fasttext_bin.load(f, full_model=True)
matrix = model.vectors_ngrams.astype(np.float32)
vocab = list(model.raw_vocab)
nwords = model.nwords

def fnv(data):
    h = 2166136261
    for b in data:
        h = (h ^ ((b - 256 if b >= 128 else b) & 0xFFFFFFFF)) & 0xFFFFFFFF
        h = (h * 16777619) & 0xFFFFFFFF
    return h

def ngram_rows(word):
    data = ('<' + word + '>').encode('utf-8')
    rows = []
    for i in range(len(data)):
        if data[i] & 0xC0 == 0x80:
            continue
        j, n = i, 1
        while j < len(data) and n <= model.maxn:
            j += 1
            while j < len(data) and data[j] & 0xC0 == 0x80:
                j += 1
            if n >= model.minn and not (n == 1 and (i == 0 or j == len(data))):
                rows.append(nwords + fnv(data[i:j]) % model.bucket)
            n += 1
    # gensim's own n-gram hashing must find the same rows (in its own order).
    assert sorted(r - nwords for r in rows) == sorted(ft_ngram_hashes(word, model.minn, model.maxn, model.bucket)), word
    return rows

for word in open(sys.argv[2], encoding='utf-8').read().split():
    rows = [vocab.index(word)] if word in vocab else []
    if word != '</s>':
        rows += ngram_rows(word)
    acc = np.zeros(matrix.shape[1], dtype=np.float32)
    for r in rows:
        acc = acc + matrix[r]
    if rows:
        acc = acc * np.float32(1.0 / len(rows))
    print(word, ' '.join('%08x' % v for v in acc.view(np.uint32)))
PY
ls -l "$out"/fasttext-small.*

#!/usr/bin/env python3
"""gensim KeyedVectors' answers to similarity queries on the shared GloVe file, the reference for our query tests.

Usage: /usr/bin/python3 scripts/gensim-queries.py SHARED_DIR > test/fixtures/vectors/gensim-queries.json

Runs most_similar (with negatives and restrict_vocab), most_similar_cosmul, doesnt_match and similarity on
vectors/glove_twitter_25d_12k.txt and records each answer with gensim's version.
"""
import json
import logging
import os
import sys

import gensim
from gensim.models import KeyedVectors

VECTOR_FILE = 'vectors/glove_twitter_25d_12k.txt'

MOST_SIMILAR = [
    {'positive': ['music'], 'negative': [], 'topn': 10},
    {'positive': ['king'], 'negative': [], 'topn': 10},
    {'positive': ['university'], 'negative': [], 'topn': 5, 'restrict_vocab': 2000},
    {'positive': ['king', 'woman'], 'negative': ['man'], 'topn': 10},
    {'positive': ['paris', 'germany'], 'negative': ['france'], 'topn': 10},
    {'positive': ['hotel', 'car'], 'negative': [], 'topn': 8, 'restrict_vocab': 5000},
    {'positive': ['good'], 'negative': ['bad', 'price'], 'topn': 10},
]
COSMUL = [
    {'positive': ['king', 'woman'], 'negative': ['man'], 'topn': 10},
    {'positive': ['paris', 'germany'], 'negative': ['france'], 'topn': 10},
    {'positive': ['music', 'video'], 'negative': [], 'topn': 10},
    {'positive': ['school'], 'negative': ['children', 'money'], 'topn': 6},
]
DOESNT_MATCH = [
    ['breakfast', 'cereal', 'dinner', 'lunch'],
    ['music', 'video', 'dvd', 'hotel'],
    ['january', 'march', 'june', 'software'],
    ['red', 'blue', 'green', 'university', 'not-a-word-here'],
]
SIMILARITY = [['king', 'queen'], ['music', 'video'], ['hotel', 'software'], ['the', 'of']]


def main():
    logging.disable(logging.WARNING)
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'shared')
    vectors = KeyedVectors.load_word2vec_format(os.path.join(shared, VECTOR_FILE), binary=False, no_header=True)
    pairs = lambda result: [[word, float(score)] for word, score in result]
    out = {
        'generator': 'scripts/gensim-queries.py',
        'gensim': gensim.__version__,
        'vectors': VECTOR_FILE,
        'mostSimilar': [
            dict(query, result=pairs(vectors.most_similar(
                positive=query['positive'], negative=query['negative'], topn=query['topn'],
                restrict_vocab=query.get('restrict_vocab'))))
            for query in MOST_SIMILAR
        ],
        'mostSimilarCosmul': [
            dict(query, result=pairs(vectors.most_similar_cosmul(
                positive=query['positive'], negative=query['negative'], topn=query['topn'])))
            for query in COSMUL
        ],
        'doesntMatch': [{'words': words, 'result': vectors.doesnt_match(words)} for words in DOESNT_MATCH],
        'similarity': [{'words': pair, 'result': float(vectors.similarity(*pair))} for pair in SIMILARITY],
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""gensim's evaluation numbers for the shared vectors, as the reference our evaluation tests compare against.

Usage: /usr/bin/python3 scripts/gensim-evaluation.py SHARED_DIR > test/fixtures/vectors/gensim-evaluation.json

For each shared GloVe file: evaluate_word_analogies on questions-words.txt under several settings (per-section
correct/incorrect counts, total score, OOV ratio) and evaluate_word_pairs on WordSim-353 and SimLex-999 (Pearson
and Spearman with p-values, OOV ratio, pairs used). Settings gensim rejects are recorded with its error message.
"""
import json
import logging
import math
import os
import sys
import warnings

import gensim
from gensim.models import KeyedVectors

VECTOR_FILES = ['glove_twitter_25d_12k.txt', 'test_glove.txt']
ANALOGY_SETTINGS = [
    {'restrict_vocab': 30000},
    {'restrict_vocab': 300000},
    {'restrict_vocab': 3000},
    {'restrict_vocab': 30000, 'case_insensitive': False},
    {'restrict_vocab': 30000, 'dummy4unknown': True},
]
PAIR_FILES = ['wordsim353.tsv', 'simlex999.txt']
PAIR_SETTINGS = [
    {'restrict_vocab': 300000},
    {'restrict_vocab': 2000},
    {'restrict_vocab': 300000, 'dummy4unknown': True},
]


def analogies(vectors, questions, settings):
    score, sections = vectors.evaluate_word_analogies(questions, **settings)
    # The OOV ratio is only logged by gensim: count it the same way here.
    ok = {word.upper() if settings.get('case_insensitive', True) else word
          for word in vectors.index_to_key[:settings['restrict_vocab']]}
    questions_seen = oov = 0
    with open(questions, encoding='utf-8') as lines:
        for line in lines:
            if line.startswith(': '):
                continue
            words = line.split()
            if len(words) != 4:
                continue
            if settings.get('case_insensitive', True):
                words = [word.upper() for word in words]
            questions_seen += 1
            oov += any(word not in ok for word in words)
    return {
        'settings': settings,
        'score': score,
        'sections': [{'section': s['section'], 'correct': len(s['correct']), 'incorrect': len(s['incorrect'])}
                     for s in sections],
        'questions': questions_seen,
        'oovQuestions': oov,
    }


def number(value):
    """JSON has no NaN: scipy's undefined correlation (a constant input) becomes null."""
    value = float(value)
    return None if math.isnan(value) else value


def pairs(vectors, file, settings):
    try:
        pearson, spearman, oov_ratio = vectors.evaluate_word_pairs(file, **settings)
    except ValueError as error:
        # The message names the file: keep its base name, so the fixture does not depend on where ../shared is.
        return {'settings': settings, 'error': str(error).replace(file, os.path.basename(file))}
    return {
        'settings': settings,
        'pearson': {'r': number(pearson[0]), 'p': number(pearson[1])},
        'spearman': {'rho': number(spearman[0]), 'p': number(spearman[1])},
        'oovRatio': number(oov_ratio),
    }


def main():
    shared = sys.argv[1]
    logging.disable(logging.CRITICAL)
    warnings.simplefilter('ignore')  # scipy warns about the constant inputs recorded as null
    result = {'gensim': gensim.__version__, 'vectors': {}}
    for name in VECTOR_FILES:
        vectors = KeyedVectors.load_word2vec_format(os.path.join(shared, 'vectors', name), binary=False, no_header=True)
        questions = os.path.join(shared, 'eval', 'questions-words.txt')
        result['vectors'][name] = {
            'words': len(vectors.index_to_key),
            'dim': vectors.vector_size,
            'analogies': [analogies(vectors, questions, settings) for settings in ANALOGY_SETTINGS],
            'pairs': {file: [pairs(vectors, os.path.join(shared, 'eval', file), settings) for settings in PAIR_SETTINGS]
                      for file in PAIR_FILES},
        }
    json.dump(result, sys.stdout, indent=1, allow_nan=False)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()

/**
 * Analogy accuracy as gensim 4's KeyedVectors.evaluate_word_analogies computes it, number for number: questions with a
 * word outside the evaluation vocabulary are skipped (or, with dummy4unknown, counted wrong); the others are answered
 * by 3CosAdd over the restricted rows, gensim's way: most_similar(positive=[b, c], negative=[a], topn=5), then the
 * first answer whose key is not a, b or c.
 */
import type { WordVectors } from '../wordVectors';
import { parseAnalogyQuestions } from './analogyQuestions';
import { cosAddTopRows } from './cosAddScan';
import { readEvaluationLines } from './evaluationLines';
import { DEFAULT_RESTRICT_VOCAB, evaluationVocabulary, type EvaluationVocabulary } from './evaluationVocabulary';

export interface AnalogyOptions {
  /** Only the first N words (the most frequent) are candidates; questions using others are out of vocabulary. */
  restrictVocab?: number;
  /** Compare upper-cased words; of several spellings, the most frequent row is used. Default true. */
  caseInsensitive?: boolean;
  /** Count questions with unknown words as wrong instead of skipping them. Default false. */
  dummy4unknown?: boolean;
  signal?: AbortSignal;
  /** Called as the rows are scanned (all questions at once): rows done, rows in all. */
  onProgress?(done: number, total: number): void;
}

export interface AnalogySectionScore {
  section: string;
  correct: number;
  incorrect: number;
  /** correct / (correct + incorrect), 0 for a section with no answered question (as gensim). */
  score: number;
}

export interface AnalogyEvaluation {
  /** The total accuracy. */
  score: number;
  sections: AnalogySectionScore[];
  /** gensim's "Total accuracy" section. */
  total: AnalogySectionScore;
  /** Well-formed questions read. */
  questions: number;
  /** Questions with a word outside the evaluation vocabulary. */
  oovQuestions: number;
  /** oovQuestions as a percentage of questions, as gensim logs it. */
  oovRatio: number;
  /** 1-based lines skipped as neither a section, a four-word question, nor blank (gensim skips them too). */
  invalidLines: number[];
}

/** gensim asks most_similar for five answers and takes the first that is not a question word. */
const ANSWERS = 5;

export async function evaluateWordAnalogies(vectors: WordVectors, file: string, options: AnalogyOptions = {}): Promise<AnalogyEvaluation> {
  const { restrictVocab = DEFAULT_RESTRICT_VOCAB, caseInsensitive = true, dummy4unknown = false, signal, onProgress } = options;
  const { sections, invalidLines } = parseAnalogyQuestions(await readEvaluationLines(file), file);
  const vocabulary = evaluationVocabulary(vectors, restrictVocab, caseInsensitive);

  // Questions all of whose words are known, as rows [a, b, c, expected]; the others only count.
  const scores = sections.map(({ section }) => ({ section, correct: 0, incorrect: 0, score: 0 }));
  const answerable: { section: number; rows: [number, number, number, number]; keys: string[] }[] = [];
  let questions = 0;
  let oovQuestions = 0;
  sections.forEach((section, s) => {
    for (const question of section.questions) {
      questions++;
      const keys = question.words.map(vocabulary.key);
      const rows = keys.map((key) => vocabulary.rows.get(key));
      if (rows.some((row) => row === undefined)) {
        oovQuestions++;
        if (dummy4unknown) scores[s].incorrect++;
      } else answerable.push({ section: s, rows: rows as [number, number, number, number], keys });
    }
  });

  const questionRows = Int32Array.from(answerable.flatMap(({ rows: [a, b, c] }) => [a, b, c]));
  const best = await cosAddTopRows(vectors, vocabulary.limit, questionRows, ANSWERS + 3, { signal, onProgress });
  answerable.forEach((question, q) => {
    const correct = predictedKey([...best[q]], question.rows, question.keys, vectors, vocabulary) === question.keys[3];
    if (correct) scores[question.section].correct++;
    else scores[question.section].incorrect++;
  });

  for (const section of scores) section.score = accuracy(section.correct, section.incorrect);
  const correct = scores.reduce((sum, section) => sum + section.correct, 0);
  const incorrect = scores.reduce((sum, section) => sum + section.incorrect, 0);
  const total = { section: 'Total accuracy', correct, incorrect, score: accuracy(correct, incorrect) };
  return { score: total.score, sections: scores, total, questions, oovQuestions, oovRatio: questions === 0 ? 0 : (100 * oovQuestions) / questions, invalidLines };
}

function accuracy(correct: number, incorrect: number): number {
  return correct + incorrect === 0 ? 0 : correct / (correct + incorrect);
}

/**
 * The answer gensim takes from the best rows (best first): leave out the question words' rows, keep five, and take
 * the first whose key is not one of a, b, c. When none qualifies, gensim's loop ends on the last one it looked at.
 */
function predictedKey(best: number[], rows: readonly number[], keys: readonly string[], vectors: WordVectors, vocabulary: EvaluationVocabulary): string | undefined {
  const ignore = new Set(keys.slice(0, 3));
  let predicted: string | undefined;
  for (const row of best.filter((candidate) => !rows.slice(0, 3).includes(candidate)).slice(0, ANSWERS)) {
    predicted = vocabulary.key(vectors.words[row]);
    if (vocabulary.rows.has(predicted) && !ignore.has(predicted)) break;
  }
  return predicted;
}

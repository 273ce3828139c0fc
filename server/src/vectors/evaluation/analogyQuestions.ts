/**
 * The Google analogy format (questions-words.txt): ": section name" lines, then one "a b c expected" question per
 * line (a is to b as c is to expected). Blank lines are skipped; other lines that are not four words are skipped and
 * their numbers returned (gensim logs and skips them). A question before the first section is an error naming the
 * line, as gensim raises for it.
 */
import { EvaluationFileError } from './evaluationFileError';

export interface AnalogySectionQuestions {
  section: string;
  /** Each question's words as written, with the 1-based line it came from. */
  questions: { words: [string, string, string, string]; line: number }[];
}

export interface AnalogyQuestionsFile {
  sections: AnalogySectionQuestions[];
  /** 1-based lines that were neither a section, a question of four words, nor blank. */
  invalidLines: number[];
}

export function parseAnalogyQuestions(lines: readonly string[], file: string): AnalogyQuestionsFile {
  const sections: AnalogySectionQuestions[] = [];
  const invalidLines: number[] = [];
  lines.forEach((text, i) => {
    const line = i + 1;
    if (text.startsWith(': ')) {
      // gensim's line.lstrip(': ').strip()
      sections.push({ section: text.replace(/^[: ]+/, '').trim(), questions: [] });
      return;
    }
    const trimmed = text.trim();
    if (trimmed === '') return;
    const current = sections[sections.length - 1];
    if (!current) throw new EvaluationFileError(file, 'an analogy question before the first ": section" line', line);
    const words = trimmed.split(/\s+/);
    if (words.length !== 4) invalidLines.push(line);
    else current.questions.push({ words: words as [string, string, string, string], line });
  });
  return { sections, invalidLines };
}

/**
 * The Google analogy format (questions-words.txt): ": section name" lines, then one "a b c expected" question per
 * line (a is to b as c is to expected). Blank lines are skipped; anything else is an error naming the line, as is a
 * question before the first section (gensim raises for that one too; it logs and skips malformed questions).
 */
import { EvaluationFileError } from './evaluationFileError';

export interface AnalogySectionQuestions {
  section: string;
  /** Each question's words as written, with the 1-based line it came from. */
  questions: { words: [string, string, string, string]; line: number }[];
}

export function parseAnalogyQuestions(lines: readonly string[], file: string): AnalogySectionQuestions[] {
  const sections: AnalogySectionQuestions[] = [];
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
    if (words.length !== 4) {
      throw new EvaluationFileError(file, `expected ": section" or four words (a b c expected), found ${words.length} word${words.length === 1 ? '' : 's'}`, line);
    }
    current.questions.push({ words: words as [string, string, string, string], line });
  });
  return sections;
}

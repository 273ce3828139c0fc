import { fileProblem } from '../formats/vectorFileError';

/** A problem with an evaluation file (analogy questions, word pairs), naming the file and, where there is one, the line. */
export class EvaluationFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
    readonly line?: number,
  ) {
    super(fileProblem(file, problem, line));
    this.name = 'EvaluationFileError';
  }
}

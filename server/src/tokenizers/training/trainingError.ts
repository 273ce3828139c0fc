/** A training run that cannot go ahead as asked: bad options, or a corpus with nothing to learn from. */
export class TrainingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingError';
  }
}

/** A training request that cannot run (a bad option, a corpus without words): the message says which and why. */
export class VectorTrainingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VectorTrainingError';
  }
}

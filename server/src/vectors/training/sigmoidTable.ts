/**
 * Sigmoid and its log loss from tables, as word2vec.c and fastText do: the inner loop looks a value up instead of
 * calling Math.exp and Math.log. Scores beyond ±MAX_SCORE are clamped (the sigmoid is within 3.4e-4 of 0 or 1 there).
 */

export const MAX_SCORE = 8;
export const SIGMOID_TABLE_SIZE = 1024;
/** Index = round((score + MAX_SCORE) · SIGMOID_SCALE), clamped to the table. */
export const SIGMOID_SCALE = SIGMOID_TABLE_SIZE / (2 * MAX_SCORE);

export interface SigmoidTables {
  /** sigmoid(x) */
  sigmoid: Float32Array;
  /** -log(sigmoid(x)): the loss of a positive example scored x; a negative one scored x costs the entry for -x. */
  logLoss: Float32Array;
}

export function buildSigmoidTables(): SigmoidTables {
  const sigmoid = new Float32Array(SIGMOID_TABLE_SIZE + 1);
  const logLoss = new Float32Array(SIGMOID_TABLE_SIZE + 1);
  for (let i = 0; i <= SIGMOID_TABLE_SIZE; i++) {
    const x = i / SIGMOID_SCALE - MAX_SCORE;
    sigmoid[i] = 1 / (1 + Math.exp(-x));
    logLoss[i] = Math.log1p(Math.exp(-x));
  }
  return { sigmoid, logLoss };
}

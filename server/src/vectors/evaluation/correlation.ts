/**
 * Pearson and Spearman correlation with two-sided p-values, computed as scipy.stats (1.10) computes them: Pearson's p
 * from the beta distribution of r under independence, Spearman's rho as Pearson's r of average ranks with p from
 * Student's t with n - 2 degrees of freedom. A constant input has no correlation: r and p are NaN, as scipy's.
 */
import { regularizedIncompleteBeta } from './incompleteBeta';

export interface Correlation {
  /** The coefficient (Pearson's r or Spearman's rho). */
  r: number;
  /** Two-sided p-value. */
  p: number;
}

export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): Correlation {
  const n = checkedLength(x, y);
  if (isConstant(x) || isConstant(y)) return { r: NaN, p: NaN };
  if (n === 2) return { r: Math.sign(y[1] - y[0]) * Math.sign(x[1] - x[0]), p: 1 };
  const r = pearsonCoefficient(x, y);
  // Under independence r follows Beta(n/2 - 1, n/2 - 1) stretched to [-1, 1]; both tails by symmetry.
  const shape = n / 2 - 1;
  return { r, p: Math.min(1, 2 * regularizedIncompleteBeta((1 - Math.abs(r)) / 2, shape, shape)) };
}

export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): Correlation {
  const n = checkedLength(x, y);
  if (isConstant(x) || isConstant(y)) return { r: NaN, p: NaN };
  const r = pearsonCoefficient(averageRanks(x), averageRanks(y));
  const freedom = n - 2;
  if (freedom <= 0) return { r, p: NaN };
  if (Math.abs(r) === 1) return { r, p: 0 };
  // t = r √(df / (1 - r²)); two-sided P(|T| > t) = I_{df / (df + t²)}(df / 2, 1 / 2).
  const tSquared = (r * r * freedom) / ((r + 1) * (1 - r));
  return { r, p: regularizedIncompleteBeta(freedom / (freedom + tSquared), freedom / 2, 0.5) };
}

/** 1-based ranks, tied values sharing the mean of their ranks (scipy's rankdata, method 'average'). */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) ranks[order[i]] = rank;
    start = end;
  }
  return ranks;
}

/** Σ (x - x̄)(y - ȳ) / (‖x - x̄‖ ‖y - ȳ‖), clipped to [-1, 1] as scipy clips rounding artifacts. */
function pearsonCoefficient(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let xMean = 0;
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    xMean += x[i];
    yMean += y[i];
  }
  xMean /= n;
  yMean /= n;
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - xMean;
    const dy = y[i] - yMean;
    xy += dx * dy;
    xx += dx * dx;
    yy += dy * dy;
  }
  return Math.max(-1, Math.min(1, xy / Math.sqrt(xx * yy)));
}

function checkedLength(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new Error(`correlation: the samples differ in length (${x.length} and ${y.length})`);
  if (x.length < 2) throw new Error(`correlation: needs at least 2 pairs, got ${x.length}`);
  return x.length;
}

function isConstant(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

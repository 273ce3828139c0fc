/** GloVe's weighting function f(x) = min(1, (x / xMax)^alpha): rare pairs count less, frequent ones are capped. */
export function gloveWeight(x: number, xMax: number, alpha: number): number {
  return x >= xMax ? 1 : Math.pow(x / xMax, alpha);
}

/** Elementwise mean of equal-length arrays. */
export function layerMeanRef(xs: ArrayLike<number>[]): number[] {
  return Array.from(xs[0], (_, i) => xs.reduce((s, x) => s + x[i], 0) / xs.length);
}

/** Slow reference: Y = zeros [n, d]; Y[idx[b]] += X[b]. */
export function scatterAddRowsRef(x: ArrayLike<number>, d: number, idx: ArrayLike<number>, n: number): number[] {
  const out = new Array<number>(n * d).fill(0);
  for (let b = 0; b < idx.length; b++) for (let j = 0; j < d; j++) out[idx[b] * d + j] += x[b * d + j];
  return out;
}

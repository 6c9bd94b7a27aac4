/** Slow reference: Y[b] = X[idx[b]]. */
export function gatherRowsRef(x: ArrayLike<number>, d: number, idx: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let b = 0; b < idx.length; b++) for (let j = 0; j < d; j++) out.push(x[idx[b] * d + j]);
  return out;
}

/** y = x·Wᵀ + b for x [n, in], W [out, in], b [out] or null. */
export function linearRef(x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number> | null, n: number, inDim: number, out: number): number[] {
  const y: number[] = [];
  for (let i = 0; i < n; i++)
    for (let o = 0; o < out; o++) {
      let s = b ? b[o] : 0;
      for (let k = 0; k < inDim; k++) s += x[i * inDim + k] * w[o * inDim + k];
      y.push(s);
    }
  return y;
}

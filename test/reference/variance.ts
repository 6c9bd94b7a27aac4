/** Two-pass variance of every element, Σ(x − mean)²/(n − correction), in plain doubles. */
export function varianceRef(x: ArrayLike<number>, correction = 1): number {
  const n = x.length;
  if (n <= correction) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  const m = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - m) * (x[i] - m);
  return ss / (n - correction);
}

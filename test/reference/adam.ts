/** Slow reference: one torch.optim.Adam step per element (float64), from the documented algorithm. */
export interface AdamRefState {
  p: number[];
  m: number[];
  v: number[];
}

export function adamStepRef(s: AdamRefState, g: ArrayLike<number>, step: number, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, wd = 0): AdamRefState {
  const bc1 = 1 - beta1 ** step;
  const bc2 = 1 - beta2 ** step;
  const out: AdamRefState = { p: [], m: [], v: [] };
  for (let i = 0; i < s.p.length; i++) {
    const gi = g[i] + wd * s.p[i];
    const m = beta1 * s.m[i] + (1 - beta1) * gi;
    const v = beta2 * s.v[i] + (1 - beta2) * gi * gi;
    const mhat = m / bc1;
    const vhat = v / bc2;
    out.m.push(m);
    out.v.push(v);
    out.p.push(s.p[i] - (lr * mhat) / (Math.sqrt(vhat) + eps));
  }
  return out;
}

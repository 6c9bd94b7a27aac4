/** Slow reference: mean_b −log σ(u_b·(p_b − n_b)), in float64, written like the PyTorch code. */
export function bprLossRef(u: ArrayLike<number>, p: ArrayLike<number>, n: ArrayLike<number>, rows: number, d: number, variant: 'logsigmoid' | 'lightgcn' = 'logsigmoid'): number {
  let sum = 0;
  for (let b = 0; b < rows; b++) {
    let pos = 0;
    let neg = 0;
    for (let j = 0; j < d; j++) {
      pos += u[b * d + j] * p[b * d + j];
      neg += u[b * d + j] * n[b * d + j];
    }
    const x = pos - neg;
    const sig = 1 / (1 + Math.exp(-x));
    sum += variant === 'logsigmoid' ? -Math.log(sig) : -Math.log(1e-10 + sig);
  }
  return sum / rows;
}

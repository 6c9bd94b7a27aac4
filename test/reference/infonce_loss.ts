/** Slow reference: SMORE's InfoNCE exactly as coded (F.normalize, no max subtraction), float64. */
function normalize(x: ArrayLike<number>, rows: number, d: number): number[] {
  const out = new Array<number>(rows * d);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] ** 2;
    const den = Math.max(Math.sqrt(s), 1e-12);
    for (let j = 0; j < d; j++) out[i * d + j] = x[i * d + j] / den;
  }
  return out;
}

export function infonceLossRef(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, d: number, tau: number): number {
  const A = normalize(a, rows, d);
  const B = normalize(b, rows, d);
  const dot = (i: number, j: number) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += A[i * d + k] * B[j * d + k];
    return s;
  };
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const pos = Math.exp(dot(i, i) / tau);
    let ttl = 0;
    for (let j = 0; j < rows; j++) ttl += Math.exp(dot(i, j) / tau);
    sum += -Math.log(pos / ttl);
  }
  return sum / rows;
}

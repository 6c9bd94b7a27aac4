/** Slow reference: SMORE's InfoNCE exactly as coded (F.normalize, no max subtraction), float64. */
import { normalizedDots } from './_rows';

export function infonceLossRef(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, d: number, tau: number): number {
  const dot = normalizedDots(a, b, rows, d);
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const pos = Math.exp(dot(i, i) / tau);
    let ttl = 0;
    for (let j = 0; j < rows; j++) ttl += Math.exp(dot(i, j) / tau);
    sum += -Math.log(pos / ttl);
  }
  return sum / rows;
}

/** Tensor comparisons with per-tensor scaled error: max|a−b| / max(max|b|, floor). */
import type { Tensor } from '../../lib/tensor';

export function scaledError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1e-30): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  let maxDiff = 0;
  let maxRef = floor;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= maxDiff)) maxDiff = Number.isNaN(d) ? Infinity : d;
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  return maxDiff / maxRef;
}

export function expectClose(actual: Tensor | ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = 'tensor'): void {
  const a = 'toArray' in (actual as object) ? (actual as Tensor).toArray() : (actual as ArrayLike<number>);
  const err = scaledError(a, expected);
  if (!(err <= tol)) throw new Error(`${what}: scaled error ${err.toExponential(3)} exceeds ${tol}`);
}

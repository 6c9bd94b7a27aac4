/** Slow, obviously correct reference: C = op(A)·op(B) on row-major arrays. */
export function matmulRef(
  a: ArrayLike<number>, aShape: readonly number[], b: ArrayLike<number>, bShape: readonly number[], transA = false, transB = false,
): { data: number[]; shape: [number, number] } {
  const m = transA ? aShape[1] : aShape[0];
  const k = transA ? aShape[0] : aShape[1];
  const n = transB ? bShape[0] : bShape[1];
  const A = (i: number, p: number) => (transA ? a[p * aShape[1] + i] : a[i * aShape[1] + p]);
  const B = (p: number, j: number) => (transB ? b[j * bShape[1] + p] : b[p * bShape[1] + j]);
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A(i, p) * B(p, j);
      out[i * n + j] = s;
    }
  return { data: out, shape: [m, n] };
}

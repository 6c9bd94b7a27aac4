/** Slow reference for SMORE's max-pool fusion on dense matrices with explicit supports. */
export function maxPoolFusionRef(
  n: number, m: number, a: { indptr: ArrayLike<number>; indices: ArrayLike<number>; values: ArrayLike<number> },
  b: { indptr: ArrayLike<number>; indices: ArrayLike<number>; values: ArrayLike<number> },
): Map<string, number> {
  const out = new Map<string, number>();
  for (const g of [a, b])
    for (let r = 0; r < n; r++)
      for (let q = g.indptr[r]; q < g.indptr[r + 1]; q++) {
        const key = `${r},${g.indices[q]}`;
        const prev = out.get(key);
        out.set(key, prev === undefined ? g.values[q] : Math.max(prev, g.values[q]));
      }
  void m;
  return out;
}

/** Slow reference: row-major matrices with equal columns, stacked. */
export function concatRowsRef(parts: ReadonlyArray<ArrayLike<number>>): number[] {
  const out: number[] = [];
  for (const p of parts) for (let i = 0; i < p.length; i++) out.push(p[i]);
  return out;
}

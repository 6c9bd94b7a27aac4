/** Slow reference: rows [start, end) of a row-major [n, d] matrix. */
export function sliceRowsRef(x: ArrayLike<number>, d: number, start: number, end: number): number[] {
  const out: number[] = [];
  for (let i = start; i < end; i++) for (let j = 0; j < d; j++) out.push(x[i * d + j]);
  return out;
}

/** A + alpha·B where B has A's shape or (broadcast) is a row vector [cols] repeated over A's rows. */
export function addRef(a: ArrayLike<number>, b: ArrayLike<number>, cols: number, broadcast: boolean, alpha = 1): number[] {
  return Array.from(a, (v, i) => v + alpha * b[broadcast ? i % cols : i]);
}
/** Column sums of a row-major [rows, cols] array (the gradient of a broadcast row vector). */
export function colSumRef(g: ArrayLike<number>, cols: number): number[] {
  const out = new Array<number>(cols).fill(0);
  for (let i = 0; i < g.length; i++) out[i % cols] += g[i];
  return out;
}

/**
 * Slow reference for full ranking: every score U[b]·I[i] (float64), masked entries set to -1e10,
 * a full sort by (score desc, item asc), first K.
 */
export function scoreTopkRef(
  u: ArrayLike<number>, items: ArrayLike<number>, b: number, n: number, d: number, k: number, exclude?: number[][],
  round: (x: number) => number = (x) => x,
): { indices: number[][]; values: number[][] } {
  const indices: number[][] = [];
  const values: number[][] = [];
  for (let r = 0; r < b; r++) {
    const s: Array<[number, number]> = [];
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let c = 0; c < d; c++) acc += u[r * d + c] * items[i * d + c];
      s.push([round(acc), i]);
    }
    for (const i of exclude?.[r] ?? []) s[i][0] = round(-1e10);
    s.sort((x, y) => y[0] - x[0] || x[1] - y[1]);
    indices.push(s.slice(0, k).map((e) => e[1]));
    values.push(s.slice(0, k).map((e) => e[0]));
  }
  return { indices, values };
}

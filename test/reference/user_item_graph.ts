/**
 * Slow dense reference for protocol §11 get_adj_mat ('sym-sum') and get_norm_adj_mat ('lightgcn'):
 * A = [[0, R], [Rᵀ, S]] as a dense (U+I)² array, degrees, D^-½ A D^-½.
 */
export function userItemGraphRef(
  nUsers: number, nItems: number, users: ArrayLike<number>, items: ArrayLike<number>, mode: 'sym-sum' | 'lightgcn',
  itemItem?: number[], // dense nItems² or undefined
): number[] {
  const n = nUsers + nItems;
  const a = new Array<number>(n * n).fill(0);
  for (let q = 0; q < users.length; q++) {
    const u = users[q], i = nUsers + items[q];
    if (mode === 'lightgcn') { a[u * n + i] = 1; a[i * n + u] = 1; }
    else { a[u * n + i] += 1; a[i * n + u] += 1; }
  }
  if (itemItem)
    for (let i = 0; i < nItems; i++)
      for (let j = 0; j < nItems; j++) {
        const v = itemItem[i * nItems + j];
        if (v !== 0) a[(nUsers + i) * n + nUsers + j] = mode === 'lightgcn' ? 1 : v;
      }
  const dinv = new Array<number>(n).fill(0);
  for (let r = 0; r < n; r++) {
    let deg = 0;
    for (let c = 0; c < n; c++) deg += mode === 'lightgcn' ? (a[r * n + c] !== 0 ? 1 : 0) : a[r * n + c];
    if (mode === 'lightgcn') deg += 1e-7;
    dinv[r] = deg === 0 ? 0 : Math.pow(deg, -0.5);
  }
  return a.map((v, idx) => dinv[Math.floor(idx / n)] * v * dinv[idx % n]);
}

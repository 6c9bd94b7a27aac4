/**
 * userItemGraph: the normalized (U+I)×(U+I) user–item adjacency of protocol §11, users first
 * (node u = user u, node U+i = item i).
 *
 * - 'sym-sum' (SMORE / GUME get_adj_mat): duplicate (u, i) rows add up (weight 2 for a pair seen
 *   twice); deg = weighted row sums; Â = D^-½ A D^-½ with 0^-½ := 0.
 * - 'lightgcn' (get_norm_adj_mat): binary entries (duplicates collapse to 1); deg = nnz of the row
 *   + 1e-7.
 *
 * `itemItem` (GUME's S_sem, nItems×nItems) fills the item–item block before the degrees are taken
 * (binarized in 'lightgcn' mode). Returns the adjacency and R̂ = Â[users, items] (U×I), both
 * coalesced, without stored zeros. Computed in float64 and rounded once to `dtype`. No gradient:
 * constant graphs.
 */
import { MmgError, check } from '../errors';
import { CsrMatrix, type CsrDType } from '../sparse/csr';

export type UserItemGraphMode = 'sym-sum' | 'lightgcn';

export interface UserItemGraphOptions {
  itemItem?: CsrMatrix;
  dtype?: CsrDType;
}

export interface UserItemGraph {
  adj: CsrMatrix;
  R: CsrMatrix;
}

export function userItemGraph(
  nUsers: number,
  nItems: number,
  users: Int32Array | ArrayLike<number>,
  items: Int32Array | ArrayLike<number>,
  mode: UserItemGraphMode,
  opts: UserItemGraphOptions = {},
): UserItemGraph {
  const op = 'userItemGraph';
  check(mode === 'sym-sum' || mode === 'lightgcn', 'MMG_E_ARG', `${op}: expected mode 'sym-sum' or 'lightgcn', got '${String(mode)}'`);
  check(Number.isInteger(nUsers) && nUsers >= 0 && Number.isInteger(nItems) && nItems >= 0, 'MMG_E_ARG',
    `${op}: expected non-negative integer nUsers and nItems, got ${nUsers} and ${nItems}`);
  check(users.length === items.length, 'MMG_E_SHAPE', `${op}: expected users and items of equal length, got ${users.length} and ${items.length}`);
  for (let q = 0; q < users.length; q++) {
    const u = users[q], i = items[q];
    if (!(Number.isInteger(u) && u >= 0 && u < nUsers)) throw new MmgError(`${op}: expected user ids in [0, ${nUsers}), got ${u} at row ${q}`, 'MMG_E_DATA');
    if (!(Number.isInteger(i) && i >= 0 && i < nItems)) throw new MmgError(`${op}: expected item ids in [0, ${nItems}), got ${i} at row ${q}`, 'MMG_E_DATA');
  }
  const S = opts.itemItem;
  if (S) {
    S.assertLive(op);
    check(S.nRows === nItems && S.nCols === nItems, 'MMG_E_SHAPE', `${op}: expected itemItem of shape ${nItems}x${nItems}, got ${S.nRows}x${S.nCols}`);
  }
  const binary = mode === 'lightgcn';
  const ones = new Float64Array(users.length).fill(1);
  const R = CsrMatrix.fromCoo(nUsers, nItems, users, items, ones, { duplicates: binary ? 'collapse' : 'sum', dtype: 'float64' });
  try {
    const Rt = R.transpose();
    const n = nUsers + nItems;
    const rp = R.indptr.data() as Int32Array, rj = R.indices.data() as Int32Array, rv = R.values.data() as Float64Array;
    const tp = Rt.indptr.data() as Int32Array, tj = Rt.indices.data() as Int32Array, tv = Rt.values.data() as Float64Array;
    const sp = S ? (S.indptr.data() as Int32Array) : null;
    const sj = S ? (S.indices.data() as Int32Array) : null;
    const sv = S ? (S.values.data() as Float32Array | Float64Array) : null;
    // Rows of A in node order; every row's columns are already ascending (users < U ≤ items).
    const nnz = 2 * R.nnz + (S ? S.nnz : 0);
    const ap = new Int32Array(n + 1), aj = new Int32Array(nnz), av = new Float64Array(nnz);
    let q = 0;
    for (let u = 0; u < nUsers; u++) {
      for (let e = rp[u]; e < rp[u + 1]; e++) { aj[q] = nUsers + rj[e]; av[q++] = rv[e]; }
      ap[u + 1] = q;
    }
    for (let i = 0; i < nItems; i++) {
      for (let e = tp[i]; e < tp[i + 1]; e++) { aj[q] = tj[e]; av[q++] = tv[e]; }
      if (sp) for (let e = sp[i]; e < sp[i + 1]; e++) { aj[q] = nUsers + sj![e]; av[q++] = binary ? 1 : sv![e]; }
      ap[nUsers + i + 1] = q;
    }
    const dinv = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      let deg = 0;
      if (binary) deg = ap[r + 1] - ap[r] + 1e-7;
      else for (let e = ap[r]; e < ap[r + 1]; e++) deg += av[e];
      const d = Math.pow(deg, -0.5);
      dinv[r] = d === Infinity ? 0 : d;
    }
    // Normalize, dropping entries that become exactly 0 (an edge into a node of degree 0, e.g. a
    // semantic edge to an item with no interactions and no semantic edges of its own): the
    // reference's scipy product D^-½·A·D^-½ does not store zeros, so neither do we.
    let w = 0;
    for (let r = 0, e = 0; r < n; r++) {
      for (const end = ap[r + 1]; e < end; e++) {
        const v = dinv[r] * av[e] * dinv[aj[e]];
        if (v !== 0) { aj[w] = aj[e]; av[w++] = v; }
      }
      ap[r + 1] = w;
    }
    // R̂ is the users' rows of Â with item columns shifted back to [0, I).
    const hp = ap.slice(0, nUsers + 1);
    const hj = aj.slice(0, ap[nUsers]).map((c) => c - nUsers);
    const hv = av.slice(0, ap[nUsers]);
    const dtype = opts.dtype ?? 'float32';
    const cast = (a: Float64Array) => (dtype === 'float64' ? a : Float32Array.from(a));
    const adj = CsrMatrix.fromCsr(n, n, ap, aj.slice(0, w), cast(av.slice(0, w)));
    return { adj, R: CsrMatrix.fromCsr(nUsers, nItems, hp, hj, cast(hv)) };
  } finally {
    R.dispose();
  }
}

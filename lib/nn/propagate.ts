/**
 * The graph propagations the models share: LightGCN over the user–item graph and the MGCN-style
 * item–item view over a modality graph. All are linear in their input; no weights, no activations.
 */
import { record, noGrad } from '../autograd/tape';
import { concatRows, gatherRows, layerMean, scale, scatterAddRows, spmm } from '../ops';
import { CsrMatrix, csrOnDevice } from '../sparse/csr';
import { tensor, type Tensor } from '../tensor';
import { checkedIndex, hostIndices } from './batch';
import { MmgError } from '../errors';

/** LightGCN: the mean of Â^l·X⁰ over l = 0..layers (layer 0 included). */
export function lightgcnMean(adj: CsrMatrix, x0: Tensor, layers: number): Tensor {
  if (layers === 0) return x0;
  let x = x0;
  const all = [x];
  for (let l = 0; l < layers; l++) {
    x = spmm(adj, x);
    all.push(x);
  }
  return layerMean(all);
}

/**
 * lightgcnMean(adj, x0, layers) at `rows` only (cost.md R4, R7), for a loss that reads no other
 * row. `adjRows` holds adj's rows at `rows` (a CsrRowSelection). Every layer but the last still
 * runs on all nodes, as each feeds the next; the last layer and the mean run for the rows only,
 * and no layer is kept for the backward. The backward is the transposed propagation in Horner
 * form: with ḡ = g/(L+1) placed at the rows (S), dX_{L−1} = A_rowsᵀḡ + S = Aᵀ·S + S and
 * dX_{l−1} = Aᵀ·dX_l + S down to dX_0 — one sparse product (with its addend) per layer.
 * Same sums as the tape gives for gatherRows(lightgcnMean(…), rows) with distinct rows.
 */
export function lightgcnMeanAt(adj: CsrMatrix, adjRows: CsrMatrix, x0: Tensor, layers: number, rows: Tensor): Tensor {
  if (layers === 0) return gatherRows(x0, rows);
  const z = noGrad(() => {
    const picked = [gatherRows(x0, rows)];
    let x = x0;
    for (let l = 1; l < layers; l++) {
      const next = spmm(adj, x);
      if (x !== x0) x.dispose();
      x = next;
      picked.push(gatherRows(x, rows));
    }
    picked.push(spmm(adjRows, x));
    if (x !== x0) x.dispose();
    const mean = layerMean(picked);
    for (const t of picked) t.dispose();
    return mean;
  });
  const n = x0.shape[0];
  return record(z, 'lightgcn_mean_at', [x0], (g) => {
    const gl = scale(g, 1 / (layers + 1));
    const S = scatterAddRows(gl, rows, n);
    gl.dispose();
    // A_rowsᵀ·ḡ = Aᵀ·S: the full transposed product (cached with adj) instead of transposing the
    // batch's rows every step.
    let acc = spmm(adj.transpose(), S, S);
    for (let l = layers - 1; l >= 1; l--) {
      const next = spmm(adj.transpose(), acc, S);
      acc.dispose();
      acc = next;
    }
    S.dispose();
    return [acc];
  });
}

/** Item–item propagation keeping only the last layer: S^layers·H⁰. */
export function propagateLast(S: CsrMatrix, h0: Tensor, layers: number): Tensor {
  let h = h0;
  for (let l = 0; l < layers; l++) h = spmm(S, h);
  return h;
}

/** Users read items through R̂ (the user–item block of Â): [R̂·H; H], users first. */
export function withUsers(R: CsrMatrix, h: Tensor): Tensor {
  return concatRows([spmm(R, h), h]);
}

/** A modality's MGCN view: H = S^layers·H⁰ and the stacked [R̂H; H]. */
export function modalityView(S: CsrMatrix, R: CsrMatrix, h0: Tensor, layers: number): { items: Tensor; all: Tensor } {
  const items = propagateLast(S, h0, layers);
  return { items, all: withUsers(R, items) };
}

/**
 * Row subsets of a constant CSR (e.g. R̂'s rows of a batch's users) as small CSRs on the matrix's
 * device, from a host copy of its structure read once. Each new selection disposes the previous
 * one: a selection serves one forward and the backward that follows it.
 */
export class CsrRowSelection {
  private host: { indptr: Int32Array; indices: Int32Array; values: Float32Array | Float64Array } | null = null;
  private last: CsrMatrix | null = null;

  constructor(private readonly m: CsrMatrix) {}

  get nCols(): number {
    return this.m.nCols;
  }

  /** The rows `ids` (ascending or not, each in [0, nRows)) of the matrix, in that order. */
  select(ids: Int32Array): CsrMatrix {
    this.last?.dispose();
    this.last = null;
    const h = (this.host ??= {
      indptr: this.m.indptr.toTypedArray() as Int32Array,
      indices: this.m.indices.toTypedArray() as Int32Array,
      values: this.m.values.toTypedArray() as Float32Array | Float64Array,
    });
    const indptr = new Int32Array(ids.length + 1);
    for (let q = 0; q < ids.length; q++) {
      const r = ids[q];
      // Out of range would read undefined and silently select nothing (e.g. an item id past the
      // graph in a batch, which lands past its last row).
      if (!(r >= 0 && r < this.m.nRows)) throw new MmgError(`batch graph rows: expected row ids in [0, ${this.m.nRows}), got ${r} at ${q}`, 'MMG_E_DATA');
      indptr[q + 1] = indptr[q] + h.indptr[r + 1] - h.indptr[r];
    }
    const nnz = indptr[ids.length];
    const indices = new Int32Array(nnz);
    const values = h.values instanceof Float64Array ? new Float64Array(nnz) : new Float32Array(nnz);
    // Plain loops: a subarray per row (two objects each) cost more than the copying.
    const hi = h.indices, hv = h.values, hp = h.indptr;
    for (let q = 0, w = 0; q < ids.length; q++) for (let p = hp[ids[q]], e = hp[ids[q] + 1]; p < e; p++, w++) {
      indices[w] = hi[p];
      values[w] = hv[p];
    }
    const t = <T extends Int32Array | Float32Array | Float64Array>(a: T, dtype: 'int32' | 'float32' | 'float64') => tensor(a, [a.length], { dtype });
    const host = new CsrMatrix(ids.length, this.m.nCols, t(indptr, 'int32'), t(indices, 'int32'), t(values, this.m.values.dtype as 'float32' | 'float64'));
    // A device copy gets its transpose made on the host as it moves (devices have no csr_transpose).
    return (this.last = this.m.device === 'cpu' ? host : csrOnDevice(host, this.m.device));
  }

  dispose(): void {
    this.last?.dispose();
    this.last = null;
  }
}

/**
 * withUsers(R, h) at the rows of a batch only (cost.md R4): R̂'s rows of the batch's users (`Rb`,
 * a CsrRowSelection) times h, then h at the batch's items. Equal to gathering those rows from
 * withUsers(R, h), without R̂·h for every user.
 */
export function withUsersAt(Rb: CsrMatrix, h: Tensor, items: Tensor): Tensor {
  return concatRows([spmm(Rb, h), gatherRows(h, items)]);
}

/**
 * The per-batch graph pieces a forward restricted to a batch's rows needs (cost.md R4): R̂'s rows
 * of the batch's users with the batch's item ids (withUsersAt), and Â's rows at every batch node
 * (lightgcnMeanAt). Each call replaces the previous batch's pieces.
 */
export class BatchGraphRows {
  private readonly rOf: CsrRowSelection;
  private readonly adjOf: CsrRowSelection;

  constructor(R: CsrMatrix, adj: CsrMatrix, private readonly nUsers: number) {
    this.rOf = new CsrRowSelection(R);
    this.adjOf = new CsrRowSelection(adj);
  }

  /** Â's rows at `rows` (any node ids in [0, N)). */
  adjAt(rows: Tensor): CsrMatrix {
    return this.adjOf.select(hostIndices(rows));
  }

  /**
   * For rows that list every user (< nUsers) before every item (nUsers + i), as batchRows makes
   * them: R̂'s rows of those users and the items' ids. Null for any other order.
   */
  viewAt(rows: Tensor): { Rb: CsrMatrix; items: Tensor } | null {
    const ids = hostIndices(rows);
    const U = this.nUsers;
    let nu = 0;
    while (nu < ids.length && ids[nu] < U) nu++;
    for (let q = nu; q < ids.length; q++) if (ids[q] < U) return null;
    const items = Int32Array.from(ids.subarray(nu), (v) => v - U);
    return { Rb: this.rOf.select(ids.subarray(0, nu)), items: checkedIndex(items, this.rOf.nCols, rows.device, 'batch items') };
  }

  dispose(): void {
    this.rOf.dispose();
    this.adjOf.dispose();
  }
}

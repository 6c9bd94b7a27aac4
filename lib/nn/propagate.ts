/**
 * The graph propagations the models share: LightGCN over the user–item graph and the MGCN-style
 * item–item view over a modality graph. All are linear in their input; no weights, no activations.
 */
import { concatRows, gatherRows, layerMean, spmm } from '../ops';
import { CsrMatrix } from '../sparse/csr';
import { tensor, type Tensor } from '../tensor';

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
    for (let q = 0; q < ids.length; q++) indptr[q + 1] = indptr[q] + h.indptr[ids[q] + 1] - h.indptr[ids[q]];
    const nnz = indptr[ids.length];
    const indices = new Int32Array(nnz);
    const values = h.values instanceof Float64Array ? new Float64Array(nnz) : new Float32Array(nnz);
    for (let q = 0; q < ids.length; q++) {
      const a = h.indptr[ids[q]], b = h.indptr[ids[q] + 1];
      indices.set(h.indices.subarray(a, b), indptr[q]);
      values.set(h.values.subarray(a, b), indptr[q]);
    }
    const device = this.m.indptr.device;
    const t = <T extends Int32Array | Float32Array | Float64Array>(a: T, dtype: 'int32' | 'float32' | 'float64') => tensor(a, [a.length], { dtype, device });
    // The rows of a valid CSR form a valid CSR: no check needed.
    const sub = new CsrMatrix(ids.length, this.m.nCols, t(indptr, 'int32'), t(indices, 'int32'), t(values, this.m.values.dtype as 'float32' | 'float64'));
    sub.validated = this.m.validated;
    return (this.last = sub);
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

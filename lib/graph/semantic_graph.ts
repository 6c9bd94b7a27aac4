/**
 * semanticGraph: GUME's semantic item–item graph S_sem (gume.md §2, `find_inter` + `add_edge`).
 * Item j is a semantic neighbour of item i when j is in BOTH of i's kNN rows (image and text) and
 * j ≠ i; S_sem[i, j] = 1 then. Binary and directed (j in i's lists does not imply the reverse).
 *
 * Computed per row as the intersection of the two column-sorted CSR rows (a merge, O(k) per row),
 * so it is correct for any k, and for different k per modality. The reference instead walks the
 * two COO index arrays in lock-step and closes a group every 10 entries: it is right only when
 * both graphs have exactly 10 entries per row (knn_k = 10, GUME's only configuration); with another
 * k its groups straddle rows silently. For k = 10 the two agree (fixtures/graphs, fixtures/gume).
 * No gradient: a constant graph built once from the initial-feature kNN graphs.
 */
import { check } from '../errors';
import { CsrMatrix, type CsrDType } from '../sparse/csr';

export interface SemanticGraphOptions {
  /** Value dtype of the result (default: the image graph's). */
  dtype?: CsrDType;
}

export function semanticGraph(image: CsrMatrix, text: CsrMatrix, opts: SemanticGraphOptions = {}): CsrMatrix {
  const op = 'semanticGraph';
  image.assertLive(op);
  text.assertLive(op);
  const n = image.nRows;
  check(image.nCols === n && text.nRows === n && text.nCols === n, 'MMG_E_SHAPE',
    `${op}: expected two square item graphs of the same size, got ${image.nRows}x${image.nCols} and ${text.nRows}x${text.nCols}`);
  const ap = image.indptr.toTypedArray() as Int32Array, aj = image.indices.toTypedArray() as Int32Array;
  const bp = text.indptr.toTypedArray() as Int32Array, bj = text.indices.toTypedArray() as Int32Array;
  const sp = new Int32Array(n + 1);
  const sj = new Int32Array(Math.min(image.nnz, text.nnz));
  let q = 0;
  for (let i = 0; i < n; i++) {
    let a = ap[i], b = bp[i];
    const ae = ap[i + 1], be = bp[i + 1];
    while (a < ae && b < be) {
      if (aj[a] < bj[b]) a++;
      else if (bj[b] < aj[a]) b++;
      else {
        if (aj[a] !== i) sj[q++] = aj[a];
        a++;
        b++;
      }
    }
    sp[i + 1] = q;
  }
  const dtype = opts.dtype ?? image.dtype;
  const ones = dtype === 'float64' ? new Float64Array(q).fill(1) : new Float32Array(q).fill(1);
  return CsrMatrix.fromCsr(n, n, sp, sj.slice(0, q), ones);
}

/** The rows of a semantic graph as neighbour lists (item → ascending neighbour ids). */
export function semanticNeighbourLists(sem: CsrMatrix): number[][] {
  sem.assertLive('semanticNeighbourLists');
  const p = sem.indptr.toTypedArray() as Int32Array, j = sem.indices.toTypedArray() as Int32Array;
  return Array.from({ length: sem.nRows }, (_, i) => Array.from(j.subarray(p[i], p[i + 1])));
}

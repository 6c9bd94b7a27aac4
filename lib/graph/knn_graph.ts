/**
 * knnGraph: the sym-normalized directed cosine kNN graph of protocol §11
 * (build_knn_normalized_graph(build_sim(X), k, sparse, 'sym')), computed in row blocks without the
 * dense n×n similarity. Contract and the deliberate differences from the reference (a zero feature
 * row is an MMG_E_DATA error instead of NaN; rows are sorted by column, not by similarity):
 * native/ops/knn_graph.cc. No gradient: built once from the initial features.
 */
import { check } from '../errors';
import { runOp } from '../ops/run';
import { CsrMatrix } from '../sparse/csr';
import type { Tensor } from '../tensor';

export interface KnnGraphOptions {
  /** Rows of the similarity computed per step (0 or absent = auto, 256 for Baby-sized inputs). */
  block?: number;
}

export function knnGraph(features: Tensor, k: number, opts: KnnGraphOptions = {}): CsrMatrix {
  check(features.rank === 2, 'MMG_E_SHAPE', `knn_graph: expected features of shape [n, f], got [${features.shape.join(', ')}]`);
  check(Number.isInteger(k), 'MMG_E_ARG', `knn_graph: expected an integer k, got ${k}`);
  const n = features.shape[0];
  const [p, j, v] = runOp('knn_graph', [features], [k, opts.block ?? 0]);
  return new CsrMatrix(n, n, p, j, v);
}

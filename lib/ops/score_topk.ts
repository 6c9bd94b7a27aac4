/**
 * scoreTopk: top-K items per user by inner product, with train items masked to -1e10 (MMRec's full
 * ranking). Contract and tie rule (lower item index first): native/ops/score_topk.cc.
 * Not differentiable: an evaluation op.
 */
import { notDifferentiable, record } from '../autograd/tape';
import { check } from '../errors';
import { CsrMatrix } from '../sparse/csr';
import { Tensor, tensor } from '../tensor';
import { runOp } from './run';

/** Items to exclude per batch row: a CSR pattern with B rows (a CsrMatrix's values are ignored). */
export type ExcludeMask = CsrMatrix | { indptr: Int32Array | Tensor; indices: Int32Array | Tensor };

export interface ScoreTopkOptions {
  exclude?: ExcludeMask;
  /** Users per tile (default 128) and items per tile (default 2048): scratch is userTile·itemTile scores per thread. */
  userTile?: number;
  itemTile?: number;
}

export interface TopkResult {
  /** int32 [B, K], best first. */
  indices: Tensor;
  /** [B, K] scores in the embeddings' dtype, descending. */
  values: Tensor;
}

export function scoreTopk(users: Tensor, items: Tensor, k: number, opts: ScoreTopkOptions = {}): TopkResult {
  check(Number.isInteger(k), 'MMG_E_ARG', `score_topk: expected an integer K, got ${k}`);
  const created: Tensor[] = [];
  const asTensor = (v: Int32Array | Tensor): Tensor => {
    if (v instanceof Tensor) return v;
    const t = tensor(v, [v.length], { device: users.device }); // typed arrays go where the embeddings are
    created.push(t);
    return t;
  };
  try {
    const inputs: Array<Tensor | null> = [users, items];
    const ex = opts.exclude;
    if (ex) {
      if (ex instanceof CsrMatrix) {
        ex.assertLive('score_topk');
        inputs.push(ex.indptr, ex.indices);
      } else inputs.push(asTensor(ex.indptr), asTensor(ex.indices));
    }
    const [indices, values] = runOp('score_topk', inputs, [k, opts.userTile ?? 0, opts.itemTile ?? 0]);
    record(values, 'score_topk', [users, items], notDifferentiable('score_topk'));
    return { indices, values };
  } finally {
    for (const t of created) t.dispose();
  }
}

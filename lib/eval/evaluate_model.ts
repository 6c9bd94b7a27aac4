/**
 * Evaluating embeddings on a split: MMRec's full ranking (scores o_u·o_i against all items, the
 * user's training items set to −1e10, top-max(K)), computed once per evaluation point for all
 * users in batches (cost.md R1), then the MMRec metrics (evaluator.ts).
 */
import { MmgError } from '../errors';
import type { Dataset } from '../data/dataset';
import { itemTrainCounts, userTrainCounts } from '../data/dataset';
import { tidy } from '../autograd/scope';
import type { Tensor } from '../tensor';
import { scoreTopk } from '../ops/score_topk';
import { gatherRows } from '../ops/gather_rows';
import { checkedIndex } from '../nn/batch';
import {
  evalSetOf, evaluate, evaluateByActivity, evaluateByPopularity, evaluateByUserTrainCount, evaluateItemGroup, USER_SPARSITY_BOUNDS,
  type EvalResult, type UserGroup,
} from './evaluator';
import { DEFAULT_TOPK } from './metrics';

export type SplitResult = EvalResult;

export interface EvaluateSplitOptions {
  topk?: readonly number[];
  batchSize?: number;
}

/**
 * Top-K item ids for each user in `userIds`, training items masked (−1e10, still rankable, as MMRec).
 * The ranking runs where the embeddings are: the batch's user rows are gathered there (natively) and
 * only the [batch, K] ids come back (one read per batch), so evaluation during training never moves
 * the embeddings to the host.
 */
export function rankUsers(ds: Dataset, users: Tensor, items: Tensor, userIds: Int32Array, k: number, batchSize = 4096): Int32Array {
  // 0 (or NaN) would never advance the batch loop below.
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new MmgError(`evaluate: expected batchSize (eval_batch_size) to be a positive integer, got ${batchSize}`, 'MMG_E_ARG');
  if (users.device !== items.device)
    throw new MmgError(`evaluate: expected user and item embeddings on one device, got ${users.device} and ${items.device}`, 'MMG_E_ARG');
  const out = new Int32Array(userIds.length * k);
  const mask = trainMaskOf(ds, userIds);
  for (let b0 = 0; b0 < userIds.length; b0 += batchSize) {
    const b1 = Math.min(userIds.length, b0 + batchSize);
    const base = mask.indptr[b0];
    const mptr = Int32Array.from(mask.indptr.subarray(b0, b1 + 1), (v) => v - base);
    const midx = mask.indices.subarray(base, mask.indptr[b1]);
    tidy(() => {
      const q = gatherRows(users, checkedIndex(userIds.slice(b0, b1), users.shape[0], users.device, 'evaluate: user ids'));
      const r = scoreTopk(q, items, k, { exclude: { indptr: mptr, indices: midx } });
      r.indices.toTypedArray(out.subarray(b0 * k, b1 * k));  // straight into the result: no copy of a copy
    });
  }
  return out;
}

/**
 * The training items of `userIds` (in that order) as one CSR, cached per (dataset, user list): an
 * evaluation every epoch reuses the split's user list (splitEvalSet), so it is built once per run.
 */
const maskCache = new WeakMap<Int32Array, { trainSets: Dataset['trainSets']; indptr: Int32Array; indices: Int32Array }>();
function trainMaskOf(ds: Dataset, userIds: Int32Array): { indptr: Int32Array; indices: Int32Array } {
  const hit = maskCache.get(userIds);
  if (hit && hit.trainSets === ds.trainSets) return hit;
  const { indptr, indices } = ds.trainSets;
  const mptr = new Int32Array(userIds.length + 1);
  for (let i = 0; i < userIds.length; i++) mptr[i + 1] = mptr[i] + indptr[userIds[i] + 1] - indptr[userIds[i]];
  const midx = new Int32Array(mptr[userIds.length]);
  for (let i = 0; i < userIds.length; i++) midx.set(indices.subarray(indptr[userIds[i]], indptr[userIds[i] + 1]), mptr[i]);
  const made = { trainSets: ds.trainSets, indptr: mptr, indices: midx };
  maskCache.set(userIds, made);
  return made;
}

/**
 * evalSetOf(ds[split], ds.trainSets, ds.nUsers), cached per (split arrays, training sets): datasets
 * are not modified in place, and a run evaluates the same splits every epoch.
 */
const setCache = new WeakMap<object, { items: object; trainSets: Dataset['trainSets']; nUsers: number; set: ReturnType<typeof evalSetOf> }>();
function splitEvalSet(ds: Dataset, split: 'valid' | 'test'): ReturnType<typeof evalSetOf> {
  const part = ds[split];
  const hit = setCache.get(part.users);
  if (hit && hit.items === part.items && hit.trainSets === ds.trainSets && hit.nUsers === ds.nUsers) return hit.set;
  const set = evalSetOf(part, ds.trainSets, ds.nUsers);
  setCache.set(part.users, { items: part.items, trainSets: ds.trainSets, nUsers: ds.nUsers, set });
  return set;
}

export function evaluateSplit(ds: Dataset, split: 'valid' | 'test', users: Tensor, items: Tensor, opts: EvaluateSplitOptions = {}): SplitResult {
  const ks = opts.topk ?? DEFAULT_TOPK;
  const k = Math.max(...ks);
  const set = splitEvalSet(ds, split);
  const top = rankUsers(ds, users, items, set.evalUsers, k, opts.batchSize);
  return evaluate(top, set.evalUsers, set.groundTruth, { topk: ks });
}

/** Long-tail (head 20% items vs the rest) and cold-user (≤ 5 training rows) Recall/NDCG@k. */
export function evaluateBreakdowns(ds: Dataset, split: 'valid' | 'test', users: Tensor, items: Tensor, opts: { k?: number } = {}): Record<string, Record<string, number>> {
  const k = opts.k ?? 20;
  const set = evalSetOf(ds[split], ds.trainSets, ds.nUsers);
  const top = rankUsers(ds, users, items, set.evalUsers, k);
  const pop = evaluateByPopularity(top, set.evalUsers, set.groundTruth, itemTrainCounts(ds), { topk: [k], metrics: ['recall', 'ndcg'] });
  const userCounts = new Int32Array(ds.nUsers);
  for (let u = 0; u < ds.nUsers; u++) userCounts[u] = ds.trainSets.indptr[u + 1] - ds.trainSets.indptr[u];
  const act = evaluateByActivity(top, set.evalUsers, set.groundTruth, userCounts, { topk: [k], metrics: ['recall', 'ndcg'] });
  const row = (r: EvalResult, n: number) => ({ ...r.unrounded, users: n });
  return {
    'item popularity: head 20%': row(pop.head, pop.head.nUsers),
    'item popularity: long tail': row(pop.tail, pop.tail.nUsers),
    'users with ≤ 5 training items': row(act.few, act.few.nUsers),
    'users with > 5 training items': row(act.rest, act.rest.nUsers),
  };
}

export interface ColdStartEvalOptions extends EvaluateSplitOptions {
  /** User-sparsity bounds on training rows; default [5, 10, 20] (groups ≤5, 6–10, 11–20, >20). */
  userBounds?: readonly number[];
  /** Cutoff of the user-sparsity groups (Recall and NDCG); default 20, capped at nItems. */
  groupK?: number;
}

export interface ColdStartEval {
  /** The split's usual metrics (every interaction counts). */
  all: EvalResult;
  /** Only interactions with the dataset's cold items count (itemColdStart); null without a cold-start split. */
  coldItems: EvalResult | null;
  /** Users bucketed by training rows, Recall@groupK and NDCG@groupK. */
  userGroups: UserGroup[];
  groupK: number;
}

/**
 * singer.md §11 from one ranking of the split: the full metrics, the item cold-start metrics (full
 * ranking over all items, only ground truth with cold items kept) and the user-sparsity groups.
 */
export function evaluateColdStart(ds: Dataset, split: 'valid' | 'test', users: Tensor, items: Tensor, opts: ColdStartEvalOptions = {}): ColdStartEval {
  const ks = opts.topk ?? DEFAULT_TOPK;
  const groupK = Math.min(opts.groupK ?? 20, ds.nItems);
  const set = evalSetOf(ds[split], ds.trainSets, ds.nUsers);
  const top = rankUsers(ds, users, items, set.evalUsers, Math.max(...ks, groupK), opts.batchSize);
  const all = evaluate(top, set.evalUsers, set.groundTruth, { topk: ks });
  let coldItems: EvalResult | null = null;
  if (ds.coldStart) {
    const cold = new Uint8Array(ds.nItems);
    for (const i of ds.coldStart.items) cold[i] = 1;
    coldItems = evaluateItemGroup(top, set.evalUsers, set.groundTruth, (i) => cold[i] === 1, { topk: ks });
  }
  const userGroups = evaluateByUserTrainCount(top, set.evalUsers, set.groundTruth, userTrainCounts(ds), {
    topk: [groupK], metrics: ['recall', 'ndcg'], bounds: opts.userBounds ?? USER_SPARSITY_BOUNDS,
  });
  return { all, coldItems, userGroups, groupK };
}

/**
 * MMRec's full-ranking evaluator (protocol §7), given each evaluated user's top-K item ids (already
 * masked and ranked by the scoring op), plus breakdowns by item group (popularity, cold items) and by
 * user activity (training rows per user).
 *
 * - Evaluated users: unique users of the split in order of first appearance, minus users with no train
 *   row (evalSetOf). Ground truth G_u = that user's rows in the split, duplicates kept (|G_u| counts rows).
 * - A rank is a hit when its item is in G_u, whatever its score (a masked item that fills the end of a
 *   short list still counts, as in MMRec).
 * - Each metric@K is the float64 mean of per-user values, summed sequentially in evaluation order and
 *   divided by the user count (numpy's mean over axis 0), then rounded with round4 (numpy's rint rule).
 */
import { MmgError } from '../errors';
import type { Csr, Interactions } from '../data/dataset';
import { cutoffSums, DEFAULT_TOPK, METRICS, round4, userCurve, type MetricName } from './metrics';

export interface EvalSet {
  /** Users in evaluation order. */
  evalUsers: Int32Array;
  /** Ground truth by user id: row u = u's rows of the split, in file order, duplicates kept. */
  groundTruth: Csr;
}

export interface EvaluateOptions {
  /** Cutoffs; default [5, 10, 20, 50]. Each must be ≤ the width of the top-K matrix. */
  topk?: readonly number[];
  /** Default: recall, ndcg, precision, map, hit. */
  metrics?: readonly MetricName[];
  /** Also return per-user values and the hit matrix. */
  perUser?: boolean;
}

export interface EvalResult {
  /** `${metric}@${K}` → value rounded as MMRec reports it; keys ordered metric-major like MMRec's dict. */
  rounded: Record<string, number>;
  unrounded: Record<string, number>;
  nUsers: number;
  /** With perUser: metric → Float64Array [nEval × width], column K−1 = the user's metric@K. */
  perUser?: Map<MetricName, Float64Array>;
  /** With perUser: [nEval × width], 1 where the ranked item is in the ground truth. */
  hits?: Uint8Array;
}

/** The evaluation order and ground truth of a split (MMRec's EvalDataLoader with cold-start filtering). */
export function evalSetOf(split: Interactions, trainSets: Csr, nUsers: number): EvalSet {
  const seen = new Uint8Array(nUsers);
  const order: number[] = [];
  const indptr = new Int32Array(nUsers + 1);
  for (let r = 0; r < split.users.length; r++) {
    const u = split.users[r];
    if (u < 0 || u >= nUsers) throw new MmgError(`evaluate: expected user ids in [0, ${nUsers}), got ${u}`, 'MMG_E_ARG');
    indptr[u + 1]++;
    if (!seen[u]) {
      seen[u] = 1;
      if (trainSets.indptr[u + 1] > trainSets.indptr[u]) order.push(u);
    }
  }
  for (let u = 0; u < nUsers; u++) indptr[u + 1] += indptr[u];
  const fill = indptr.slice(0, nUsers);
  const indices = new Int32Array(split.users.length);
  for (let r = 0; r < split.users.length; r++) indices[fill[split.users[r]]++] = split.items[r];
  return { evalUsers: Int32Array.from(order), groundTruth: { indptr, indices } };
}

export function evaluate(topkIndices: Int32Array, evalUsers: Int32Array, groundTruth: Csr, opts: EvaluateOptions = {}): EvalResult {
  const ks = opts.topk ?? DEFAULT_TOPK;
  const metrics = opts.metrics ?? METRICS;
  const nEval = evalUsers.length;
  const width = checkShapes(topkIndices, nEval, groundTruth, ks, metrics);
  const hits = hitMatrix(topkIndices, evalUsers, groundTruth, width);
  const curve = new Float64Array(width);
  const sums = metrics.map(() => new Float64Array(ks.length));
  const per = opts.perUser ? new Map(metrics.map((m) => [m, new Float64Array(nEval * width)] as const)) : undefined;
  const fused = per ? null : cutoffSums(metrics, ks, width);
  for (let e = 0; e < nEval; e++) {
    const u = evalUsers[e];
    const gtLen = groundTruth.indptr[u + 1] - groundTruth.indptr[u];
    if (gtLen === 0) throw new MmgError(`evaluate: user ${u} (row ${e}) has no ground-truth rows; evaluated users must come from the split`, 'MMG_E_ARG');
    // A user with no hit scores exactly +0 on every metric and cutoff, which leaves the sums as they
    // are: skip the curves (most users, early in training) unless per-user curves are wanted.
    if (!per) {
      let any = 0;
      for (let r = 0; r < width; r++) any |= hits[e * width + r];
      if (!any) continue;
      if (fused) {
        fused(hits, e * width, gtLen, sums);
        continue;
      }
    }
    metrics.forEach((m, j) => {
      userCurve(m, hits, e * width, width, gtLen, curve);
      ks.forEach((k, c) => (sums[j][c] += curve[k - 1]));
      per?.get(m)!.set(curve, e * width);
    });
  }
  const rounded: Record<string, number> = {};
  const unrounded: Record<string, number> = {};
  metrics.forEach((m, j) =>
    ks.forEach((k, c) => {
      const v = nEval > 0 ? sums[j][c] / nEval : NaN;
      unrounded[`${m}@${k}`] = v;
      rounded[`${m}@${k}`] = round4(v);
    }),
  );
  return { rounded, unrounded, nUsers: nEval, ...(per ? { perUser: per, hits } : {}) };
}

function checkShapes(topk: Int32Array, nEval: number, gt: Csr, ks: readonly number[], metrics: readonly MetricName[]): number {
  if (nEval === 0) throw new MmgError('evaluate: expected at least one evaluated user, got 0', 'MMG_E_ARG');
  if (topk.length % nEval !== 0)
    throw new MmgError(`evaluate: expected a top-K matrix of ${nEval} rows, got ${topk.length} values`, 'MMG_E_SHAPE');
  const width = topk.length / nEval;
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1 || k > width))
    throw new MmgError(`evaluate: expected cutoffs in 1..${width} (the top-K width), got [${ks.join(', ')}]`, 'MMG_E_ARG');
  for (const m of metrics) if (!METRICS.includes(m)) throw new MmgError(`evaluate: expected metrics among ${METRICS.join(', ')}, got '${m}'`, 'MMG_E_ARG');
  if (gt.indptr.length < 2) throw new MmgError('evaluate: expected a ground-truth CSR by user id', 'MMG_E_ARG');
  return width;
}

/** hits[e·width + r] = 1 when topk[e, r] ∈ G_{evalUsers[e]}. */
function hitMatrix(topk: Int32Array, evalUsers: Int32Array, gt: Csr, width: number): Uint8Array {
  let maxItem = -1;
  for (let k = 0; k < topk.length; k++) {
    if (topk[k] < 0) throw new MmgError(`evaluate: expected item ids ≥ 0 in the top-K matrix, got ${topk[k]} at row ${Math.floor(k / width)}`, 'MMG_E_ARG');
    if (topk[k] > maxItem) maxItem = topk[k];
  }
  const nUsers = gt.indptr.length - 1;
  // stamp[i] = e + 1 while user e's ground truth is marked: no clearing between users.
  const stamp = new Int32Array(maxItem + 1);
  const hits = new Uint8Array(topk.length);
  for (let e = 0; e < evalUsers.length; e++) {
    const u = evalUsers[e];
    if (u < 0 || u >= nUsers) throw new MmgError(`evaluate: expected user ids in [0, ${nUsers}), got ${u}`, 'MMG_E_ARG');
    for (let p = gt.indptr[u]; p < gt.indptr[u + 1]; p++) if (gt.indices[p] <= maxItem) stamp[gt.indices[p]] = e + 1;
    for (let r = 0; r < width; r++) hits[e * width + r] = stamp[topk[e * width + r]] === e + 1 ? 1 : 0;
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------
// Breakdowns

export interface GroupResult extends EvalResult {
  /** Items in the group. */
  nItems?: number;
}

export interface PopularityOptions extends EvaluateOptions {
  /** Share of items in the head; default 0.2. */
  headFraction?: number;
}

/**
 * Head items = the ⌈headFraction · nItems⌉ items with the most training rows (ties: lower item id
 * first), over all nItems = itemTrainCount.length items; tail = all other items (including items with
 * no training row). Each group is scored with evaluateItemGroup, so tail recall@K = share of a user's
 * long-tail test items that reach the top K. Default metrics: recall and ndcg.
 */
export function evaluateByPopularity(
  topkIndices: Int32Array,
  evalUsers: Int32Array,
  groundTruth: Csr,
  itemTrainCount: Int32Array,
  opts: PopularityOptions = {},
): { head: GroupResult; tail: GroupResult; headItems: Int32Array } {
  const frac = opts.headFraction ?? 0.2;
  if (!(frac > 0 && frac < 1)) throw new MmgError(`evaluateByPopularity: expected headFraction in (0, 1), got ${frac}`, 'MMG_E_ARG');
  const nItems = itemTrainCount.length;
  const order = Array.from({ length: nItems }, (_, i) => i).sort((a, b) => itemTrainCount[b] - itemTrainCount[a] || a - b);
  const nHead = Math.ceil(frac * nItems);
  const isHead = new Uint8Array(nItems);
  for (let k = 0; k < nHead; k++) isHead[order[k]] = 1;
  const sub = { ...opts, metrics: opts.metrics ?? (['recall', 'ndcg'] as const) };
  const group = (want: number): GroupResult => evaluateItemGroup(topkIndices, evalUsers, groundTruth, (i) => i < nItems && isHead[i] === want, sub);
  const headItems = Int32Array.from(order.slice(0, nHead)).sort();
  return { head: { ...group(1), nItems: nHead }, tail: { ...group(0), nItems: nItems - nHead }, headItems };
}

/**
 * Metrics that count only the ground truth inside an item group (long-tail items, cold items): user
 * u's ground truth becomes G_u ∩ group (rows counted), users whose restricted ground truth is empty are
 * left out, and the usual formulas run on the unchanged ranking (a hit is a ranked item in G_u ∩ group,
 * |G_u| becomes |G_u ∩ group|). Items outside the group stay in the ranking and take ranks.
 */
export function evaluateItemGroup(
  topkIndices: Int32Array,
  evalUsers: Int32Array,
  groundTruth: Csr,
  inGroup: (item: number) => boolean,
  opts: EvaluateOptions = {},
): EvalResult {
  const gt = filterGroundTruth(groundTruth, inGroup);
  return evaluateRows(topkIndices, evalUsers, gt, (u) => gt.indptr[u + 1] > gt.indptr[u], opts);
}

export interface ActivityOptions extends EvaluateOptions {
  /** Users with at most this many training rows are "few"; default 5. */
  maxTrain?: number;
}

/** Metrics over users with ≤ maxTrain training rows (`few`) and over the others (`rest`). */
export function evaluateByActivity(
  topkIndices: Int32Array,
  evalUsers: Int32Array,
  groundTruth: Csr,
  userTrainCount: Int32Array,
  opts: ActivityOptions = {},
): { few: GroupResult; rest: GroupResult } {
  const [few, rest] = evaluateByUserTrainCount(topkIndices, evalUsers, groundTruth, userTrainCount, { ...opts, bounds: [opts.maxTrain ?? 5] });
  return { few: few.result, rest: rest.result };
}

export const USER_SPARSITY_BOUNDS: readonly number[] = [5, 10, 20];

export interface UserTrainCountOptions extends EvaluateOptions {
  /** Increasing upper bounds b1 < b2 < …: groups ≤b1, b1+1..b2, …, >b_last; default [5, 10, 20]. */
  bounds?: readonly number[];
}

export interface UserGroup {
  /** '≤5', '6–10', '11–20', '>20'. */
  label: string;
  /** Training-row counts in the group, inclusive (max Infinity for the last). */
  min: number;
  max: number;
  result: EvalResult;
}

/**
 * User-sparsity groups (singer.md §11.2): evaluated users bucketed by their number of training rows,
 * each bucket evaluated on its users' full ground truth. An empty bucket gives NaN values and nUsers 0.
 */
export function evaluateByUserTrainCount(
  topkIndices: Int32Array,
  evalUsers: Int32Array,
  groundTruth: Csr,
  userTrainCount: Int32Array,
  opts: UserTrainCountOptions = {},
): UserGroup[] {
  const bounds = checkBounds(opts.bounds ?? USER_SPARSITY_BOUNDS);
  const groups: UserGroup[] = [];
  let lo = 0;
  for (const b of [...bounds, Infinity]) {
    const min = lo;
    const label = b === Infinity ? `>${lo - 1}` : lo === 0 ? `≤${b}` : lo === b ? `${b}` : `${lo}–${b}`;
    const result = evaluateRows(topkIndices, evalUsers, groundTruth, (u) => userTrainCount[u] >= min && userTrainCount[u] <= b, opts);
    groups.push({ label, min, max: b, result });
    lo = b + 1;
  }
  return groups;
}

function checkBounds(bounds: readonly number[]): readonly number[] {
  if (bounds.length === 0 || bounds.some((b, k) => !Number.isInteger(b) || b < 0 || (k > 0 && b <= bounds[k - 1])))
    throw new MmgError(`evaluateByUserTrainCount: expected increasing non-negative integer bounds, got [${bounds.join(', ')}]`, 'MMG_E_ARG');
  return bounds;
}

/** Evaluates the rows whose user passes `keep`; an empty group gives NaN values and nUsers 0. */
function evaluateRows(topk: Int32Array, evalUsers: Int32Array, gt: Csr, keep: (u: number) => boolean, opts: EvaluateOptions): EvalResult {
  const nEval = evalUsers.length;
  const width = checkShapes(topk, nEval, gt, opts.topk ?? DEFAULT_TOPK, opts.metrics ?? METRICS);
  const rows: number[] = [];
  for (let e = 0; e < nEval; e++) if (keep(evalUsers[e])) rows.push(e);
  if (rows.length === 0) {
    const nan: Record<string, number> = {};
    for (const m of opts.metrics ?? METRICS) for (const k of opts.topk ?? DEFAULT_TOPK) nan[`${m}@${k}`] = NaN;
    return { rounded: nan, unrounded: { ...nan }, nUsers: 0 };
  }
  const subTopk = new Int32Array(rows.length * width);
  rows.forEach((e, j) => subTopk.set(topk.subarray(e * width, (e + 1) * width), j * width));
  return evaluate(subTopk, Int32Array.from(rows, (e) => evalUsers[e]), gt, opts);
}

function filterGroundTruth(gt: Csr, keep: (item: number) => boolean): Csr {
  const n = gt.indptr.length - 1;
  const indptr = new Int32Array(n + 1);
  const out: number[] = [];
  for (let u = 0; u < n; u++) {
    for (let p = gt.indptr[u]; p < gt.indptr[u + 1]; p++) if (keep(gt.indices[p])) out.push(gt.indices[p]);
    indptr[u + 1] = out.length;
  }
  return { indptr, indices: Int32Array.from(out) };
}

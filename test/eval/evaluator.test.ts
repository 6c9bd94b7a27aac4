import * as fs from 'fs';
import { evaluate, evalSetOf, evaluateByPopularity, evaluateByActivity } from '../../lib/eval/evaluator';
import { rint, round4, userCurve, MMREC_METRICS, type MetricName } from '../../lib/eval/metrics';
import type { Csr } from '../../lib/data/dataset';
import { userItemSets } from '../../lib/data/dataset';
import { fixture, json, npy, npyNumbers } from '../harness/fixtures';
import { MmgError } from '../../lib/errors';

interface Input {
  n_users: number;
  n_items: number;
  topk: number[];
  metrics: string[];
  eval_users: number[];
  train_items: Record<string, number[]>;
  ground_truth: Record<string, number[]>;
}
interface Result {
  rounded: Record<string, number>;
  unrounded: Record<string, number>;
  eval_users_count: number;
}

const CASES = ['basic', 'many_gt', 'gt_masked_dup_gt', 'few_items', 'rounding_half', 'batched_order'];

/** Keys of a JSON object member in file order (JS objects reorder integer-like keys). */
function keyOrder(text: string, member: string): number[] {
  const start = text.indexOf(`"${member}"`);
  const body = text.slice(text.indexOf('{', start), text.indexOf('}', start));
  return [...body.matchAll(/"(\d+)"\s*:/g)].map((m) => Number(m[1]));
}

function csrOf(n: number, rows: Record<string, number[]>): Csr {
  const indptr = new Int32Array(n + 1);
  const out: number[] = [];
  for (let u = 0; u < n; u++) {
    out.push(...(rows[String(u)] ?? []));
    indptr[u + 1] = out.length;
  }
  return { indptr, indices: Int32Array.from(out) };
}

/** Plain top-k: mask train items with −1e10 (float32, as torch does), sort descending. */
function topkFromScores(scores: Float32Array, nItems: number, users: number[], train: Record<string, number[]>, k: number): Int32Array {
  const out = new Int32Array(users.length * k);
  users.forEach((u, e) => {
    const row = Float32Array.from(scores.subarray(u * nItems, (u + 1) * nItems));
    for (const i of train[String(u)] ?? []) row[i] = Math.fround(-1e10);
    const idx = Array.from({ length: nItems }, (_, i) => i).sort((a, b) => row[b] - row[a]);
    out.set(idx.slice(0, k), e * k);
  });
  return out;
}

describe('MMRec evaluator against the PyTorch fixtures', () => {
  test.each(CASES)('%s: top-50, hits, per-user curves, unrounded (1e-12) and rounded (exact)', (c) => {
    const text = fs.readFileSync(fixture('metrics', c, 'input.json'), 'utf8');
    const inp = JSON.parse(text) as Input;
    const res = json<Result>('metrics', c, 'result.json');
    const scores = npy('metrics', c, 'scores.npy').data as Float32Array;
    const topk = topkFromScores(scores, inp.n_items, inp.eval_users, inp.train_items, 50);
    expect(Array.from(topk)).toEqual(npyNumbers('metrics', c, 'topk_index.npy'));

    // Evaluation order from the split: first appearance of ground-truth users, minus users with no train row.
    const order = keyOrder(text, 'ground_truth');
    const users: number[] = [];
    const items: number[] = [];
    for (const u of order) for (const i of inp.ground_truth[String(u)]) (users.push(u), items.push(i));
    const trainUsers: number[] = [];
    const trainItems: number[] = [];
    for (const [u, list] of Object.entries(inp.train_items)) for (const i of list) (trainUsers.push(Number(u)), trainItems.push(i));
    const { sets } = userItemSets(inp.n_users, { users: Int32Array.from(trainUsers), items: Int32Array.from(trainItems) });
    const es = evalSetOf({ users: Int32Array.from(users), items: Int32Array.from(items) }, sets, inp.n_users);
    expect(Array.from(es.evalUsers)).toEqual(inp.eval_users);

    const r = evaluate(topk, es.evalUsers, es.groundTruth, { topk: inp.topk, metrics: inp.metrics as MetricName[], perUser: true });
    expect(r.nUsers).toBe(res.eval_users_count);
    expect(Array.from(r.hits!)).toEqual(npyNumbers('metrics', c, 'hits.npy'));
    for (const m of MMREC_METRICS) {
      const ref = npyNumbers('metrics', c, `per_user.${m}.npy`);
      const got = r.perUser!.get(m)!;
      let worst = 0;
      ref.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - got[k]))));
      expect(worst).toBeLessThanOrEqual(1e-12);
    }
    expect(Object.keys(r.rounded)).toEqual(Object.keys(res.rounded));
    expect(r.rounded).toEqual(res.rounded);
    for (const key of Object.keys(res.unrounded)) expect(Math.abs(r.unrounded[key] - res.unrounded[key])).toBeLessThanOrEqual(1e-12);
  });

  test('default metrics add hit@K; hit@K is 1 exactly when recall@K > 0', () => {
    const inp = json<Input>('metrics', 'basic', 'input.json');
    const topk = Int32Array.from(npyNumbers('metrics', 'basic', 'topk_index.npy'));
    const gt = csrOf(inp.n_users, inp.ground_truth);
    const r = evaluate(topk, Int32Array.from(inp.eval_users), gt, { perUser: true });
    expect(Object.keys(r.rounded)).toContain('hit@20');
    const rec = r.perUser!.get('recall')!;
    const hit = r.perUser!.get('hit')!;
    rec.forEach((v, k) => expect(hit[k]).toBe(v > 0 ? 1 : 0));
  });
});

describe('rounding (numpy rint, ties to even)', () => {
  test('README examples', () => {
    expect(round4(0.00625)).toBe(0.0062);
    expect(round4(0.03125)).toBe(0.0312);
    expect(round4(0.11624999999999999)).toBe(0.1162);
    expect(round4(0.29300595)).toBe(0.293);
  });
  test('rint on halves, negatives, non-finite and large values', () => {
    const cases: Array<[number, number]> = [[0.5, 0], [1.5, 2], [2.5, 2], [3.5, 4], [-0.5, -0], [-1.5, -2], [-2.5, -2], [0.49999999999999994, 0], [1.4999999999999998, 1], [2 ** 52 + 1, 2 ** 52 + 1], [-3.7, -4], [3.2, 3]];
    for (const [x, want] of cases) expect(Object.is(rint(x), want)).toBe(true);
    expect(rint(Infinity)).toBe(Infinity);
    expect(rint(NaN)).toBeNaN();
  });
});

describe('per-user curves by hand', () => {
  test('one hit at rank 2, |G| = 3', () => {
    const hits = [0, 1, 0, 0];
    const out = new Float64Array(4);
    userCurve('recall', hits, 0, 4, 3, out);
    expect(Array.from(out)).toEqual([0, 1 / 3, 1 / 3, 1 / 3]);
    userCurve('precision', hits, 0, 4, 3, out);
    expect(Array.from(out)).toEqual([0, 1 / 2, 1 / 3, 1 / 4]);
    userCurve('map', hits, 0, 4, 3, out);
    expect(Array.from(out)).toEqual([0, 0.5 / 2, 0.5 / 3, 0.5 / 3]);
    userCurve('ndcg', hits, 0, 4, 3, out);
    const idcg3 = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(out[3]).toBeCloseTo(1 / Math.log2(3) / idcg3, 15);
  });
});

describe('evaluate errors', () => {
  const gt: Csr = { indptr: Int32Array.from([0, 1, 2]), indices: Int32Array.from([0, 1]) };
  test('shape, cutoff, metric, user and item checks', () => {
    const users = Int32Array.from([0, 1]);
    expect(() => evaluate(new Int32Array(5), users, gt, { topk: [1] })).toThrow(/expected a top-K matrix of 2 rows, got 5 values/);
    expect(() => evaluate(new Int32Array(4), users, gt, { topk: [3] })).toThrow(/cutoffs in 1..2/);
    expect(() => evaluate(new Int32Array(4), users, gt, { topk: [1], metrics: ['auc' as MetricName] })).toThrow(/metrics among/);
    expect(() => evaluate(Int32Array.from([0, -1, 0, 1]), users, gt, { topk: [1] })).toThrow(/item ids ≥ 0/);
    expect(() => evaluate(new Int32Array(4), Int32Array.from([0, 7]), gt, { topk: [1] })).toThrow(MmgError);
    expect(() => evaluate(new Int32Array(0), new Int32Array(0), gt, { topk: [1] })).toThrow(/at least one evaluated user/);
  });
});

describe('breakdowns', () => {
  // 3 users, 6 items; train counts make items 0 and 1 the head (top 20% of 6 → 2 items).
  const itemCount = Int32Array.from([9, 7, 3, 3, 1, 0]);
  const gt: Csr = { indptr: Int32Array.from([0, 2, 4, 5]), indices: Int32Array.from([0, 4, 1, 5, 2]) };
  const evalUsers = Int32Array.from([0, 1, 2]);
  // top-3 per user
  const topk = Int32Array.from([4, 0, 3, /* u1 */ 2, 3, 0, /* u2 */ 2, 5, 1]);

  test('popularity: head/tail ground truth restricted, users without group items left out', () => {
    const r = evaluateByPopularity(topk, evalUsers, gt, itemCount, { topk: [1, 3] });
    expect(Array.from(r.headItems)).toEqual([0, 1]);
    // head: u0 G={0} hit at rank 2; u1 G={1} no hit; u2 has no head item → left out.
    expect(r.head.nUsers).toBe(2);
    expect(r.head.unrounded['recall@1']).toBe(0);
    expect(r.head.unrounded['recall@3']).toBe(0.5);
    expect(r.head.unrounded['ndcg@3']).toBeCloseTo(1 / Math.log2(3) / 2, 15);
    // tail: u0 G={4} hit at 1; u1 G={5} no hit; u2 G={2} hit at 1.
    expect(r.tail.nUsers).toBe(3);
    expect(r.tail.unrounded['recall@1']).toBeCloseTo(2 / 3, 15);
    expect(r.tail.nItems).toBe(4);
    expect(Object.keys(r.tail.rounded)).toEqual(['recall@1', 'recall@3', 'ndcg@1', 'ndcg@3']);
  });

  test('activity: few vs rest, and an empty group gives NaN', () => {
    const trainCount = Int32Array.from([3, 8, 5]);
    const r = evaluateByActivity(topk, evalUsers, gt, trainCount, { topk: [1], metrics: ['recall'] });
    expect(r.few.nUsers).toBe(2);
    expect(r.few.unrounded['recall@1']).toBe((0.5 + 1) / 2);
    expect(r.rest.nUsers).toBe(1);
    expect(r.rest.unrounded['recall@1']).toBe(0);
    const none = evaluateByActivity(topk, evalUsers, gt, trainCount, { topk: [1], metrics: ['recall'], maxTrain: 0 });
    expect(none.few.nUsers).toBe(0);
    expect(none.few.unrounded['recall@1']).toBeNaN();
  });
});

describe('evaluate: the single-pass aggregate', () => {
  // Without perUser, evaluate reads every metric at the cutoffs in one pass (metrics.ts cutoffSums);
  // with it, it builds each metric's whole curve (userCurve). Both add the same per-user values in
  // the same order, so the means must agree to the last bit, for any cutoffs and metric subset.
  test('equals the per-user curves bit for bit', () => {
    let s = 12345;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const nUsers = 400, width = 30, nItems = 90;
    const indptr = new Int32Array(nUsers + 1);
    const gt: number[] = [];
    for (let u = 0; u < nUsers; u++) {
      const n = 1 + Math.floor(rnd() * 40); // some users with more rows than the width
      for (let j = 0; j < n; j++) gt.push(Math.floor(rnd() * nItems));
      indptr[u + 1] = gt.length;
    }
    const groundTruth = { indptr, indices: Int32Array.from(gt) };
    const evalUsers = Int32Array.from({ length: nUsers }, (_, i) => (i * 7) % nUsers);
    const top = Int32Array.from({ length: nUsers * width }, () => Math.floor(rnd() * nItems));
    const cases: Array<[number[], MetricName[] | undefined]> = [
      [[5, 10, 20, 30], undefined],
      [[1, 7, 30], ['ndcg', 'map']],
      [[30, 2], ['hit', 'precision', 'recall']],
    ];
    for (const [topk, metrics] of cases) {
      const fast = evaluate(top, evalUsers, groundTruth, { topk, metrics });
      const slow = evaluate(top, evalUsers, groundTruth, { topk, metrics, perUser: true });
      expect(Object.keys(fast.unrounded)).toEqual(Object.keys(slow.unrounded));
      for (const k of Object.keys(slow.unrounded)) expect(Object.is(fast.unrounded[k], slow.unrounded[k])).toBe(true);
      expect(Object.values(fast.unrounded).some((v) => v > 0)).toBe(true);
    }
  });
});

/**
 * singer.md §11: the item cold-start split (lib/data/cold_start.ts) and its evaluation
 * (evaluateColdStart: cold-item rows only, user-sparsity groups), the latter against a slow
 * reference that scores, masks and sorts every item per user in plain TS.
 */
import { itemColdStart, pickColdItems, applyColdStartSpec, coldStartSpec } from '../../lib/data/cold_start';
import { assembleDataset, type Dataset, type Interactions } from '../../lib/data/dataset';
import { syntheticDataset } from '../../lib/data/synthetic';
import { Prng } from '../../lib/data/prng';
import { evaluateColdStart } from '../../lib/eval/evaluate_model';
import { evaluateByUserTrainCount, evaluateItemGroup, evaluateByActivity } from '../../lib/eval/evaluator';
import { tensor } from '../../lib/tensor';
import { MmgError } from '../../lib/errors';

const key = (u: number, i: number) => `${u},${i}`;
function multiset(...splits: Interactions[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of splits) for (let r = 0; r < s.users.length; r++) m.set(key(s.users[r], s.items[r]), (m.get(key(s.users[r], s.items[r])) ?? 0) + 1);
  return m;
}
const rows = (s: Interactions) => Array.from(s.users, (u, r) => [u, s.items[r]]);

describe('item cold-start split', () => {
  const ds = syntheticDataset('small');
  const snapshot = rows(ds.train).concat(rows(ds.valid), rows(ds.test));

  test('sizes: round(0.2·nItems) cold items, their training rows moved ⌊m/2⌋ / ⌈m/2⌉ to valid / test', () => {
    const cs = itemColdStart(ds);
    const info = cs.coldStart!;
    expect(info.nColdItems).toBe(Math.round(0.2 * ds.nItems));
    expect(info.items.length).toBe(info.nColdItems);
    expect(new Set(info.items).size).toBe(info.nColdItems);
    for (let k = 1; k < info.items.length; k++) expect(info.items[k]).toBeGreaterThan(info.items[k - 1]);
    const cold = new Set(info.items);
    let m = 0;
    for (let r = 0; r < ds.train.items.length; r++) if (cold.has(ds.train.items[r])) m++;
    expect(m).toBeGreaterThan(0);
    expect(info.movedRows).toEqual({ valid: Math.floor(m / 2), test: m - Math.floor(m / 2) });
    expect(cs.train.users.length).toBe(ds.train.users.length - m);
    const dv = cs.report.droppedColdStartRows.valid - ds.report.droppedColdStartRows.valid;
    const dt = cs.report.droppedColdStartRows.test - ds.report.droppedColdStartRows.test;
    expect(cs.valid.users.length).toBe(ds.valid.users.length + info.movedRows.valid - dv);
    expect(cs.test.users.length).toBe(ds.test.users.length + info.movedRows.test - dt);
    expect(cs.nUsers).toBe(ds.nUsers);
    expect(cs.nItems).toBe(ds.nItems);
    expect(cs.features).toBe(ds.features);
  });

  test('no cold item is left in train; the rest of train is unchanged, in order', () => {
    const cs = itemColdStart(ds);
    const cold = new Set(cs.coldStart!.items);
    for (let r = 0; r < cs.train.items.length; r++) expect(cold.has(cs.train.items[r])).toBe(false);
    for (const i of cs.trainSets.indices) expect(cold.has(i)).toBe(false);
    const warm = rows(ds.train).filter(([, i]) => !cold.has(i));
    expect(rows(cs.train)).toEqual(warm);
  });

  test('valid/test hold only interactions of the original data: original rows first, then moved training rows', () => {
    const cs = itemColdStart(ds);
    const cold = new Set(cs.coldStart!.items);
    const original = multiset(ds.train, ds.valid, ds.test);
    const now = multiset(cs.train, cs.valid, cs.test);
    let lost = 0;
    for (const [k, n] of now) expect(n).toBeLessThanOrEqual(original.get(k) ?? 0);
    for (const [k, n] of original) lost += n - (now.get(k) ?? 0);
    const dropped = cs.report.droppedColdStartRows.valid + cs.report.droppedColdStartRows.test - ds.report.droppedColdStartRows.valid - ds.report.droppedColdStartRows.test;
    expect(lost).toBe(dropped);
    const trainSet = multiset(ds.train);
    const hasTrainRows = new Set(cs.train.users);
    for (const split of ['valid', 'test'] as const) {
      const before = rows(ds[split]).filter(([u]) => hasTrainRows.has(u));
      const after = rows(cs[split]);
      expect(after.slice(0, before.length)).toEqual(before);
      for (const [u, i] of after.slice(before.length)) {
        expect(cold.has(i)).toBe(true);
        expect(trainSet.has(key(u, i))).toBe(true);
      }
    }
  });

  test('deterministic; seed and fraction change the draw; the input is not modified', () => {
    const a = itemColdStart(ds);
    const b = itemColdStart(ds, { fraction: 0.2, seed: 999 });
    expect(Array.from(b.coldStart!.items)).toEqual(Array.from(a.coldStart!.items));
    for (const s of ['train', 'valid', 'test'] as const) {
      expect(Array.from(b[s].users)).toEqual(Array.from(a[s].users));
      expect(Array.from(b[s].items)).toEqual(Array.from(a[s].items));
    }
    const c = itemColdStart(ds, { seed: 1 });
    expect(Array.from(c.coldStart!.items)).not.toEqual(Array.from(a.coldStart!.items));
    expect(itemColdStart(ds, { fraction: 0.1 }).coldStart!.nColdItems).toBe(Math.round(0.1 * ds.nItems));
    expect(rows(ds.train).concat(rows(ds.valid), rows(ds.test))).toEqual(snapshot);
    expect(ds.coldStart).toBeUndefined();
  });

  test('every item is equally likely to be cold (over many seeds)', () => {
    const n = 10;
    const counts = new Array(n).fill(0);
    const seeds = 4000;
    for (let s = 0; s < seeds; s++) for (const i of pickColdItems(n, 0.3, s)) counts[i]++;
    // Each count ~ Binomial(4000, 0.3): mean 1200, sd ≈ 29.
    for (const c of counts) expect(Math.abs(c - 1200)).toBeLessThan(150);
  });

  test('users left without training rows lose their valid/test rows, counted in the report', () => {
    const nItems = 10;
    const cold = pickColdItems(nItems, 0.2, 999);
    const warm = Array.from({ length: nItems }, (_, i) => i).filter((i) => !cold.includes(i));
    // user 0 trained only on cold items; user 1 on both; user 2 only on warm ones.
    const train = { users: Int32Array.from([0, 0, 1, 1, 2, 2]), items: Int32Array.from([cold[0], cold[1], cold[0], warm[0], warm[1], warm[2]]) };
    const valid = { users: Int32Array.from([0, 1, 2]), items: Int32Array.from([warm[3], warm[4], warm[5]]) };
    const test = { users: Int32Array.from([0, 1, 2]), items: Int32Array.from([warm[6], warm[7], warm[3]]) };
    const ds0 = assembleDataset({ name: 'hand', source: 'hand', nUsers: 3, nItems, train, valid, test, features: new Map() });
    const cs = itemColdStart(ds0, { fraction: 0.2, seed: 999 });
    expect(Array.from(cs.coldStart!.items)).toEqual(Array.from(cold));
    expect(rows(cs.train)).toEqual([[1, warm[0]], [2, warm[1]], [2, warm[2]]]);
    // Moved: (0,c0), (0,c1), (1,c0) → 1 to valid, 2 to test; user 0's rows then all go.
    expect(cs.coldStart!.movedRows).toEqual({ valid: 1, test: 2 });
    for (const s of [cs.valid, cs.test]) expect(Array.from(s.users)).not.toContain(0);
    expect(cs.report.droppedColdStartUsers).toBe(1);
    const droppedUser0 = 2 + 2; // its own valid and test row + its two moved rows
    expect(cs.report.droppedColdStartRows.valid + cs.report.droppedColdStartRows.test).toBe(droppedUser0);
    expect(cs.valid.users.length + cs.test.users.length).toBe(3 + 3 + 3 - droppedUser0);
  });

  test('the saved spec rebuilds the same split and rejects other data', () => {
    const cs = itemColdStart(ds, { fraction: 0.25, seed: 7 });
    const spec = coldStartSpec(cs)!;
    expect(spec).toEqual({ kind: 'items', fraction: 0.25, seed: 7, nColdItems: Math.round(0.25 * ds.nItems) });
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
    const again = applyColdStartSpec(ds, spec, 'm.mmg');
    expect(Array.from(again.test.items)).toEqual(Array.from(cs.test.items));
    const other = syntheticDataset('tiny');
    expect(() => applyColdStartSpec(other, spec, 'm.mmg')).toThrow(/m\.mmg: the model was trained with \d+ cold items, this data gives \d+/);
    expect(coldStartSpec(ds)).toBeUndefined();
  });

  test('bad options and a second transformation are errors', () => {
    for (const fraction of [0, 1, 1.5, -0.1, NaN]) {
      expect(() => itemColdStart(ds, { fraction })).toThrow(/itemColdStart: expected fraction in \(0, 1\)/);
    }
    expect(() => itemColdStart(ds, { seed: 0.5 })).toThrow(/expected an integer seed/);
    expect(() => itemColdStart(ds, { fraction: 1e-6 })).toThrow(/between 1 and/);
    try {
      itemColdStart(itemColdStart(ds));
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(MmgError);
      expect((e as MmgError).code).toBe('MMG_E_ARG');
      expect((e as Error).message).toMatch(/already has an item cold-start split/);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Evaluation against a slow reference

interface RefMetrics {
  users: number;
  recall: number;
  ndcg: number;
}

/** Full ranking per user: score all items, training items to −1e10, stable sort, metrics at K over the kept ground truth. */
function slowReference(ds: Dataset, U: Float64Array, I: Float64Array, d: number, k: number, keepUser: (u: number) => boolean, keepItem: (i: number) => boolean): RefMetrics {
  const seenUsers = new Set<number>();
  let n = 0;
  let recall = 0;
  let ndcg = 0;
  const trainItems = new Map<number, Set<number>>();
  for (let r = 0; r < ds.train.users.length; r++) {
    if (!trainItems.has(ds.train.users[r])) trainItems.set(ds.train.users[r], new Set());
    trainItems.get(ds.train.users[r])!.add(ds.train.items[r]);
  }
  for (const u of ds.test.users) {
    if (seenUsers.has(u)) continue;
    seenUsers.add(u);
    if (!trainItems.has(u) || !keepUser(u)) continue;
    const gt: number[] = [];
    for (let r = 0; r < ds.test.users.length; r++) if (ds.test.users[r] === u && keepItem(ds.test.items[r])) gt.push(ds.test.items[r]);
    if (gt.length === 0) continue;
    const scores = Array.from({ length: ds.nItems }, (_, i) => {
      let s = 0;
      for (let c = 0; c < d; c++) s += U[u * d + c] * I[i * d + c];
      return trainItems.get(u)!.has(i) ? -1e10 : s;
    });
    const order = scores.map((s, i) => [s, i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map((x) => x[1]);
    let hits = 0;
    let dcg = 0;
    let idcg = 0;
    for (let r = 0; r < k; r++) {
      if (gt.includes(order[r])) {
        hits++;
        dcg += 1 / Math.log2(r + 2);
      }
      if (r < gt.length) idcg += 1 / Math.log2(r + 2);
    }
    n++;
    recall += hits / gt.length;
    ndcg += dcg / idcg;
  }
  return { users: n, recall: recall / n, ndcg: ndcg / n };
}

describe('evaluateColdStart against the slow reference', () => {
  const d = 6;
  const base = syntheticDataset('tiny');
  const cs = itemColdStart(base, { fraction: 0.25, seed: 3 });
  const rng = new Prng(5, 'emb');
  const U = new Float64Array(cs.nUsers * d);
  const I = new Float64Array(cs.nItems * d);
  rng.fillNormal(U);
  rng.fillNormal(I);
  const users = tensor(U, [cs.nUsers, d], { dtype: 'float64' });
  const items = tensor(I, [cs.nItems, d], { dtype: 'float64' });
  const trainCount = new Int32Array(cs.nUsers);
  for (const u of cs.train.users) trainCount[u]++;

  test('cold-item metrics count only test rows with cold items, ranking over all items', () => {
    const r = evaluateColdStart(cs, 'test', users, items, { topk: [5, 10, 20] });
    const cold = new Set(cs.coldStart!.items);
    for (const k of [5, 10, 20]) {
      const ref = slowReference(cs, U, I, d, k, () => true, (i) => cold.has(i));
      expect(r.coldItems!.nUsers).toBe(ref.users);
      expect(r.coldItems!.unrounded[`recall@${k}`]).toBeCloseTo(ref.recall, 12);
      expect(r.coldItems!.unrounded[`ndcg@${k}`]).toBeCloseTo(ref.ndcg, 12);
      const all = slowReference(cs, U, I, d, k, () => true, () => true);
      expect(r.all.nUsers).toBe(all.users);
      expect(r.all.unrounded[`recall@${k}`]).toBeCloseTo(all.recall, 12);
      expect(r.all.unrounded[`ndcg@${k}`]).toBeCloseTo(all.ndcg, 12);
    }
    // The filter must matter on this example, or the test could not tell it apart from no filter.
    expect(r.coldItems!.nUsers).toBeLessThan(r.all.nUsers);
    expect(r.coldItems!.unrounded['recall@20']).not.toBeCloseTo(r.all.unrounded['recall@20'], 6);
  });

  test('user-sparsity groups: ≤5, 6–10, 11–20, >20 training rows, Recall@20 and NDCG@20', () => {
    const r = evaluateColdStart(cs, 'test', users, items, { topk: [5, 10, 20] });
    expect(r.groupK).toBe(20);
    expect(r.userGroups.map((g) => g.label)).toEqual(['≤5', '6–10', '11–20', '>20']);
    const ranges: Array<[number, number]> = [[0, 5], [6, 10], [11, 20], [21, Infinity]];
    let total = 0;
    r.userGroups.forEach((g, j) => {
      const [lo, hi] = ranges[j];
      expect([g.min, g.max]).toEqual([lo, hi]);
      const ref = slowReference(cs, U, I, d, 20, (u) => trainCount[u] >= lo && trainCount[u] <= hi, () => true);
      expect(g.result.nUsers).toBe(ref.users);
      total += g.result.nUsers;
      if (ref.users === 0) expect(g.result.unrounded['recall@20']).toBeNaN();
      else {
        expect(g.result.unrounded['recall@20']).toBeCloseTo(ref.recall, 12);
        expect(g.result.unrounded['ndcg@20']).toBeCloseTo(ref.ndcg, 12);
      }
      expect(Object.keys(g.result.unrounded)).toEqual(['recall@20', 'ndcg@20']);
    });
    expect(total).toBe(r.all.nUsers);
    expect(r.userGroups.filter((g) => g.result.nUsers > 0).length).toBeGreaterThanOrEqual(2);
  });

  test('without a cold-start split there are no cold-item metrics; custom bounds', () => {
    const r = evaluateColdStart(base, 'test', users, items, { topk: [10], userBounds: [3, 8] });
    expect(r.coldItems).toBeNull();
    expect(r.userGroups.map((g) => g.label)).toEqual(['≤3', '4–8', '>8']);
  });
});

describe('group evaluators by hand', () => {
  // 3 users, 6 items, top-3 per user.
  const gt = { indptr: Int32Array.from([0, 2, 4, 5]), indices: Int32Array.from([0, 4, 1, 5, 2]) };
  const evalUsers = Int32Array.from([0, 1, 2]);
  const topk = Int32Array.from([4, 0, 3, /* u1 */ 2, 3, 0, /* u2 */ 2, 5, 1]);

  test('evaluateItemGroup: ground truth restricted to the group, users without group rows left out', () => {
    // group {4, 5}: u0 G={4} hit at rank 1; u1 G={5} miss; u2 no group row.
    const r = evaluateItemGroup(topk, evalUsers, gt, (i) => i === 4 || i === 5, { topk: [1, 3], metrics: ['recall'] });
    expect(r.nUsers).toBe(2);
    expect(r.unrounded['recall@1']).toBe(0.5);
    expect(r.unrounded['recall@3']).toBe(0.5);
  });

  test('evaluateByUserTrainCount: labels, membership, bad bounds; evaluateByActivity is its two-group case', () => {
    const trainCount = Int32Array.from([3, 8, 5]);
    const g = evaluateByUserTrainCount(topk, evalUsers, gt, trainCount, { bounds: [3, 5, 7], topk: [1], metrics: ['recall'] });
    expect(g.map((x) => [x.label, x.result.nUsers])).toEqual([['≤3', 1], ['4–5', 1], ['6–7', 0], ['>7', 1]]);
    expect(g[0].result.unrounded['recall@1']).toBe(0.5);
    expect(g[1].result.unrounded['recall@1']).toBe(1);
    expect(g[3].result.unrounded['recall@1']).toBe(0);
    expect(evaluateByUserTrainCount(topk, evalUsers, gt, trainCount, { bounds: [0, 1], topk: [1] }).map((x) => x.label)).toEqual(['≤0', '1', '>1']);
    const act = evaluateByActivity(topk, evalUsers, gt, trainCount, { topk: [1], metrics: ['recall'] });
    expect(act.few.nUsers).toBe(2);
    expect(act.rest.nUsers).toBe(1);
    for (const bounds of [[], [5, 5], [10, 5], [-1], [2.5]])
      expect(() => evaluateByUserTrainCount(topk, evalUsers, gt, trainCount, { bounds })).toThrow(/expected increasing non-negative integer bounds/);
  });
});

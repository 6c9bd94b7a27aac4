import { TrainSampler, type SamplerBatch } from '../../lib/data/sampler';
import { syntheticDataset } from '../../lib/data/synthetic';
import { csrHas, userItemSets, type Interactions } from '../../lib/data/dataset';
import { MmgError } from '../../lib/errors';

const ds = syntheticDataset('tiny');
const nRows = ds.train.users.length;

function concat(batches: SamplerBatch[], key: 'users' | 'pos' | 'neg'): number[] {
  return batches.flatMap((b) => Array.from(b[key]));
}
function take(s: TrainSampler, n: number): SamplerBatch[] {
  return Array.from({ length: n }, () => s.nextBatch());
}

describe('TrainSampler', () => {
  test('batches are consecutive slices of a permutation of the train rows; last batch smaller', () => {
    const s = new TrainSampler(ds, { seed: 1, batchSize: 64 });
    expect(s.stepsPerEpoch).toBe(Math.ceil(nRows / 64));
    const ep = [...s.epochBatches()];
    expect(ep.length).toBe(s.stepsPerEpoch);
    ep.slice(0, -1).forEach((b) => expect(b.users.length).toBe(64));
    expect(ep[ep.length - 1].users.length).toBe(nRows - 64 * (s.stepsPerEpoch - 1));
    expect(ep.map((b) => b.step)).toEqual(ep.map((_, k) => k));
    expect(ep.every((b) => b.epoch === 0)).toBe(true);
    const got = ep.flatMap((b) => Array.from(b.users, (u, k) => `${u},${b.pos[k]}`)).sort();
    const want = Array.from(ds.train.users, (u, r) => `${u},${ds.train.items[r]}`).sort();
    expect(got).toEqual(want);
    expect(s.epoch).toBe(1);
  });

  test('Baby-sized split: 58 steps, 57 × 2048 and one of 1815', () => {
    const n = 118551;
    const train: Interactions = { users: Int32Array.from({ length: n }, (_, r) => r % 19445), items: Int32Array.from({ length: n }, (_, r) => (r * 7) % 7050) };
    const s = new TrainSampler({ nItems: 7050, train, trainSets: userItemSets(19445, train).sets });
    expect(s.stepsPerEpoch).toBe(58);
    const sizes = [...s.epochBatches()].map((b) => b.users.length);
    expect(sizes.filter((x) => x === 2048).length).toBe(57);
    expect(sizes[57]).toBe(1815);
  });

  test('negatives come from the pool (unique train items) and never from the user\'s train set', () => {
    const s = new TrainSampler(ds, { seed: 3, batchSize: 50 });
    expect(Array.from(s.pool).sort((a, b) => a - b)).toEqual([...new Set(ds.train.items)].sort((a, b) => a - b));
    expect(Array.from(s.pool)).not.toEqual(Array.from(s.pool).sort((a, b) => a - b));
    const inPool = new Set(s.pool);
    for (let e = 0; e < 5; e++)
      for (const b of s.epochBatches())
        b.users.forEach((u, k) => {
          expect(inPool.has(b.neg[k])).toBe(true);
          expect(csrHas(ds.trainSets, u, b.neg[k])).toBe(false);
        });
  });

  test('negatives are uniform over the allowed items', () => {
    // Pool = items 0..9. User 0 holds 0, 1, 2, so its negatives must be uniform over 3..9.
    const t: Interactions = { users: Int32Array.from([0, 0, 0, 1, 1, 1, 1, 1, 1, 2]), items: Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) };
    const sets = userItemSets(3, t).sets;
    const s = new TrainSampler({ nItems: 10, train: t, trainSets: sets }, { seed: 5, batchSize: 10 });
    const counts = new Map<number, number>();
    for (let e = 0; e < 6000; e++) for (const b of s.epochBatches()) b.users.forEach((u, k) => u === 0 && counts.set(b.neg[k], (counts.get(b.neg[k]) ?? 0) + 1));
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(18000);
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - total / 7) ** 2 / (total / 7);
    expect(chi2).toBeLessThan(22.5); // p ≈ 0.001 at 6 degrees of freedom
  });

  test('deterministic per seed; different seeds differ; every epoch has a new order', () => {
    const a = take(new TrainSampler(ds, { seed: 9, batchSize: 40 }), 30);
    const b = take(new TrainSampler(ds, { seed: 9, batchSize: 40 }), 30);
    const c = take(new TrainSampler(ds, { seed: 10, batchSize: 40 }), 30);
    for (const key of ['users', 'pos', 'neg'] as const) expect(concat(a, key)).toEqual(concat(b, key));
    expect(concat(a, 'users')).not.toEqual(concat(c, 'users'));
    const s = new TrainSampler(ds, { seed: 9, batchSize: 1000 });
    expect(Array.from(s.nextBatch().users)).not.toEqual(Array.from(s.nextBatch().users));
  });

  test('row order does not depend on the batch size (independent shuffle stream)', () => {
    const a = new TrainSampler(ds, { seed: 4, batchSize: 7 });
    const b = new TrainSampler(ds, { seed: 4, batchSize: 64 });
    for (let e = 0; e < 3; e++) expect(concat([...a.epochBatches()], 'pos')).toEqual(concat([...b.epochBatches()], 'pos'));
  });

  test.each([
    ['mid-epoch', 13],
    ['at an epoch boundary', 2 * Math.ceil(nRows / 32)],
    ['before the first batch', 0],
  ])('resume %s is bit-identical', (_, before) => {
    const ref = new TrainSampler(ds, { seed: 11, batchSize: 32 });
    take(ref, before);
    const saved = JSON.parse(JSON.stringify(ref.state()));
    const cont = take(ref, 40);
    const resumed = TrainSampler.restore(ds, saved);
    const again = take(resumed, 40);
    for (const key of ['users', 'pos', 'neg'] as const) expect(concat(again, key)).toEqual(concat(cont, key));
    expect(again.map((x) => [x.epoch, x.step])).toEqual(cont.map((x) => [x.epoch, x.step]));
    expect(resumed.state()).toEqual(ref.state());
  });

  test('clear errors: a user holding every pool item, bad state, bad batch size', () => {
    const train: Interactions = { users: Int32Array.from([0, 0, 1]), items: Int32Array.from([0, 1, 0]) };
    const sets = userItemSets(2, train).sets;
    expect(() => new TrainSampler({ nItems: 2, train, trainSets: sets })).toThrow(/user 0 has interacted with all 2 items that occur in the train split/);
    try {
      new TrainSampler({ nItems: 2, train, trainSets: sets });
    } catch (e) {
      expect((e as MmgError).code).toBe('MMG_E_DATA');
    }
    expect(() => new TrainSampler(ds, { batchSize: 0 })).toThrow(/positive integer batchSize/);
    const st = new TrainSampler(ds).state();
    expect(() => TrainSampler.restore(ds, { ...st, nRows: 3 })).toThrow(/saved for 3 train rows/);
    expect(() => TrainSampler.restore(ds, { ...st, step: 99 })).toThrow(/expected step </);
    expect(() => TrainSampler.restore(ds, { ...st, negatives: [1, 2, 3] as never })).toThrow(/four uint32/);
  });
});

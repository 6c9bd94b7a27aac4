import { applySplit, splitCounts, splitLabels } from '../../lib/data/split';
import type { Interactions } from '../../lib/data/dataset';
import { Prng } from '../../lib/data/prng';

describe('per-user split rule (MMRec 1splitting)', () => {
  test('counts', () => {
    expect(splitCounts(1)).toEqual([1, 0, 0]);
    expect(splitCounts(2)).toEqual([2, 0, 0]);
    expect(splitCounts(3)).toEqual([1, 1, 1]);
    expect(splitCounts(9)).toEqual([7, 1, 1]);
    expect(splitCounts(10)).toEqual([8, 1, 1]);
    expect(splitCounts(14)).toEqual([12, 1, 1]);
    expect(splitCounts(15)).toEqual([12, 1, 2]);
    expect(splitCounts(20)).toEqual([16, 2, 2]);
    expect(splitCounts(101)).toEqual([81, 10, 10]);
    for (let n = 3; n < 300; n++) {
      const [a, b, c] = splitCounts(n);
      expect(a + b + c).toBe(n);
      expect(Math.min(a, b, c)).toBeGreaterThanOrEqual(1);
    }
  });

  test('labels follow the counts per user; seeded; rows keep file order', () => {
    const rng = new Prng(1, 'test');
    const n = 2000;
    const inter: Interactions = { users: Int32Array.from({ length: n }, () => rng.int(150)), items: Int32Array.from({ length: n }, (_, r) => r) };
    const labels = splitLabels(150, inter, { seed: 3 });
    const per = new Map<number, number[]>();
    inter.users.forEach((u, r) => {
      const c = per.get(u) ?? [0, 0, 0];
      c[labels[r]]++;
      per.set(u, c);
    });
    for (const [, c] of per) expect(c).toEqual(splitCounts(c[0] + c[1] + c[2]));
    expect(Array.from(splitLabels(150, inter, { seed: 3 }))).toEqual(Array.from(labels));
    expect(Array.from(splitLabels(150, inter, { seed: 4 }))).not.toEqual(Array.from(labels));
    const [train, valid, test] = applySplit(inter, labels);
    expect(train.items.length + valid.items.length + test.items.length).toBe(n);
    for (const s of [train, valid, test]) for (let k = 1; k < s.items.length; k++) expect(s.items[k]).toBeGreaterThan(s.items[k - 1]);
  });

  test('chronological: latest rows are validation then test; ties keep file order', () => {
    const inter: Interactions = { users: Int32Array.from([0, 0, 0, 0, 0]), items: Int32Array.from([10, 11, 12, 13, 14]) };
    const labels = splitLabels(1, inter, { mode: 'chronological', timestamps: [5, 1, 9, 9, 2] });
    expect(Array.from(labels)).toEqual([0, 0, 1, 2, 0]);
    expect(() => splitLabels(1, inter, { mode: 'chronological' })).toThrow(/needs one timestamp per row/);
  });
});

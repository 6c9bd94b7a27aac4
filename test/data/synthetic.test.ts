import { syntheticDataset, SYNTHETIC_PRESETS } from '../../lib/data/synthetic';
import { itemTrainCounts } from '../../lib/data/dataset';
import { Prng } from '../../lib/data/prng';
import { MmgError } from '../../lib/errors';

describe('synthetic datasets', () => {
  const tiny = syntheticDataset('tiny');

  test('tiny: deterministic, shapes, every user ≥ 5 rows and in every split, every item used', () => {
    const again = syntheticDataset('tiny');
    expect(Array.from(again.train.items)).toEqual(Array.from(tiny.train.items));
    expect(Buffer.from(again.features.get('image')!.data.buffer).equals(Buffer.from(tiny.features.get('image')!.data.buffer))).toBe(true);
    expect([tiny.nUsers, tiny.nItems]).toEqual([60, 40]);
    const perUser = new Int32Array(tiny.nUsers);
    const perItem = new Int32Array(tiny.nItems);
    for (const s of [tiny.train, tiny.valid, tiny.test]) s.users.forEach((u, r) => (perUser[u]++, perItem[s.items[r]]++));
    expect(Math.min(...perUser)).toBeGreaterThanOrEqual(5);
    expect(Math.min(...perItem)).toBeGreaterThanOrEqual(1);
    expect(new Set(tiny.valid.users).size).toBe(60);
    expect(new Set(tiny.test.users).size).toBe(60);
    expect(tiny.report.duplicateTrainRows).toBe(0);
    expect(tiny.features.get('image')!.dim).toBe(SYNTHETIC_PRESETS.tiny.imageDim);
  });

  test('image features are non-negative, text rows unit-norm', () => {
    const img = tiny.features.get('image')!;
    expect(img.data.every((v) => v >= 0)).toBe(true);
    expect(img.data.some((v) => v > 0)).toBe(true);
    const txt = tiny.features.get('text')!;
    for (let i = 0; i < tiny.nItems; i++) {
      let s = 0;
      for (let c = 0; c < txt.dim; c++) s += txt.data[i * txt.dim + c] ** 2;
      expect(Math.abs(Math.sqrt(s) - 1)).toBeLessThan(1e-6);
    }
  });

  test('small: popularity is long-tailed and features carry preference signal', () => {
    const ds = syntheticDataset('small');
    expect([ds.nUsers, ds.nItems]).toEqual([1500, 800]);
    const counts = Array.from(itemTrainCounts(ds)).sort((a, b) => b - a);
    const head = counts.slice(0, 160).reduce((a, b) => a + b, 0);
    expect(head / ds.train.items.length).toBeGreaterThan(0.4); // top 20% of items hold > 40% of rows
    // Items a user co-interacted with are closer in text space than random pairs.
    const txt = ds.features.get('text')!;
    const cos = (a: number, b: number) => {
      let s = 0;
      for (let c = 0; c < txt.dim; c++) s += txt.data[a * txt.dim + c] * txt.data[b * txt.dim + c];
      return s;
    };
    let co = 0;
    let nCo = 0;
    const { indptr, indices } = ds.trainSets;
    for (let u = 0; u < ds.nUsers; u++) for (let p = indptr[u] + 1; p < indptr[u + 1]; p++) (co += cos(indices[p - 1], indices[p])), nCo++;
    const rng = new Prng(1, 'pairs');
    let rnd = 0;
    for (let k = 0; k < nCo; k++) rnd += cos(rng.int(ds.nItems), rng.int(ds.nItems));
    expect(co / nCo).toBeGreaterThan(rnd / nCo + 0.1);
  });

  test('seed and overrides change the data; bad options are rejected', () => {
    const other = syntheticDataset('tiny', { seed: 1 });
    expect(Array.from(other.train.items)).not.toEqual(Array.from(tiny.train.items));
    const wide = syntheticDataset('tiny', { imageDim: 5, textDim: 7 });
    expect([wide.features.get('image')!.dim, wide.features.get('text')!.dim]).toEqual([5, 7]);
    expect(() => syntheticDataset('tiny', { minPerUser: 2 })).toThrow(MmgError);
    expect(() => syntheticDataset('huge' as never)).toThrow(/expected a preset/);
  });
});

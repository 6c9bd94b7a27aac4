/** SINGER's collaborative item–item graph (singer.md §4.3). @covers cooccurrence_graph */
import * as fc from 'fast-check';
import { MmgError, cooccurrenceGraph, type CooccurrenceMode } from '../../lib';
import { runOp } from '../../lib/ops/run';
import { tensor, type Device } from '../../lib/tensor';
import { Rng } from '../harness/rng';
import { cooccurrenceGraphRef, cooccurrenceSimRef, twoHopDenseRef } from '../reference/cooccurrence_graph';
import { EMU } from '../../lib/testing';

const MODES: CooccurrenceMode[] = ['cosine', 'count', 'two_hop'];

function arrays(nUsers: number, nItems: number, users: number[], items: number[], k: number, mode: CooccurrenceMode,
  dtype: 'float32' | 'float64' = 'float64', device: Device = 'cpu') {
  const g = cooccurrenceGraph(nUsers, nItems, Int32Array.from(users), Int32Array.from(items), k, { mode, dtype, device });
  expect([g.nRows, g.nCols, g.dtype, g.device]).toEqual([nItems, nItems, dtype, device]);
  const a = g.toArrays();
  g.dispose();
  return { indptr: Array.from(a.indptr), indices: Array.from(a.indices), values: Array.from(a.values) };
}

function expectMatchesRef(nUsers: number, nItems: number, users: number[], items: number[], k: number, mode: CooccurrenceMode) {
  const got = arrays(nUsers, nItems, users, items, k, mode);
  const ref = cooccurrenceGraphRef(nUsers, nItems, users, items, k, mode);
  expect(got.indptr).toEqual(ref.indptr);
  expect(got.indices).toEqual(ref.indices);
  got.values.forEach((v, q) => expect(Math.abs(v - ref.values[q])).toBeLessThanOrEqual(1e-12 * Math.abs(ref.values[q])));
  // Rows ascend strictly, values positive.
  for (let r = 0; r < nItems; r++) for (let q = got.indptr[r] + 1; q < got.indptr[r + 1]; q++) expect(got.indices[q]).toBeGreaterThan(got.indices[q - 1]);
  got.values.forEach((v) => expect(v).toBeGreaterThan(0));
  return got;
}

/** Random pairs with repeats (collapsed by the op) and items nobody touched. */
function randomPairs(rng: Rng, nUsers: number, nItems: number, nPairs: number) {
  const users: number[] = [], items: number[] = [];
  for (let q = 0; q < nPairs; q++) {
    users.push(rng.int(nUsers));
    items.push(rng.int(nItems));
    if (rng.uniform() < 0.1 && q > 0) { users.push(users[q - 1]); items.push(items[q - 1]); }
  }
  return { users, items };
}

describe('cooccurrenceGraph', () => {
  const rng = new Rng(41);

  test('hand-computed cosine graph: values, ties at the cut keep the lower column', () => {
    // u0 {0, 1}, u1 {0, 1, 2}: deg = 2, 2, 1; C01 = 2, C02 = C12 = 1.
    // sim01 = 1, sim02 = sim12 = 1/√2. k = 1: row 0 keeps 1, row 1 keeps 0, row 2 ties 0/1 → 0.
    // D = 1, 1, 1/√2: w01 = w10 = 1, w20 = 2^¼ · 2^-½ · 1 = 2^-¼.
    const g = arrays(2, 3, [0, 0, 1, 1, 1, 1], [0, 1, 0, 1, 2, 2], 1, 'cosine');
    expect(g.indptr).toEqual([0, 1, 2, 3]);
    expect(g.indices).toEqual([1, 0, 0]);
    expect(g.values[0]).toBeCloseTo(1, 14);
    expect(g.values[1]).toBeCloseTo(1, 14);
    expect(g.values[2]).toBeCloseTo(Math.pow(2, -0.25), 14);
  });

  test('ties: the larger value first, then the smaller column (count mode, by hand)', () => {
    // u0 {0, 1, 2, 3}, u1 {0, 3}, u2 {4, 1}: row 0 counts 1:1, 2:1, 3:2 → k = 2 keeps 3 (value) and
    // 1 (lower column of the tie 1/2). Row 4 has one neighbour (1), k larger than that keeps it alone.
    const g = arrays(3, 5, [0, 0, 0, 0, 1, 1, 2, 2], [0, 1, 2, 3, 0, 3, 4, 1], 2, 'count');
    expect(g.indices.slice(g.indptr[0], g.indptr[1])).toEqual([1, 3]);
    expect(g.indices.slice(g.indptr[4], g.indptr[5])).toEqual([1]);
    // Row 1: 0:1, 2:1, 3:1, 4:1 → 0 and 2.
    expect(g.indices.slice(g.indptr[1], g.indptr[2])).toEqual([0, 2]);
    // Degrees (row sums of kept counts): D0 = 3, D1 = 2, D4 = 1: w01 = 1/√(3·2), w41 = 1/√(1·2).
    expect(g.values[g.indptr[0]]).toBeCloseTo(1 / Math.sqrt(6), 14);
    expect(g.values[g.indptr[4]]).toBeCloseTo(1 / Math.sqrt(2), 14);
    expectMatchesRef(3, 5, [0, 0, 0, 0, 1, 1, 2, 2], [0, 1, 2, 3, 0, 3, 4, 1], 2, 'count');
  });

  test.each(MODES)('%s: matches the dense reference on small random interactions, any k (property)', (mode) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 40 }), (nu, ni, np) => {
        const { users, items } = randomPairs(rng, nu, ni, np);
        expectMatchesRef(nu, ni, users, items, 1 + rng.int(ni + 2), mode);
        return true;
      }),
      { numRuns: 60 },
    );
  });

  test('ties on repeated structure: identical items tie exactly in every mode', () => {
    // Items 1..5 are each bought by the same two users as item 0: every sim(0, j) is equal.
    const users: number[] = [], items: number[] = [];
    for (const u of [0, 1]) for (let i = 0; i < 6; i++) { users.push(u); items.push(i); }
    users.push(2, 2); items.push(6, 3);
    for (const mode of MODES) {
      const g = expectMatchesRef(3, 7, users, items, 3, mode);
      expect(g.indices.slice(g.indptr[0], g.indptr[1])).toEqual(mode === 'count' ? [1, 2, 3] : [1, 2, 4]);
    }
  });

  test('two_hop equals R̂ᵀR̂ with R̂ = D_u^-½ R D_i^-½ (the factorized arithmetic is the spec formula)', () => {
    for (let t = 0; t < 10; t++) {
      const { users, items } = randomPairs(rng, 6, 9, 30);
      const a = cooccurrenceSimRef(6, 9, users, items, 'two_hop'), b = twoHopDenseRef(6, 9, users, items);
      a.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - b[i][j])).toBeLessThanOrEqual(1e-14)));
    }
  });

  test('empty rows: cold items, items whose users bought nothing else, no pairs at all, zero sizes', () => {
    // Item 2 is cold, item 3 is u2's only item, items 0 and 1 co-occur.
    const g = expectMatchesRef(3, 4, [0, 0, 2, 1], [0, 1, 3, 0], 5, 'cosine');
    expect(g.indptr).toEqual([0, 1, 2, 2, 2]);
    g.values.forEach((v) => expect(v).toBeCloseTo(1, 15));
    expect(arrays(3, 4, [], [], 2, 'two_hop').indptr).toEqual([0, 0, 0, 0, 0]);
    expect(arrays(0, 0, [], [], 1, 'cosine')).toEqual({ indptr: [0], indices: [], values: [] });
    expect(arrays(2, 1, [0, 1], [0, 0], 3, 'count')).toEqual({ indptr: [0, 0], indices: [], values: [] });
  });

  test('k larger than the neighbours keeps them all; k = 1', () => {
    const { users, items } = randomPairs(rng, 10, 15, 60);
    const all = expectMatchesRef(10, 15, users, items, 1000, 'cosine');
    const sim = cooccurrenceSimRef(10, 15, users, items, 'cosine');
    for (let i = 0; i < 15; i++) expect(all.indptr[i + 1] - all.indptr[i]).toBe(sim[i].filter((v) => v > 0).length);
    const one = expectMatchesRef(10, 15, users, items, 1, 'two_hop');
    for (let i = 0; i < 15; i++) expect(one.indptr[i + 1] - one.indptr[i]).toBe(sim[i].some((v) => v > 0) ? 1 : 0);
  });

  test('float32 is the float64 result rounded once; a default call is cosine in float32', () => {
    const { users, items } = randomPairs(rng, 12, 20, 80);
    for (const mode of MODES) {
      const d = arrays(12, 20, users, items, 4, mode, 'float64');
      const f = arrays(12, 20, users, items, 4, mode, 'float32');
      expect(f.indices).toEqual(d.indices);
      expect(f.values).toEqual(Array.from(Float32Array.from(d.values)));
    }
    const g = cooccurrenceGraph(12, 20, Int32Array.from(users), Int32Array.from(items), 4);
    expect(g.dtype).toBe('float32');
    expect(Array.from(g.toArrays().values)).toEqual(arrays(12, 20, users, items, 4, 'cosine', 'float32').values);
    g.dispose();
  });

  test('a larger input (several worker chunks; several emulated blocks per row set) matches the reference and cuda-emu bit for bit', () => {
    const { users, items } = randomPairs(rng, 120, 90, 900);
    for (const mode of MODES) {
      const cpu = expectMatchesRef(120, 90, users, items, 7, mode);
      expect(arrays(120, 90, users, items, 7, mode, 'float64', EMU)).toEqual(cpu);
    }
    // A hub user with more items than a block has threads: the strided scatter covers them all.
    const hub = Array.from({ length: 600 }, (_, i) => i);
    const u2 = [...hub.map(() => 0), 1, 1, 2, 2], i2 = [...hub, 3, 7, 7, 599];
    for (const mode of MODES) expect(arrays(3, 600, u2, i2, 5, mode, 'float32', EMU)).toEqual(arrays(3, 600, u2, i2, 5, mode, 'float32'));
  });

  test('errors: ids out of range, k not an integer >= 1, lengths, mode and dtype; malformed native inputs', () => {
    const u = Int32Array.from([0, 1]), i = Int32Array.from([1, 2]);
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as MmgError;
      }
      throw new Error('no error');
    };
    expect(err(() => cooccurrenceGraph(2, 2, u, i, 1)).message).toBe('cooccurrence_graph: expected item ids in [0, 2), got 2 at pair 1');
    expect(err(() => cooccurrenceGraph(2, 2, u, i, 1)).code).toBe('MMG_E_DATA');
    expect(() => cooccurrenceGraph(1, 3, u, i, 1)).toThrow(/^cooccurrence_graph: expected user ids in \[0, 1\), got 1 at pair 1$/);
    expect(() => cooccurrenceGraph(2, 3, [0, -1], [0, 0], 1)).toThrow(/got -1 at pair 1/);
    expect(err(() => cooccurrenceGraph(2, 3, u, i, 0)).code).toBe('MMG_E_ARG');
    expect(() => cooccurrenceGraph(2, 3, u, i, 0)).toThrow(/^cooccurrence_graph: expected an integer k >= 1, got 0$/);
    expect(() => cooccurrenceGraph(2, 3, u, i, 2.5)).toThrow(/expected an integer k >= 1, got 2.5/);
    expect(err(() => cooccurrenceGraph(2, 3, u, Int32Array.from([1]), 1)).code).toBe('MMG_E_SHAPE');
    expect(() => cooccurrenceGraph(2, 3, u, Int32Array.from([1]), 1)).toThrow(/expected trainUsers and trainItems of equal length, got 2 and 1/);
    expect(() => cooccurrenceGraph(2, 3, u, i, 1, { mode: 'jaccard' as CooccurrenceMode })).toThrow(/expected mode 'cosine', 'count' or 'two_hop', got 'jaccard'/);
    expect(() => cooccurrenceGraph(2, 3, u, i, 1, { dtype: 'int32' as 'float32' })).toThrow(/expected dtype float32 or float64, got int32/);
    expect(() => cooccurrenceGraph(-1, 3, u, i, 1)).toThrow(/expected non-negative integer nUsers and nItems, got -1 and 3/);
    // The native op checks what the wrapper guarantees: coalesced rows and Rt = Rᵀ.
    const t = (a: number[]) => tensor(Int32Array.from(a), [a.length]);
    const run = (device: Device, rp: number[], rj: number[], tp: number[], tj: number[], attrs = [2]) =>
      runOp('cooccurrence_graph', [t(rp), t(rj), t(tp), t(tj)].map((x) => x.to(device)), attrs);
    for (const device of ['cpu', EMU] as Device[]) {
      expect(() => run(device, [0, 2], [1, 1], [0, 0, 2], [0, 0])).toThrow(
        /^cooccurrence_graph: expected R's rows to hold strictly ascending item ids \(no duplicate pairs\), got a repeat or descent in row 0$/);
      expect(() => run(device, [0, 1, 2], [1, 0], [0, 1, 2], [1, 0])).not.toThrow();
      expect(() => run(device, [0, 1, 2], [1, 0], [0, 1, 2], [0, 1])).toThrow(/expected Rt to be the transpose of R, got a pair of R's row 0 missing from Rt/);
      expect(() => run(device, [0, 1, 2], [1, 0], [0, 2, 2], [1, 0])).toThrow(/expected Rt's rows to hold strictly ascending user ids/);
      expect(() => run(device, [0, 1], [1], [0, 0, 2], [0, 0])).toThrow(/expected R and Rt with the same number of pairs, got 1 and 2/);
      expect(() => run(device, [0, 1], [2], [0, 0, 1], [0])).toThrow(/expected R indices in \[0, 2\), got 2 at entry 0/);
      expect(() => run(device, [0, 1], [1], [0, 0, 1], [0], [2, 3])).toThrow(/expected mode 0 \(cosine\), 1 \(count\) or 2 \(two_hop\), got 3/);
      expect(() => run(device, [0, 1], [1], [0, 0, 1], [0], [2, 0, 2])).toThrow(/expected dtype code 0 \(float32\) or 1 \(float64\), got 2/);
    }
  });
});

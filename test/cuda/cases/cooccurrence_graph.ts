import type { OpCase, Sample } from '../cases';
import { tensor, dtypeCode, type DType, type Tensor } from '../../../lib/tensor';
import type { Rng } from '../../harness/rng';

const i32 = (a: number[]): Tensor => tensor(Int32Array.from(a), [a.length]);

/** R and Rᵀ of the binary interactions as coalesced CSR arrays (the wrapper's csr_from_coo + csr_transpose). */
function csrPair(nUsers: number, nItems: number, users: number[], items: number[]) {
  const byUser = Array.from({ length: nUsers }, () => new Set<number>());
  users.forEach((u, q) => byUser[u].add(items[q]));
  const byItem = Array.from({ length: nItems }, () => [] as number[]);
  const rp = [0], rj: number[] = [];
  byUser.forEach((s, u) => {
    for (const i of [...s].sort((a, b) => a - b)) { rj.push(i); byItem[i].push(u); }
    rp.push(rj.length);
  });
  const tp = [0], tj: number[] = [];
  for (const us of byItem) { tj.push(...us); tp.push(tj.length); }
  return { rp, rj, tp, tj };
}

function sample(rng: Rng, nUsers: number, nItems: number, nPairs: number, k: number, mode: number, dtype: DType, what: string, hub = 0): Sample {
  const users: number[] = [], items: number[] = [];
  for (let q = 0; q < nPairs; q++) { users.push(rng.int(nUsers)); items.push(rng.int(nItems)); }
  for (let i = 0; i < hub; i++) { users.push(0); items.push(i); }  // user 0 has `hub` items: longer than a block
  const { rp, rj, tp, tj } = csrPair(nUsers, nItems, users, items);
  return { inputs: [i32(rp), i32(rj), i32(tp), i32(tj)], attrs: [k, mode, dtypeCode(dtype)], what };
}

export const cases: OpCase[] = [
  {
    kernel: 'cooccurrence_graph',
    dtypes: ['float32', 'float64'],
    // cooccurrence_graph.h: every accumulator gets its terms in the same (user) order, and the
    // sims, degrees and weights use one formula with only correctly rounded operations, no FMA.
    tol: { float32: 0, float64: 0 },
    why: 'same arithmetic in the same order on every backend',
    samples: (rng, dtype) => [
      sample(rng, 30, 25, 150, 5, 0, dtype, 'cosine, k=5'),
      sample(rng, 30, 25, 150, 5, 1, dtype, 'count, k=5 (many exact ties)'),
      sample(rng, 30, 25, 150, 5, 2, dtype, 'two_hop, k=5'),
      sample(rng, 8, 40, 30, 100, 0, dtype, 'k larger than every row; cold items'),
      sample(rng, 4, 700, 60, 3, 2, dtype, 'n_items > kBlock, a hub user with 650 items', 650),
      sample(rng, 200, 120, 1500, 10, 0, dtype, 'denser, k=10'),
      sample(rng, 5, 6, 0, 2, 0, dtype, 'no interactions: all rows empty'),
      sample(rng, 3, 1, 3, 1, 1, dtype, 'one item'),
      sample(rng, 0, 0, 0, 1, 0, dtype, 'no users, no items'),
    ],
    bad: () => {
      const s = (rp: number[], rj: number[], tp: number[], tj: number[], attrs: number[], what: string): Sample =>
        ({ inputs: [i32(rp), i32(rj), i32(tp), i32(tj)], attrs, what });
      return [
        s([0, 1], [1], [0, 0, 1], [0], [0], 'k = 0'),
        s([0, 1], [1], [0, 0, 1], [0], [1, 5], 'mode 5'),
        s([0, 1], [1], [0, 0, 1], [0], [1, 0, 3], 'dtype code 3 (int64)'),
        s([0, 1], [2], [0, 0, 1], [0], [1], 'R item id out of range'),
        s([0, 1], [1], [0, 0, 1], [3], [1], 'Rt user id out of range'),
        s([0, 2, 1], [0, 1], [0, 1, 2], [0, 0], [1], 'R indptr decreasing'),
        s([0, 1], [1], [0, 0, 2], [0, 0], [1], 'nnz differ'),
        s([0, 2], [1, 1], [0, 0, 2], [0, 0], [1], 'duplicate pair in R row 0'),
        s([0, 1, 2], [1, 1], [0, 0, 2], [1, 0], [1], 'Rt row 1 descends'),
        s([0, 1, 2, 3], [0, 1, 0], [0, 2, 3], [0, 1, 2], [1], 'Rt not the transpose (the pair of R row 1 is missing)'),
        { inputs: [i32([0, 1]), i32([1]), i32([0, 0, 1])], attrs: [1], what: 'three inputs' },
        { inputs: [tensor([0, 1], [2], { dtype: 'float32' }), i32([1]), i32([0, 0, 1]), i32([0])], attrs: [1], what: 'float indptr' },
      ];
    },
  },
];

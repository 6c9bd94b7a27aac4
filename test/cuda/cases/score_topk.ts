import type { OpCase, Sample } from '../cases';
import { randn } from '../cases';
import { tensor, type DType, type Tensor } from '../../../lib/tensor';
import type { Rng } from '../../harness/rng';
import { EMU } from '../../../lib/testing';

const i32 = (v: number[]): Tensor => tensor(Int32Array.from(v), [v.length]);
const MASKED = -1e10;

/** Exclusion CSR with B rows: random items per row (duplicates allowed), some rows empty. */
function mask(rng: Rng, b: number, n: number, perRow: number): Tensor[] {
  const p = [0];
  const j: number[] = [];
  for (let r = 0; r < b; r++) {
    if (r % 3 !== 0) for (let q = rng.int(perRow + 1); q > 0; q--) j.push(rng.int(n));
    p.push(j.length);
  }
  return [i32(p), i32(j)];
}

/** Scores of a sample recomputed in double: ref(r, i), and Σ|u·v| as the rounding scale. */
function scorer(s: Sample) {
  const [U, I, P, J] = s.inputs;
  const u = U!.toArray(), it = I!.toArray();
  const [b, d] = U!.shape, n = I!.shape[0];
  const masked = new Set<number>();
  if (P && J) {
    const p = P.toArray(), j = J.toArray();
    for (let r = 0; r < b; r++) for (let q = p[r]; q < p[r + 1]; q++) masked.add(r * n + j[q]);
  }
  const dot = (r: number, i: number, abs: boolean) => {
    let acc = 0;
    for (let c = 0; c < d; c++) acc += abs ? Math.abs(u[r * d + c] * it[i * d + c]) : u[r * d + c] * it[i * d + c];
    return acc;
  };
  return {
    n,
    ref: (r: number, i: number) => (masked.has(r * n + i) ? MASKED : dot(r, i, false)),
    scale: (r: number, i: number) => (masked.has(r * n + i) ? 0 : dot(r, i, true)),
  };
}

const TIE: Record<string, number> = { float32: 1e-5, float64: 1e-12 };

export const cases: OpCase[] = [
  {
    kernel: 'score_topk',
    dtypes: ['float32', 'float64'],
    // Values: cuda-emu forms the scores with the same CPU gemm (tiles of other shapes), a GPU with
    // cuBLAS: d-term dot products rounded differently. Masked entries are exactly -1e10 everywhere.
    tol: { float32: 1e-5, float64: 1e-12 },
    why: 'scores are d-term dot products from another gemm',
    samples: (rng, dtype) => {
      const ui = (b: number, n: number, d: number) => [randn(rng, [b, d], dtype), randn(rng, [n, d], dtype)];
      const s = (inputs: Array<Tensor | null>, attrs: number[], what: string): Sample => ({ inputs, attrs, what });
      // Items 0..5 repeated: exact score ties among copies, broken by the lower index.
      const dupItems = (() => {
        const base = randn(rng, [6, 4], dtype).toArray();
        const rows = Array.from({ length: 30 }, (_, i) => base.slice((i % 6) * 4, (i % 6) * 4 + 4)).flat();
        return tensor(rows, [30, 4], { dtype });
      })();
      const one = tensor([1], [1, 1], { dtype });
      const six = tensor([2, 5, 2, 5, 1, 0], [6, 1], { dtype });
      return [
        s([...ui(5, 17, 4), ...mask(rng, 5, 17, 4)], [5], '5 users, 17 items, K=5, masked'),
        s([...ui(40, 300, 8), ...mask(rng, 40, 300, 6)], [50, 0, 0], '40x300, K=50, masked'),
        s([...ui(70, 1100, 16), ...mask(rng, 70, 1100, 8)], [20, 7, 64], '70x1100, K=20, user_tile 7 (11 batches)'),
        s([...ui(3, 600, 8)], [600], 'K = n = 600, no mask'),
        s([...ui(4, 257, 3), null, null], [3, 1, 0], 'n = kBlock+1, mask given as nulls, batches of 1'),
        s([...ui(1, 1, 3)], [1], 'one user, one item'),
        s([randn(rng, [7, 4], dtype), dupItems, ...mask(rng, 7, 30, 3)], [12], 'duplicate items: exact ties'),
        s([one, six, i32([0, 3]), i32([4, 1, 3])], [5], 'ties and fewer than K unmasked (masked tail by index)'),
        s([tensor([1, -1], [2, 1], { dtype }), six, i32([0, 6, 6]), i32([5, 4, 3, 2, 1, 0])], [3], 'every item masked for user 0'),
        s([...ui(6, 9, 0)], [4], 'd = 0: all scores 0, indices by order'),
        s([...ui(0, 9, 3), i32([0]), i32([])], [2], 'no users'),
      ];
    },
    custom: {
      // Indices up to near-ties on a GPU (cuBLAS rounds the scores differently); exact on cuda-emu.
      0: (cpu, dev, s) => {
        const ci = cpu[0].toArray(), di = dev[0].toArray(), dv = dev[1].toArray();
        const [b, k] = cpu[0].shape;
        if (dev[0].device === EMU) {
          const q = ci.findIndex((v, i) => v !== di[i]);
          return q < 0 ? null : `index ${q} (user ${Math.floor(q / k)}): ${di[q]} on cuda-emu, ${ci[q]} on cpu`;
        }
        const sc = scorer(s);
        const tie = TIE[cpu[1].dtype];
        for (let r = 0; r < b; r++) {
          const seen = new Set<number>();
          for (let q = 0; q < k; q++) {
            const e = r * k + q, a = di[e], c = ci[e];
            if (!(a >= 0 && a < sc.n) || seen.has(a)) return `user ${r}: index ${a} out of range or repeated`;
            seen.add(a);
            const slack = tie * (sc.scale(r, a) + sc.scale(r, c));
            if (Math.abs(sc.ref(r, a) - dv[e]) > 10 * tie * sc.scale(r, a))
              return `user ${r} rank ${q}: value ${dv[e]} is not item ${a}'s score ${sc.ref(r, a)}`;
            if (a !== c && Math.abs(sc.ref(r, a) - sc.ref(r, c)) > slack)
              return `user ${r} rank ${q}: item ${a} (score ${sc.ref(r, a)}) where cpu has ${c} (${sc.ref(r, c)}), not a near-tie`;
            if (q > 0 && !(dv[e - 1] > dv[e] || (dv[e - 1] === dv[e] && di[e - 1] < a)))
              return `user ${r} rank ${q}: not best first with the lower index first on ties`;
          }
        }
        return null;
      },
      // Values: masked ranks exactly -1e10, others within tol of the largest unmasked |score|.
      1: (cpu, dev) => {
        const c = cpu[1].toArray(), d = dev[1].toArray();
        const tol = cpu[1].dtype === 'float32' ? 1e-5 : 1e-12;
        let scale = 1e-30;
        for (const v of c) if (v !== MASKED) scale = Math.max(scale, Math.abs(v));
        for (let i = 0; i < c.length; i++) {
          if ((c[i] === MASKED) !== (d[i] === MASKED)) return `rank ${i}: ${d[i]} on device, ${c[i]} on cpu (masked on one side only)`;
          if (Math.abs(c[i] - d[i]) > tol * scale) return `rank ${i}: ${d[i]} on device, ${c[i]} on cpu (scaled error > ${tol})`;
        }
        return null;
      },
    },
    bad: (rng) => {
      const f = (shape: number[], dt: DType = 'float32') => randn(rng, shape, dt);
      const withBad = (shape: number[], at: number, v: number) => {
        const a = f(shape).toArray();
        a[at] = v;
        return tensor(a, shape, { dtype: 'float32' });
      };
      return [
        { inputs: [f([2, 3]), f([5, 3])], attrs: [0], what: 'K = 0' },
        { inputs: [f([2, 3]), f([5, 3])], attrs: [6], what: 'K > n' },
        { inputs: [f([2, 3]), f([5, 3])], attrs: [2, -1, 0], what: 'negative user_tile' },
        { inputs: [f([2, 3]), f([5, 4])], attrs: [2], what: 'widths differ' },
        { inputs: [f([2, 3]), f([5, 3], 'float64')], attrs: [2], what: 'mixed dtypes' },
        { inputs: [tensor([1, 2], [1, 2], { dtype: 'int32' }), tensor([1, 2], [1, 2], { dtype: 'int32' })], attrs: [1], what: 'int32 U' },
        { inputs: [f([3]), f([5, 3])], attrs: [2], what: '1-D U' },
        { inputs: [f([2, 3]), f([5, 3]), i32([0, 1, 1])], attrs: [2], what: 'mask_indptr without mask_indices' },
        { inputs: [f([2, 3]), f([5, 3]), i32([1, 1, 2]), i32([0, 1])], attrs: [2], what: 'mask indptr[0] != 0' },
        { inputs: [f([2, 3]), f([5, 3]), i32([0, 2, 1]), i32([0])], attrs: [2], what: 'mask indptr decreasing' },
        { inputs: [f([2, 3]), f([5, 3]), i32([0, 1, 3]), i32([0, 1])], attrs: [2], what: 'mask indptr end != nnz' },
        { inputs: [f([2, 3]), f([5, 3]), i32([0, 1, 3]), i32([0, 5, -1])], attrs: [2], what: 'mask index = n (entry 1, row 1)' },
        { inputs: [f([2, 3]), f([5, 3]), i32([0, 1, 2, 2]), i32([0, 1])], attrs: [2], what: 'mask with B+2 rows' },
        { inputs: [f([2, 3]), f([5, 3]), tensor([0, 1, 1], [3], { dtype: 'int64' }), i32([0])], attrs: [2], what: 'int64 mask indptr' },
        { inputs: [withBad([3, 2], 3, NaN), f([5, 2])], attrs: [2], what: 'NaN in U row 1' },
        { inputs: [f([3, 2]), withBad([5, 2], 9, -Infinity)], attrs: [2], what: '-inf in I row 4' },
        { inputs: [withBad([3, 2], 5, Infinity), withBad([5, 2], 0, NaN)], attrs: [2], what: 'U checked before I' },
        { inputs: [withBad([3, 2], 1, NaN), f([5, 2]), i32([0, 1, 1]), i32([0])], attrs: [2], what: 'bad mask length before finite check' },
      ];
    },
  },
];

import type { OpCase, Sample } from '../cases';
import { maxScaledError } from '../cases';
import { tensor, type DType, type Tensor } from '../../../lib/tensor';
import type { Rng } from '../../harness/rng';
import { EMU } from '../../../lib/testing';

/** Features like the knn tests': normal + 0.3, so most cosines are positive. */
const feats = (rng: Rng, n: number, f: number, dtype: DType): Tensor =>
  tensor(Array.from({ length: n * f }, () => rng.normal() + 0.3), [n, f], { dtype });

/** Cosine of rows i and j of a sample's X, in double. */
function cosine(s: Sample) {
  const x = s.inputs[0]!.toArray();
  const f = s.inputs[0]!.shape[1];
  const norm = (i: number) => Math.sqrt(Array.from({ length: f }, (_, c) => x[i * f + c] ** 2).reduce((a, b) => a + b, 0));
  return (i: number, j: number) => {
    let acc = 0;
    for (let c = 0; c < f; c++) acc += x[i * f + c] * x[j * f + c];
    return acc / (norm(i) * norm(j));
  };
}

const TIE: Record<string, number> = { float32: 1e-5, float64: 1e-12 };
const TOL: Record<string, number> = { float32: 2e-5, float64: 1e-12 };

/** Row r's columns from CSR arrays (indptr is r·k). */
const rowCols = (j: number[], r: number, k: number) => j.slice(r * k, (r + 1) * k);

export const cases: OpCase[] = [
  {
    kernel: 'knn_graph',
    dtypes: ['float32', 'float64'],
    // Cosines: cuda-emu's gemm covers every column of a row block (the CPU reuses sim(j,i) from
    // earlier blocks and scales in the other order), a GPU's is cuBLAS; degrees are summed in
    // best-first order instead of heap order. Float32 weights carry the float32 rounding of the sims.
    tol: { float32: 2e-5, float64: 1e-12 },
    why: 'cosines from another gemm / scaling order; degree sums in another order',
    samples: (rng, dtype) => {
      const s = (x: Tensor, attrs: number[], what: string): Sample => ({ inputs: [x], attrs, what });
      return [
        s(feats(rng, 40, 8, dtype), [10], 'n=40 f=8 k=10'),
        s(feats(rng, 40, 8, dtype), [10, 7], 'n=40 k=10, blocks of 7'),
        s(feats(rng, 300, 12, dtype), [8, 64], 'n=300 k=8, blocks of 64'),
        s(feats(rng, 600, 6, dtype), [5], 'n=600 > kBlock, k=5'),
        s(feats(rng, 25, 3, dtype), [25, 4], 'k = n = 25 (negative degrees give NaN)'),
        s(feats(rng, 9, 4, dtype), [1], 'k = 1: itself'),
        s(feats(rng, 1, 3, dtype), [1], 'one row'),
        s(tensor([1, 0, 1, 1, 1, 1, 1, 1, 0, 1], [5, 2], { dtype }), [2], 'identical rows: ties keep the lower column'),
        s(tensor([1, 0, 1, 1, 1, 1, 1, 1, 0, 1], [5, 2], { dtype }), [3, 2], 'identical rows across blocks of 2'),
      ];
    },
    custom: {
      // Columns: exact on cuda-emu; on a GPU a row may swap columns whose cosines tie within rounding.
      1: (cpu, dev, s) => {
        const cj = cpu[1].toArray(), dj = dev[1].toArray();
        if (dev[1].device === EMU) {
          const q = cj.findIndex((v, i) => v !== dj[i]);
          return q < 0 ? null : `entry ${q}: column ${dj[q]} on cuda-emu, ${cj[q]} on cpu`;
        }
        const n = s.inputs[0]!.shape[0], k = s.attrs![0];
        const cos = cosine(s);
        const tie = TIE[cpu[2].dtype];
        for (let r = 0; r < n; r++) {
          const c = rowCols(cj, r, k), d = rowCols(dj, r, k);
          for (let q = 1; q < k; q++) if (!(d[q] > d[q - 1])) return `row ${r}: columns not strictly increasing`;
          const cs = new Set(c), ds = new Set(d);
          const cut = Math.min(...c.map((j) => cos(r, j)));
          for (const j of [...d.filter((x) => !cs.has(x)), ...c.filter((x) => !ds.has(x))])
            if (!(j >= 0 && j < n) || Math.abs(cos(r, j) - cut) > tie) return `row ${r}: column ${j} differs from cpu and is not a near-tie`;
        }
        return null;
      },
      // Weights per (row, column) both sides kept: exact positions on cuda-emu.
      2: (cpu, dev, s) => {
        const cv = cpu[2].toArray(), dv = dev[2].toArray();
        const tol = TOL[cpu[2].dtype];
        if (dev[2].device === EMU) {
          const e = maxScaledError(dv, cv);
          return e <= tol ? null : `scaled error ${e.toExponential(3)} > ${tol}`;
        }
        const n = s.inputs[0]!.shape[0], k = s.attrs![0];
        const cj = cpu[1].toArray(), dj = dev[1].toArray();
        let scale = 1e-30;
        for (const v of cv) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
        for (let r = 0; r < n; r++) {
          const dm = new Map(rowCols(dj, r, k).map((j, q) => [j, dv[r * k + q]]));
          for (let q = 0; q < k; q++) {
            const j = cj[r * k + q], want = cv[r * k + q], got = dm.get(j);
            if (got === undefined) continue; // a near-tie swap (checked with the columns)
            if (Number.isNaN(want) !== Number.isNaN(got) || Math.abs(want - got) > tol * scale)
              return `row ${r} column ${j}: ${got} on device, ${want} on cpu`;
          }
        }
        return null;
      },
    },
    bad: (rng) => [
      { inputs: [feats(rng, 5, 3, 'float32')], attrs: [0], what: 'k = 0' },
      { inputs: [feats(rng, 5, 3, 'float32')], attrs: [6], what: 'k > n' },
      { inputs: [feats(rng, 5, 3, 'float32')], attrs: [2, -3], what: 'negative block' },
      { inputs: [tensor(new Float32Array(46341), [46341, 1])], attrs: [46341], what: 'n·k >= 2^31' },
      { inputs: [tensor([1, 2, 0, 0, 3, 4, 0, 0], [4, 2], { dtype: 'float32' })], attrs: [2], what: 'zero rows 1 and 3 (row 1 named)' },
      { inputs: [tensor([1, 2, 3, NaN, 3, 4], [3, 2], { dtype: 'float64' })], attrs: [2], what: 'NaN in row 1' },
      { inputs: [tensor([1, 2, 3, 4, Infinity, 4], [3, 2], { dtype: 'float32' })], attrs: [1], what: 'inf in row 2' },
      { inputs: [tensor([1e200, 1, 3, 4], [2, 2], { dtype: 'float64' })], attrs: [1], what: 'norm overflows (inverse 0)' },
      { inputs: [tensor(new Float32Array(0), [3, 0])], attrs: [1], what: 'f = 0: every norm 0' },
      { inputs: [tensor([1, 2], [1, 2], { dtype: 'int32' })], attrs: [1], what: 'int32 X' },
      { inputs: [tensor([1, 2, 3], [3], { dtype: 'float32' })], attrs: [1], what: '1-D X' },
      { inputs: [feats(rng, 4, 2, 'float32'), feats(rng, 4, 2, 'float32')], attrs: [1], what: 'two inputs' },
    ],
  },
];

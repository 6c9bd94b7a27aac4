import type { OpCase, Sample } from '../cases';
import { randn } from '../cases';
import { runOp } from '../../../lib/ops/run';
import { tensor, type DType, type Tensor } from '../../../lib/tensor';
import type { Rng } from '../../harness/rng';
import { badLossInputs, severalChunks } from '../contrastive_cases';

// [n, d, M]: one row (M = 1 and several views), the 64-row block edges, SINGER's d = 64 with two
// modalities, many views, no features, no rows.
const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1], [1, 8, 3], [5, 3, 2], [63, 8, 2], [64, 8, 1], [65, 8, 3], [200, 64, 2], [7, 4, 7], [4, 0, 2], [0, 4, 2],
];

function forwardSamples(rng: Rng, dtype: DType): Sample[] {
  const out: Sample[] = [];
  for (const [n, d, M] of SHAPES)
    for (const tau of [0.2, 0.05])
      out.push({ inputs: Array.from({ length: M + 1 }, () => randn(rng, [n, d], dtype)), attrs: [tau], what: `[${n}, ${d}] M ${M} tau ${tau}` });
  // A zero row in the anchor and in one view (the eps clamp); the anchor reused as a view.
  const z = randn(rng, [3, 4], dtype).toArray();
  z.fill(0, 4, 8);
  const zt = tensor(z, [3, 4], { dtype });
  out.push({ inputs: [zt, randn(rng, [3, 4], dtype), zt], attrs: [0.2], what: 'zero rows, anchor reused as a view' });
  const a = randn(rng, [9, 4], dtype);
  out.push({ inputs: [a, a, randn(rng, [9, 4], dtype)], attrs: [1e-3], what: 'tau 1e-3 (max subtraction)' });
  return out;
}

function backwardSample(inputs: Tensor[], tau: number, path: number, needAnchor: number, what: string): Sample {
  const [, lse] = runOp('anchor_infonce', inputs, [tau]);
  return { inputs: [...inputs, lse, tensor([0.7], [], { dtype: inputs[0].dtype })], attrs: [tau, path, needAnchor], what: `${what} path ${path} need_anchor ${needAnchor}` };
}

const bad = (rng: Rng, backward: boolean): Sample[] => {
  const f = (shape: number[], dtype: DType = 'float32') => randn(rng, shape, dtype);
  const extra = (n: number, dtype: DType = 'float32') => (backward ? [f([n], dtype), tensor([1], [], { dtype })] : []);
  const tail = backward ? [0, 1] : [];
  const shapes: Sample = { inputs: [f([3, 2]), f([3, 2]), f([3, 3]), ...extra(3)], attrs: [0.2, ...tail], what: 'views[1] shape differs' };
  const out = badLossInputs(f, extra, [0.2, ...tail], shapes, [[[0, ...tail], 'tau 0'], [[NaN, ...tail], 'tau NaN']]);
  if (backward)
    out.push(
      { inputs: [f([3, 2]), f([3, 2]), f([2]), tensor([1], [], { dtype: 'float32' })], attrs: [0.2, 0, 1], what: 'lse length' },
      { inputs: [f([3, 2]), f([3, 2]), f([3]), f([2])], attrs: [0.2, 0, 1], what: 'non-scalar g' },
      { inputs: [f([3, 2]), f([3, 2]), f([3], 'float64'), tensor([1], [], { dtype: 'float32' })], attrs: [0.2, 0, 1], what: 'lse dtype' },
      { inputs: [f([3, 2]), f([3, 2]), f([3]), tensor([1], [], { dtype: 'float32' })], attrs: [0.2, 3, 1], what: 'path 3' },
      { inputs: [f([3, 2]), f([3, 2]), f([3]), tensor([1], [], { dtype: 'float32' })], attrs: [0.2, 0, 2], what: 'need_anchor 2' },
      { inputs: [f([3, 2]), f([3, 2]), f([3])], attrs: [0.2, 0, 1], what: 'three inputs' },
    );
  else out.push({ inputs: [f([3, 2])], attrs: [0.2], what: 'no views' });
  return out;
};

export const cases: OpCase[] = [
  {
    kernel: 'anchor_infonce',
    dtypes: ['float32', 'float64'],
    // infonce_loss's reasons: same row bodies and (on cuda-emu) the same gemm; the row sums run in a
    // strided tree and the mean in blocks; on a GPU cuBLAS's order and expf/logf move S by ulps of 1/τ.
    tol: { float32: 1e-5, float64: 1e-12 },
    why: 'similarity gemm rounding and tree-ordered sums',
    // The last sample spans several similarity chunks: M·n = 8200 columns.
    samples: (rng, dtype) => [...forwardSamples(rng, dtype), severalChunks(rng, dtype, 3, [0.2], '[4100, 4] M 2')],
    bad: (rng) => bad(rng, false),
  },
  {
    kernel: 'anchor_infonce_backward',
    dtypes: ['float32', 'float64'],
    // c(P − Y) is the same body (the CPU's exp is vexpf in float32); the products are gemms over
    // M·n (dÂ) and n (dẐ) terms, in the CPU's order on cuda-emu, cuBLAS's on a GPU; path 2 adds
    // dẐ per 64-row chunk where the CPU recomputes Sᵀ.
    tol: { float32: 2e-5, float64: 1e-12 },
    why: 'gemm summation order; same elementwise bodies',
    samples: (rng, dtype) => {
      const out: Sample[] = [];
      for (const s of forwardSamples(rng, dtype)) {
        const inputs = s.inputs as Tensor[];
        // One row and one view: P − Y = 0, the exact gradient is 0 and the tiled path's "0" is
        // rounding noise (see infonce_loss's case).
        const paths = inputs[0].shape[0] === 1 && inputs.length === 2 ? [0, 1] : [0, 1, 2];
        for (const path of paths) out.push(backwardSample(inputs, s.attrs![0], path, 1, s.what));
        out.push(backwardSample(inputs, s.attrs![0], 0, 0, s.what));
      }
      return out;
    },
    bad: (rng) => bad(rng, true),
  },
];

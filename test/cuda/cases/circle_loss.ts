import type { OpCase, Sample } from '../cases';
import { randn } from '../cases';
import { runOp } from '../../../lib/ops/run';
import { tensor, type DType, type Tensor } from '../../../lib/tensor';
import type { Rng } from '../../harness/rng';
import { badLossInputs, severalChunks } from '../contrastive_cases';

// [n, d]: one row (no negatives), two rows, the CPU's 64-row block edges, d = 64, no features, no rows.
const SHAPES: Array<[number, number]> = [[1, 1], [1, 64], [2, 3], [5, 3], [63, 8], [64, 8], [65, 8], [200, 64], [4, 0], [0, 4]];
// [margin, gamma]: SynerGraph's default, the grid's ends, and the limits of the margin.
const SETTINGS: Array<[number, number]> = [[0.25, 80], [0.4, 256], [0, 16], [1, 1]];

/** b = −a (s_p = −1, the largest positive term), b = a (s_p = 1), and an all-zero row (the eps clamp). */
function special(rng: Rng, dtype: DType): Array<[Tensor, Tensor, string]> {
  const a = randn(rng, [6, 5], dtype);
  const av = a.toArray();
  const neg = tensor(av.map((v) => -v), [6, 5], { dtype });
  const z = randn(rng, [3, 4], dtype).toArray();
  z.fill(0, 4, 8);
  return [
    [a, neg, 'b = -a'],
    [a, tensor(av, [6, 5], { dtype }), 'b = a'],
    [tensor(z, [3, 4], { dtype }), randn(rng, [3, 4], dtype), 'a zero row in A'],
  ];
}

function forwardSamples(rng: Rng, dtype: DType): Sample[] {
  const out: Sample[] = [];
  for (const [n, d] of SHAPES)
    for (const [m, g] of SETTINGS)
      out.push({ inputs: [randn(rng, [n, d], dtype), randn(rng, [n, d], dtype)], attrs: [m, g], what: `[${n}, ${d}] m ${m} gamma ${g}` });
  for (const [a, b, what] of special(rng, dtype)) for (const g of [80, 256]) out.push({ inputs: [a, b], attrs: [0.25, g], what: `${what} gamma ${g}` });
  return out;
}

function backwardSample(a: Tensor, b: Tensor, attrs: number[], path: number, g: number, what: string): Sample {
  const [, lse, x] = runOp('circle_loss', [a, b], attrs);
  return { inputs: [a, b, lse, x, tensor([g], [], { dtype: a.dtype })], attrs: [...attrs, path], what: `${what} path ${path}` };
}

const bad = (rng: Rng, backward: boolean): Sample[] => {
  const f = (shape: number[], dtype: DType = 'float32') => randn(rng, shape, dtype);
  const extra = (n: number, dtype: DType = 'float32') => (backward ? [f([n], dtype), f([n], dtype), tensor([1], [], { dtype })] : []);
  const path = backward ? [0] : [];
  const shapes: Sample = { inputs: [f([3, 2]), f([3, 3]), ...extra(3)], attrs: [0.25, 80, ...path], what: 'shapes differ' };
  const out = badLossInputs(f, extra, [0.25, 80, ...path], shapes, [
    [[-0.1, 80, ...path], 'margin < 0'],
    [[1.5, 80, ...path], 'margin > 1'],
    [[0.25, 0, ...path], 'gamma 0'],
    [[0.25, Infinity, ...path], 'gamma inf'],
    [[0.25], 'no gamma'],
  ]);
  if (backward) {
    const one = () => tensor([1], [], { dtype: 'float32' });
    out.push(
      { inputs: [f([3, 2]), f([3, 2]), f([2]), f([3]), one()], attrs: [0.25, 80, 0], what: 'lse length' },
      { inputs: [f([3, 2]), f([3, 2]), f([3]), f([4]), one()], attrs: [0.25, 80, 0], what: 'x length' },
      { inputs: [f([3, 2]), f([3, 2]), f([3]), f([3]), f([2])], attrs: [0.25, 80, 0], what: 'non-scalar g' },
      { inputs: [f([3, 2]), f([3, 2]), f([3], 'float64'), f([3]), one()], attrs: [0.25, 80, 0], what: 'lse dtype' },
      { inputs: [f([3, 2]), f([3, 2]), f([3]), f([3]), one()], attrs: [0.25, 80, 3], what: 'path 3' },
      { inputs: [f([3, 2]), f([3, 2]), f([3]), f([3])], attrs: [0.25, 80, 0], what: 'four inputs' },
    );
  } else out.push({ inputs: [f([3, 2]), f([3, 2]), f([3])], attrs: [0.25, 80], what: 'three inputs' });
  return out;
};

export const cases: OpCase[] = [
  {
    kernel: 'circle_loss',
    dtypes: ['float32', 'float64'],
    // Same per-element bodies and, on cuda-emu, the same gemm (measured: f32 ≤ 1.3e-7, f64 ≤ 1e-15);
    // the row max/sum run in a strided tree instead of the CPU's lanes, and vexpf vs expf differ by
    // ≤ 1 ulp in float32. On a GPU, cuBLAS's
    // order changes the cosines by ulps, which the logits scale by up to 2γ (512 at γ = 256).
    tol: { float32: 1e-4, float64: 1e-12 },
    why: 'similarity gemm rounding scaled by gamma, tree-ordered sums',
    // The last sample spans 2 similarity chunks in float32, 3 in float64.
    samples: (rng, dtype) => [...forwardSamples(rng, dtype), severalChunks(rng, dtype, 2, [0.25, 80], '[4100, 4]')],
    bad: (rng) => bad(rng, false),
  },
  {
    kernel: 'circle_loss_backward',
    dtypes: ['float32', 'float64'],
    // C is the same body; the products are gemms over n terms (path 2 adds dB̂ per 64-row chunk where
    // the CPU recomputes Sᵀ; measured on cuda-emu: f32 ≤ 1e-5, f64 ≤ 1.4e-14, both at γ = 256). float32: exp(z − lse) with z up to γ(1 + m)² amplifies the cosines' ulps.
    tol: { float32: 2e-4, float64: 1e-11 },
    why: 'gemm summation order over n rows, exp of gamma-scaled logits; same elementwise bodies',
    samples: (rng, dtype) => {
      const out: Sample[] = [];
      for (const s of forwardSamples(rng, dtype)) {
        const [a, b] = s.inputs as Tensor[];
        // One row: the exact gradient is 0 (w = σ(−inf) = 0) on every path.
        for (const path of [0, 1, 2]) out.push(backwardSample(a, b, s.attrs!, path, 0.7, s.what));
      }
      return out;
    },
    bad: (rng) => bad(rng, true),
  },
];

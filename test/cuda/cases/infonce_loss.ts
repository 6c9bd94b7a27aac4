import type { OpCase, Sample } from '../cases';
import { randn } from '../cases';
import { runOp } from '../../../lib/ops/run';
import { tensor, type DType, type Tensor } from '../../../lib/tensor';
import type { Rng } from '../../harness/rng';
import { badLossInputs, severalChunks } from '../contrastive_cases';

// [n, d]: one row, one feature, the CPU's 64-row block edges, SMORE's d = 64, no features, no rows.
const SHAPES: Array<[number, number]> = [[1, 1], [1, 64], [5, 3], [63, 8], [64, 8], [65, 8], [200, 64], [4, 0], [0, 4]];

/** Rows repeated in-batch (kept as positives and negatives) and an all-zero row (the eps clamp). */
function special(rng: Rng, dtype: DType): Array<[Tensor, Tensor, string]> {
  const base = randn(rng, [4, 5], dtype).toArray();
  const other = randn(rng, [4, 5], dtype).toArray();
  const rows = [0, 1, 1, 2, 0, 3];
  const pick = (src: number[]) => rows.flatMap((r) => src.slice(r * 5, r * 5 + 5));
  const dup: [Tensor, Tensor, string] = [tensor(pick(base), [6, 5], { dtype }), tensor(pick(other), [6, 5], { dtype }), 'duplicates'];
  const z = randn(rng, [3, 4], dtype).toArray();
  z.fill(0, 4, 8);
  const zero: [Tensor, Tensor, string] = [tensor(z, [3, 4], { dtype }), randn(rng, [3, 4], dtype), 'a zero row in A'];
  return [dup, zero];
}

function forwardSamples(rng: Rng, dtype: DType): Sample[] {
  const out: Sample[] = [];
  for (const [n, d] of SHAPES)
    for (const tau of [0.2, 0.05]) out.push({ inputs: [randn(rng, [n, d], dtype), randn(rng, [n, d], dtype)], attrs: [tau], what: `[${n}, ${d}] tau ${tau}` });
  for (const [a, b, what] of special(rng, dtype)) out.push({ inputs: [a, b], attrs: [0.2], what });
  const a = randn(rng, [9, 4], dtype);
  out.push({ inputs: [a, a], attrs: [1e-3], what: 'tau 1e-3 (max subtraction)' });
  return out;
}

function backwardSample(a: Tensor, b: Tensor, tau: number, path: number, g: number, what: string, floor?: number): Sample {
  const [, lse] = runOp('infonce_loss', [a, b], [tau]);
  return { inputs: [a, b, lse, tensor([g], [], { dtype: a.dtype })], attrs: [tau, path], what: `${what} path ${path}`, floor };
}

const bad = (rng: Rng, backward: boolean): Sample[] => {
  const f = (shape: number[], dtype: DType = 'float32') => randn(rng, shape, dtype);
  const extra = (n: number, dtype: DType = 'float32') => (backward ? [f([n], dtype), tensor([1], [], { dtype })] : []);
  const path = backward ? [0] : [];
  const shapes: Sample = { inputs: [f([3, 2]), f([3, 3]), ...extra(3)], attrs: [0.2, ...path], what: 'shapes differ' };
  const out = badLossInputs(f, extra, [0.2, ...path], shapes, [[[0, ...path], 'tau 0'], [[Infinity, ...path], 'tau inf']]);
  if (backward)
    out.push(
      { inputs: [f([3, 2]), f([3, 2]), f([2]), tensor([1], [], { dtype: 'float32' })], attrs: [0.2, 0], what: 'lse length' },
      { inputs: [f([3, 2]), f([3, 2]), f([3]), f([2])], attrs: [0.2, 0], what: 'non-scalar g' },
      { inputs: [f([3, 2]), f([3, 2]), f([3], 'float64'), tensor([1], [], { dtype: 'float32' })], attrs: [0.2, 0], what: 'lse dtype' },
      { inputs: [f([3, 2]), f([3, 2]), f([3]), tensor([1], [], { dtype: 'float32' })], attrs: [0.2, 3], what: 'path 3' },
    );
  else out.push({ inputs: [f([3, 2]), f([3, 2]), f([3])], attrs: [0.2], what: 'three inputs' });
  return out;
};

export const cases: OpCase[] = [
  {
    kernel: 'infonce_loss',
    dtypes: ['float32', 'float64'],
    // Same row bodies and, on cuda-emu, the same gemm (measured: f32 exact, f64 ≤ 3e-15); the row
    // sums run in a strided tree instead of row order and the mean in blocks (double). On a GPU,
    // cuBLAS's summation order and expf/logf change S by ulps of 1/τ (20 at τ = 0.05), which
    // L = mean(lse − s_ii) sees relative to its own, smaller size.
    tol: { float32: 1e-5, float64: 1e-12 },
    why: 'similarity gemm rounding and tree-ordered sums',
    // The last sample spans 2 similarity chunks in float32, 3 in float64.
    samples: (rng, dtype) => [...forwardSamples(rng, dtype), severalChunks(rng, dtype, 2, [0.2], '[4100, 4]')],
    bad: (rng) => bad(rng, false),
  },
  {
    kernel: 'infonce_loss_backward',
    dtypes: ['float32', 'float64'],
    // c(P − I) is the same body; the products are gemms over n terms. On cuda-emu the gemms are
    // the CPU's (measured: f32 ≤ 9e-7, f64 ≤ 1e-15; path 2 adds dB̂ per 64-row chunk where the CPU
    // recomputes Sᵀ). On a GPU, cuBLAS's order plus S's ulp errors amplified by exp at 1/τ = 20.
    tol: { float32: 2e-5, float64: 1e-12 },
    why: 'gemm summation order over n rows; same elementwise bodies',
    samples: (rng, dtype) => {
      const out: Sample[] = [];
      for (const s of forwardSamples(rng, dtype)) {
        const [a, b] = s.inputs as Tensor[];
        // One row: P − I = 0, the exact gradient is 0. The CPU's tiled path recomputes Sᵀ with the
        // operands swapped, so its "0" is rounding noise; a scaled error against noise means nothing.
        const paths = a.shape[0] === 1 ? [0, 1] : [0, 1, 2];
        // Exact gradient 0 also for one row on paths 0 and 1 and for A = B at τ = 1e-3 (P = I to
        // e^-1000): the lse input is the CPU forward's, and the device normalizes its rows in
        // another order (a warp per row), so P − I is ulps of 1/τ instead of exactly 0. Those
        // samples are judged against the gradient's ordinary size (≈ g/τ · x̂/‖x‖, O(1)).
        const degenerate = a.shape[0] === 1 || s.attrs![0] === 1e-3;
        for (const path of paths) out.push(backwardSample(a, b, s.attrs![0], path, 0.7, s.what, degenerate ? 1 : undefined));
      }
      return out;
    },
    bad: (rng) => bad(rng, true),
  },
  {
    kernel: 'infonce_loss_grad',
    dtypes: ['float32', 'float64'],
    // Output 0 is the forward's L (its tolerance). The gradients: on cuda-emu the backward's gemms
    // on the same block, but c·P there is c·exp(s − lse) with lse rounded to T, where the CPU takes
    // e·(c/Σe) from the log-sum-exp pass (measured: f32 ≤ 7e-7, f64 ≤ 3e-15). On a GPU,
    // as infonce_loss_backward.
    tol: { float32: 2e-5, float64: 1e-12 },
    why: 'the backward\'s gemm order and lse rounding on the device; same forward rows',
    // Degenerate samples (one row; A = B at τ = 1e-3) have exact gradient 0: judged against the
    // gradient's ordinary size, as in infonce_loss_backward.
    samples: (rng, dtype) =>
      [...forwardSamples(rng, dtype), severalChunks(rng, dtype, 2, [0.2], '[4100, 4]')].map((s) => {
        const a = s.inputs[0] as Tensor;
        return a.shape[0] === 1 || s.attrs![0] === 1e-3 ? { ...s, floor: 1 } : s;
      }),
    bad: (rng) => bad(rng, false),
  },
];

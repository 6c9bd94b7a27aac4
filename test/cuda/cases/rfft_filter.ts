import type { OpCase, Sample } from '../cases';
import { randn } from '../cases';
import { tensor, type DType } from '../../../lib/tensor';
import type { Rng } from '../../harness/rng';

// [n, d]: the smallest transform (d = 2: both bins are DC/Nyquist), small even d, SMORE's d = 64,
// one row, no rows, and more rows than a block has threads (the dw reduction strides over rows).
const SHAPES: Array<[number, number]> = [[1, 2], [3, 4], [5, 6], [4, 10], [1, 64], [37, 64], [0, 64], [600, 64], [300, 16]];

/** w as [1, K, 2] or [K, 2]; random, so the ignored imaginary parts of bins 0 and d/2 are nonzero. */
const weights = (rng: Rng, d: number, dtype: DType, flat: boolean) => randn(rng, flat ? [d / 2 + 1, 2] : [1, d / 2 + 1, 2], dtype);

function samples(rng: Rng, dtype: DType, fusion: boolean, backward: boolean): Sample[] {
  return SHAPES.map(([n, d], i) => {
    const ps = fusion ? [randn(rng, [n, d], dtype), randn(rng, [n, d], dtype)] : [randn(rng, [n, d], dtype)];
    const dc = backward ? [randn(rng, [n, d], dtype)] : [];
    return { inputs: [...ps, weights(rng, d, dtype, i % 2 === 1), ...dc], what: `[${n}, ${d}] w ${i % 2 ? '[K, 2]' : '[1, K, 2]'}` };
  });
}

function bad(rng: Rng, fusion: boolean, backward: boolean): Sample[] {
  const f = (shape: number[], dtype: DType = 'float32') => randn(rng, shape, dtype);
  const mk = (p: number[], w: number[], o: { pt?: number[]; dc?: number[]; dtype?: DType; wdtype?: DType } = {}) => [
    f(p, o.dtype),
    ...(fusion ? [f(o.pt ?? p, o.dtype)] : []),
    f(w, o.wdtype ?? o.dtype),
    ...(backward ? [f(o.dc ?? p, o.dtype)] : []),
  ];
  const out: Sample[] = [
    { inputs: mk([3, 5], [3, 2]), what: 'odd d' },
    { inputs: mk([3, 0], [1, 2]), what: 'd = 0' },
    { inputs: mk([6], [4, 2]), what: '1-D P' },
    { inputs: mk([3, 6], [3, 2]), what: 'w with too few bins' },
    { inputs: mk([3, 6], [4, 1, 2]), what: 'w of shape [4, 1, 2]' },
    { inputs: mk([3, 6], [8]), what: 'flat w' },
    { inputs: mk([3, 6], [4, 2], { wdtype: 'float64' }), what: 'w dtype' },
    { inputs: [tensor([1, 2], [1, 2], { dtype: 'int32' }), ...mk([1, 2], [2, 2]).slice(1)], what: 'int32 P' },
    { inputs: mk([3, 6], [4, 2]).slice(0, -1), what: 'one input missing' },
  ];
  if (fusion) out.push({ inputs: mk([3, 6], [4, 2], { pt: [3, 4] }), what: 'Pt shape' });
  if (backward) out.push({ inputs: mk([3, 6], [4, 2], { dc: [2, 6] }), what: 'dC shape' });
  return out;
}

// Tolerances: the CPU applies the filter as dense real DFT/circulant GEMMs (tables built in
// double, rounded to T); the device runs FFTs (cuda-emu: a double DFT rounded to T per transform;
// a GPU: cuFFT's float/double FFT, error ~ε·log d) with the scaling in T. Measured on cuda-emu:
// float32 ≤ 6.2e-7, float64 ≤ 1.2e-15 (scaled); the margin is for cuFFT's own rounding. dw sums
// n rows in double on both sides, from differently rounded spectra.
export const cases: OpCase[] = [
  {
    kernel: 'rfft_filter',
    dtypes: ['float32', 'float64'],
    tol: { float32: 5e-6, float64: 1e-13 },
    why: 'FFT vs the CPU circulant GEMM: different rounding of the same linear map',
    samples: (rng, dtype) => samples(rng, dtype, false, false),
    bad: (rng) => bad(rng, false, false),
  },
  {
    kernel: 'rfft_filter_backward',
    dtypes: ['float32', 'float64'],
    tol: { float32: 5e-6, float64: 1e-13 },
    why: 'FFT vs the CPU GEMMs; dw summed over rows from differently rounded spectra',
    samples: (rng, dtype) => samples(rng, dtype, false, true),
    bad: (rng) => bad(rng, false, true),
  },
  {
    kernel: 'rfft_filter_fusion',
    dtypes: ['float32', 'float64'],
    tol: { float32: 5e-6, float64: 1e-13 },
    why: 'FFT vs the CPU DFT-matrix GEMMs: different rounding of the same bilinear map',
    samples: (rng, dtype) => samples(rng, dtype, true, false),
    bad: (rng) => bad(rng, true, false),
  },
  {
    kernel: 'rfft_filter_fusion_backward',
    dtypes: ['float32', 'float64'],
    tol: { float32: 5e-6, float64: 1e-13 },
    why: 'FFT vs the CPU GEMMs; dw summed over rows from differently rounded spectra',
    samples: (rng, dtype) => samples(rng, dtype, true, true),
    bad: (rng) => bad(rng, true, true),
  },
];

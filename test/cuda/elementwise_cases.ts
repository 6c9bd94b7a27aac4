/**
 * Builders for the parity cases of the one-input elementwise ops (test/cuda/cases/<stem>.ts):
 * random shapes including one element, a 0-d scalar, 3-D, empty and zero-column tensors, a tensor
 * of special values (±0, ±inf, NaN, large and tiny magnitudes), and the bad inputs every unary
 * kernel rejects (wrong dtype, wrong input count; for backwards also mismatched shape and dtype).
 */
import type { OpCase, Sample } from './cases';
import { randn } from './cases';
import { tensor, type DType, type Tensor } from '../../lib/tensor';
import type { Rng } from '../harness/rng';

export const SHAPES: number[][] = [[1], [], [3, 4], [1, 300], [129, 257], [2, 3, 5], [0, 5], [4, 0]];

/** Finite and non-finite values where elementwise math has its edge cases. */
export const SPECIALS = [
  0, -0, 1, -1, 0.5, -0.5, 1e-3, -1e-3, 1e-6, -1e-6, 2, -2, 10, -10, 17, -17, 20, -20, 35, -35, 50, -50, 80, -80,
  100, -100, 700, -700, 1e30, -1e30, Infinity, -Infinity, NaN,
];

export function specials(dtype: DType, extra: number[] = []): Tensor {
  const v = [...SPECIALS, ...extra];
  return tensor(v, [v.length], { dtype });
}

/** randn scaled by `scale` (wider ranges reach saturation regions). */
export function randnScaled(rng: Rng, shape: number[], dtype: DType, scale: number): Tensor {
  const t = randn(rng, shape, dtype);
  return scale === 1 ? t : tensor(t.toArray().map((v) => v * scale), shape, { dtype });
}

const f32 = (rng: Rng, s: number[]) => randn(rng, s, 'float32');

export function unaryBad(rng: Rng, attrs?: number[]): Sample[] {
  return [
    { inputs: [tensor([1, 2], [2], { dtype: 'int32' })], attrs, what: 'int32 input' },
    { inputs: [f32(rng, [2]), f32(rng, [2])], attrs, what: 'two inputs' },
  ];
}

export function unaryBackwardBad(rng: Rng, attrs?: number[]): Sample[] {
  return [
    { inputs: [f32(rng, [2, 3]), f32(rng, [3, 2])], attrs, what: 'shape mismatch' },
    { inputs: [f32(rng, [2, 3]), randn(rng, [2, 3], 'float64')], attrs, what: 'mixed dtypes' },
    { inputs: [tensor([1, 2], [2], { dtype: 'int64' }), tensor([1, 2], [2], { dtype: 'int64' })], attrs, what: 'int64 inputs' },
    { inputs: [f32(rng, [2])], attrs, what: 'one input' },
  ];
}

export interface UnaryOpts {
  /** Attribute lists to run every sample with (default: one run without attrs). */
  attrs?: Array<number[] | undefined>;
  /** Scale of the random inputs (default 3: both tails of sigmoid-like functions). */
  scale?: number;
  /** Extra bad samples (attribute errors). */
  bad?: (rng: Rng) => Sample[];
  /** Extra values appended to the special-values tensor. */
  extra?: number[];
}

/** A forward case: y = f(x). */
export function unaryCase(kernel: string, tol: OpCase['tol'], why: string, o: UnaryOpts = {}): OpCase {
  const attrSets = o.attrs ?? [undefined];
  return {
    kernel,
    dtypes: ['float32', 'float64'],
    tol,
    why,
    samples: (rng, dtype) =>
      attrSets.flatMap((attrs) => [
        ...SHAPES.map((s) => ({ inputs: [randnScaled(rng, s, dtype, o.scale ?? 3)], attrs, what: `[${s}] attrs [${attrs ?? ''}]` })),
        { inputs: [specials(dtype, o.extra)], attrs, what: `special values, attrs [${attrs ?? ''}]` },
      ]),
    bad: (rng) => [...unaryBad(rng, attrSets[0]), ...(o.bad ? o.bad(rng) : [])],
  };
}

export interface UnaryBackwardOpts extends UnaryOpts {
  /** What the first input is: 'x' (random, like the forward's input) or 'y' (given by `yOf`). */
  first?: (rng: Rng, shape: number[], dtype: DType) => Tensor;
}

/** A backward case: inputs (a, g), dx = f(a, g). */
export function unaryBackwardCase(kernel: string, tol: OpCase['tol'], why: string, o: UnaryBackwardOpts = {}): OpCase {
  const attrSets = o.attrs ?? [undefined];
  const first = o.first ?? ((rng: Rng, s: number[], dtype: DType) => randnScaled(rng, s, dtype, o.scale ?? 3));
  return {
    kernel,
    dtypes: ['float32', 'float64'],
    tol,
    why,
    samples: (rng, dtype) =>
      attrSets.flatMap((attrs) => {
        const sp = specials(dtype, o.extra);
        return [
          ...SHAPES.map((s) => ({ inputs: [first(rng, s, dtype), randn(rng, s, dtype)], attrs, what: `[${s}] attrs [${attrs ?? ''}]` })),
          { inputs: [sp, randn(rng, [sp.size], dtype)], attrs, what: `special values, attrs [${attrs ?? ''}]` },
        ];
      }),
    bad: (rng) => [...unaryBackwardBad(rng, attrSets[0]), ...(o.bad ? o.bad(rng) : [])],
  };
}

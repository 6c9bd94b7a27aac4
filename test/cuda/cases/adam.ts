import type { OpCase, Sample } from '../cases';
import { randn } from '../cases';
import { tensor, type DType } from '../../../lib/tensor';
import type { Rng } from '../../harness/rng';

const SHAPES = [[5, 7], [1], [300, 64], [3, 2, 4], [0, 3]];
// adam_multi: several tensors per call (one of them empty); 40 tensors span two launches of 32.
const MULTI_SHAPES = [[5, 7], [1], [0, 3], [300, 64], [3, 2, 4], [1100]];
const MULTI_MAX = 40;
// [lr, beta1, beta2, eps, weight_decay, step]
const ATTRS: number[][] = [
  [1e-3, 0.9, 0.999, 1e-8, 0, 1],
  [1e-2, 0.9, 0.999, 1e-8, 0.01, 10],
  [0.1, 0.3, 0.5, 1e-6, 0, 3], // 1 − β1 ≥ 0.5: the other lerp formula
  [0.05, 0, 0, 0, 0.5, 1],
];

// param, grad, m, v (v ≥ 0, as the optimizer's state is).
function state(rng: Rng, s: number[], dtype: DType) {
  const v = randn(rng, s, dtype).toArray().map((a) => a * a);
  return [randn(rng, s, dtype), randn(rng, s, dtype), randn(rng, s, dtype), tensor(v, s, { dtype })];
}

function samples(rng: Rng, dtype: DType): Sample[] {
  return ATTRS.flatMap((attrs) => SHAPES.map((s) => ({ inputs: state(rng, s, dtype), attrs, what: `[${s}] attrs [${attrs}]` })));
}

export const cases: OpCase[] = [
  {
    kernel: 'adam',
    dtypes: ['float32', 'float64'],
    // The CPU's operation order in the tensor's dtype with uncontracted products (no FMA), IEEE
    // division and square root: bitwise equal.
    tol: { float32: 0, float64: 0 },
    why: 'the same element update, no FMA',
    inPlace: [0, 2, 3],
    samples,
    bad: (rng) => {
      const s = () => state(rng, [2, 3], 'float32');
      return [
        { inputs: s(), attrs: [1e-3, 0.9, 0.999, 1e-8, 0, 0], what: 'step 0' },
        { inputs: s(), attrs: [1e-3, 1, 0.999, 1e-8, 0, 1], what: 'beta1 1' },
        { inputs: s(), attrs: [1e-3, 0.9, -0.1, 1e-8, 0, 1], what: 'beta2 < 0' },
        { inputs: s(), attrs: [-1, 0.9, 0.999, 1e-8, 0, 1], what: 'negative lr' },
        { inputs: s(), attrs: [1e-3, 0.9, 0.999, -1, 0, 1], what: 'negative eps' },
        { inputs: s(), attrs: [1e-3, 0.9, 0.999, 1e-8, -1, 1], what: 'negative weight decay' },
        { inputs: s(), attrs: [1e-3, 0.9, 0.999, 1e-8, 0], what: 'missing step' },
        { inputs: s(), attrs: [1e-3, 0.9, 0.999, 1e-8, 0, 1.5], what: 'non-integer step' },
        { inputs: [...s().slice(0, 3), randn(rng, [3, 2], 'float32')], attrs: [1e-3, 0.9, 0.999, 1e-8, 0, 1], what: 'v shape' },
        { inputs: [...s().slice(0, 2), randn(rng, [2, 3], 'float64'), s()[3]], attrs: [1e-3, 0.9, 0.999, 1e-8, 0, 1], what: 'm dtype' },
        { inputs: s().slice(0, 3), attrs: [1e-3, 0.9, 0.999, 1e-8, 0, 1], what: 'three inputs' },
      ];
    },
  },
  {
    kernel: 'adam_multi',
    dtypes: ['float32', 'float64'],
    // Every element gets adam's update; only the launch layout differs.
    tol: { float32: 0, float64: 0 },
    why: 'the same element update, no FMA',
    // Filled per sample below: every param, m and v.
    inPlace: Array.from({ length: 4 * MULTI_MAX }, (_, i) => i).filter((i) => i % 4 !== 1),
    samples: (rng, dtype) =>
      [MULTI_SHAPES.slice(0, 1), MULTI_SHAPES, Array.from({ length: 40 }, (_, i) => [1 + (i % 7), 3 + i])].map((shapes, j) => {
        const attrs = [...ATTRS[j % ATTRS.length].slice(0, 5), ...shapes.map((_, i) => 1 + ((i * 7) % 5))];
        return { inputs: shapes.flatMap((s) => state(rng, s, dtype)), attrs, what: `${shapes.length} tensors, attrs [${attrs.slice(0, 5)}]` };
      }),
    bad: (rng) => {
      const s = (shape = [2, 3]) => state(rng, shape, 'float32');
      const hyper = [1e-3, 0.9, 0.999, 1e-8, 0];
      return [
        { inputs: [...s(), ...s().slice(0, 3)], attrs: [...hyper, 1, 1], what: 'seven inputs' },
        { inputs: [...s(), ...s()], attrs: [...hyper, 1], what: 'one step for two tensors' },
        { inputs: [...s(), ...s()], attrs: [...hyper, 1, 0], what: 'step 0 on the second' },
        { inputs: [...s(), ...s().slice(0, 3), randn(rng, [3, 2], 'float32')], attrs: [...hyper, 1, 1], what: 'v 1 shape' },
        { inputs: [...s(), ...state(rng, [2, 3], 'float64')], attrs: [...hyper, 1, 1], what: 'second tensor float64' },
        { inputs: [...s(), ...s()], attrs: [-1, 0.9, 0.999, 1e-8, 0, 1, 1], what: 'negative lr' },
      ];
    },
  },
];

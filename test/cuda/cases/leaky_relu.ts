import type { OpCase, Sample } from '../cases';
import { randn } from '../cases';
import type { Rng } from '../../harness/rng';
import { unaryBackwardCase, unaryCase } from '../elementwise_cases';

// Default slope, PyTorch's 0.2, a negative and a zero slope; tiny values (denormal in float32
// and float64) take the CPU's bit test for x > 0 on both.
const ATTRS = [undefined, [0.2], [-0.5], [0]];
const EXTRA = [1e-40, -1e-40, 1e-310, -1e-310];
const bad = (rng: Rng, n: number): Sample[] => {
  const ins = Array.from({ length: n }, () => randn(rng, [2, 3], 'float32'));
  return [
    { inputs: ins, attrs: [Infinity], what: 'infinite slope' },
    { inputs: ins, attrs: [NaN], what: 'NaN slope' },
    // The slope is checked before the inputs, as on the CPU.
    { inputs: [ins[0], ins[0], ins[0]], attrs: [NaN], what: 'NaN slope and three inputs' },
  ];
};

export const cases: OpCase[] = [
  unaryCase('leaky_relu', { float32: 0, float64: 0 }, 'one product by a selected factor: exact', { attrs: ATTRS, extra: EXTRA, bad: (rng) => bad(rng, 1) }),
  unaryBackwardCase('leaky_relu_backward', { float32: 0, float64: 0 }, 'one product by a selected factor: exact', {
    attrs: ATTRS,
    extra: EXTRA,
    bad: (rng) => bad(rng, 2),
  }),
];

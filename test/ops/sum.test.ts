import { sum } from '../../lib/ops';
import { tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { loadAddon } from '../../lib/native/load';
import { expectClose } from '../harness/compare';
import { gradcheck } from '../harness/gradcheck';
import { expectMmgError, FLOAT_DTYPES, tolFor } from '../harness/op_cases';
import { Rng } from '../harness/rng';
import { sumRef } from '../reference/sum';

const SHAPES: number[][] = [[1, 1], [1, 9], [9, 1], [0, 4], [4, 0], [17, 5], [300, 230], [70000, 3]];
const AXES = [undefined, 0, 1] as const;

describe('sum', () => {
  const rng = new Rng(41);

  test.each(SHAPES)('forward matches the reference over every axis for [%i, %i], float32 and float64', (m, n) => {
    for (const dtype of FLOAT_DTYPES)
      for (const axis of AXES)
        tidy(() => {
          const x = rng.randn([m, n], dtype);
          const y = sum(x, axis);
          expect(y.shape).toEqual(axis === undefined ? [] : axis === 0 ? [n] : [m]);
          // Accumulated in double, so even float32 sums carry only the final rounding; the float64
          // bound leaves room for the reference's own rounding when a long sum nearly cancels.
          expectClose(y, sumRef(x.toArray(), m, n, axis), tolFor(dtype, 1e-6, 1e-11), `sum axis ${axis}`);
        });
  });

  test('sum of all elements works at any rank and sums to 0 when empty', () => {
    tidy(() => {
      const x = rng.randn([2, 3, 4]);
      expect(sum(x).item()).toBeCloseTo(sumRef(x.toArray(), 1, 24)[0], 12);
      expect(sum(tensor([], [0])).item()).toBe(0);
      expect(sum(tensor([2.5], [])).item()).toBe(2.5);
    });
  });

  test('a float32 sum over a long axis keeps double accuracy (1e6 copies of 0.1)', () => {
    tidy(() => {
      const x = tensor(new Float32Array(1_000_000).fill(0.1), [1_000_000, 1]);
      const exact = 1_000_000 * Math.fround(0.1);
      expect(Math.abs(sum(x).item() - exact) / exact).toBeLessThan(1e-7);
      expect(Math.abs(sum(x, 0).item() - exact) / exact).toBeLessThan(1e-7);
    });
  });

  test('results do not depend on the thread count (deterministic order)', () => {
    const addon = loadAddon();
    const prev = addon.numThreads();
    tidy(() => {
      const x = rng.randn([50000, 7], 'float32');
      const run = () => AXES.map((a) => sum(x, a).toArray());
      addon.setNumThreads(1);
      const one = run();
      addon.setNumThreads(4);
      const four = run();
      addon.setNumThreads(prev);
      expect(four).toEqual(one);
    });
  });

  test.each(AXES)('backward matches finite differences (float64), axis %s', (axis) => {
    const x = rng.randn([4, 3], 'float64', true);
    const r = gradcheck((a) => sum(a, axis), [x]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    x.dispose();
  });

  test('bad axes and ranks throw MmgErrors that start with "sum: expected"', () => {
    tidy(() => {
      expectMmgError(() => sum(rng.randn([2, 3, 4]), 0), /^sum: expected a 2-D x for axis 0, got shape \[2, 3, 4\]/, 'MMG_E_SHAPE');
      expectMmgError(() => sum(rng.randn([3]), 1), /^sum: expected a 2-D x for axis 1/, 'MMG_E_SHAPE');
      expectMmgError(() => sum(rng.randn([2, 3]), 2 as 0), /^sum: expected axis 0, 1 or -1 \(all\), got 2/, 'MMG_E_ARG');
      expectMmgError(() => sum(tensor([1], [1], { dtype: 'int64' })), /^sum: expected x to be float32 or float64, got int64/, 'MMG_E_DTYPE');
      expect(sum(rng.randn([2, 3]), 1).shape).toEqual([2]);
    });
  });
});

import { variance } from '../../lib/ops';
import { tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { runOp1 } from '../../lib/ops/run';
import { FLOAT_DTYPES, SHAPES, expectMmgError, randTensor, tolFor } from '../harness/op_cases';
import { gradcheck } from '../harness/gradcheck';
import { Rng } from '../harness/rng';
import { varianceRef } from '../reference/variance';
import * as fc from 'fast-check';

describe('variance', () => {
  const rng = new Rng(9090);

  test('forward matches the two-pass reference, unbiased and population, float32 and float64', () => {
    for (const shape of [...SHAPES, [2, 3, 4]])
      for (const dtype of FLOAT_DTYPES)
        for (const correction of [0, 1] as const)
          tidy(() => {
            const x = randTensor(rng, shape, dtype, (v) => 3 + 2 * v);
            const y = variance(x, { correction });
            expect(y.shape).toEqual([]);
            expect(y.dtype).toBe(dtype);
            const want = varianceRef(x.toArray(), correction);
            if (Number.isNaN(want)) expect(y.item()).toBeNaN();
            else expect(Math.abs(y.item() - want)).toBeLessThanOrEqual(tolFor(dtype, 2e-6, 1e-13) * want + 1e-300);
          });
  });

  test('defaults to the unbiased estimator (torch.var): var([1, 2, 3, 4]) = 5/3', () => {
    tidy(() => {
      expect(variance(tensor([1, 2, 3, 4], [2, 2], { dtype: 'float64' })).item()).toBeCloseTo(5 / 3, 15);
      expect(variance(tensor([1, 2, 3, 4], [4], { dtype: 'float64' }), { correction: 0 }).item()).toBeCloseTo(1.25, 15);
    });
  });

  test('one element is NaN unbiased and 0 biased; no element is NaN', () => {
    tidy(() => {
      expect(variance(tensor([7], [1], { dtype: 'float64' })).item()).toBeNaN();
      expect(variance(tensor([7], [1], { dtype: 'float64' }), { correction: 0 }).item()).toBe(0);
      expect(variance(tensor([], [0, 3], { dtype: 'float64' }), { correction: 0 }).item()).toBeNaN();
    });
  });

  test('has no cancellation for a large offset (two-pass)', () => {
    tidy(() => {
      const x = tensor([1e8 + 1, 1e8 + 2, 1e8 + 3], [3], { dtype: 'float64' });
      expect(variance(x).item()).toBe(1);
    });
  });

  test('backward matches finite differences (float64), both corrections', () => {
    for (const correction of [0, 1] as const) {
      const x = randTensor(rng, [5, 3], 'float64', undefined, true);
      const r = gradcheck((a) => variance(a, { correction }), [x]);
      expect(r.ok ? 'ok' : r).toBe('ok');
      x.dispose();
    }
  });

  test('property: shift-invariant and scales with the square', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 2, maxLength: 40 }), fc.double({ min: -50, max: 50, noNaN: true }), (vals, c) =>
        tidy(() => {
          const v = variance(tensor(vals, [vals.length], { dtype: 'float64' })).item();
          const shifted = variance(tensor(vals.map((x) => x + c), [vals.length], { dtype: 'float64' })).item();
          const scaled = variance(tensor(vals.map((x) => 3 * x), [vals.length], { dtype: 'float64' })).item();
          return Math.abs(shifted - v) <= 1e-9 * (1 + v) && Math.abs(scaled - 9 * v) <= 1e-9 * (1 + v);
        }),
      ),
      { numRuns: 50 },
    );
  });

  test('errors name the op and what it expected; the process survives', () => {
    tidy(() => {
      expectMmgError(() => variance(tensor([1, 2], [2], { dtype: 'int32' })), /^variance: expected x to be float32 or float64, got int32/, 'MMG_E_DTYPE');
      expectMmgError(() => runOp1('variance', [tensor([1, 2], [2])], [2]), /^variance: expected correction 0 or 1, got 2/, 'MMG_E_ARG');
      expectMmgError(() => variance(tensor([1, 2], [2]), { correction: 2 as 1 }), /^variance: expected correction 0 or 1, got 2/, 'MMG_E_ARG');
      expectMmgError(
        () => runOp1('variance_backward', [tensor([1, 2], [2], { dtype: 'float64' }), tensor([1, 2], [2], { dtype: 'float64' })], [1]),
        /^variance_backward: expected a scalar g/,
        'MMG_E_SHAPE',
      );
      expect(variance(tensor([1, 3], [2])).item()).toBe(2);
    });
  });
});

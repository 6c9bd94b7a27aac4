import { sigmoid } from '../../lib/ops';
import { tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { maxUlpError, sweep32 } from '../harness/ulp';
import { unarySuite } from '../harness/op_cases';
import { sigmoidRef } from '../reference/sigmoid';

describe('sigmoid', () => {
  unarySuite({ op: 'sigmoid', fn: sigmoid, ref: sigmoidRef, backward: { kernel: 'sigmoid_backward' } });

  test('saturates without overflow far from 0, in both dtypes', () => {
    for (const dtype of ['float32', 'float64'] as const)
      tidy(() => {
        const y = sigmoid(tensor([-1000, -50, 0, 50, 1000], [5], { dtype })).toArray();
        expect(y[0]).toBe(0);
        expect(y[1]).toBeGreaterThan(0);
        expect(y[2]).toBe(0.5);
        expect(y[4]).toBe(1);
        expect(y.every(Number.isFinite)).toBe(true);
      });
  });

  // float32 runs a vectorizable formula (native/core/vmath.h), not libm: bound its error on a dense
  // sweep, through the saturated ends and the small-|x| region where a careless formula cancels.
  test('float32 is within 3 ulps of the exact value on a dense sweep', () => {
    tidy(() => {
      for (const [lo, hi] of [[-12, 12], [-0.7, 0.7], [-1e-3, 1e-3]]) {
        const x = sweep32(lo, hi, 400001);
        const e = maxUlpError(x, sigmoid(tensor(x, [x.length])).toArray(), (v: number) => 1 / (1 + Math.exp(-v)));
        expect(e.ulps).toBeLessThanOrEqual(3);
      }
    });
  });
});

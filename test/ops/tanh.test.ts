import { tanh } from '../../lib/ops';
import { tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { maxUlpError, sweep32 } from '../harness/ulp';
import { unarySuite } from '../harness/op_cases';
import { tanhRef } from '../reference/tanh';

describe('tanh', () => {
  unarySuite({ op: 'tanh', fn: tanh, ref: tanhRef, backward: { kernel: 'tanh_backward' } });

  test('is ±1 far out and odd', () => {
    tidy(() => {
      expect(tanh(tensor([-500, -0.25, 0.25, 500], [4], { dtype: 'float64' })).toArray()).toEqual([-1, -Math.tanh(0.25), Math.tanh(0.25), 1]);
    });
  });

  // float32 runs a vectorizable formula (native/core/vmath.h), not libm: bound its error on a dense
  // sweep, through the saturated ends and the small-|x| region where a careless formula cancels.
  test('float32 is within 2 ulps of the exact value on a dense sweep', () => {
    tidy(() => {
      for (const [lo, hi] of [[-12, 12], [-0.7, 0.7], [-1e-3, 1e-3]]) {
        const x = sweep32(lo, hi, 400001);
        const e = maxUlpError(x, tanh(tensor(x, [x.length])).toArray(), Math.tanh);
        expect(e.ulps).toBeLessThanOrEqual(2);
      }
    });
  });
});

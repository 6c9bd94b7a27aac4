import { exp } from '../../lib/ops';
import { tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { unarySuite } from '../harness/op_cases';
import { expRef } from '../reference/exp';

describe('exp', () => {
  unarySuite({ op: 'exp', fn: exp, ref: expRef });

  test('overflows to +inf and underflows to 0 like numpy', () => {
    tidy(() => {
      expect(exp(tensor([1000, -1000, 0], [3], { dtype: 'float64' })).toArray()).toEqual([Infinity, 0, 1]);
      expect(exp(tensor([100, 0], [2], { dtype: 'float32' })).toArray()).toEqual([Infinity, 1]);
      expect(exp(tensor([Infinity, -Infinity, NaN, -100], [4], { dtype: 'float32' })).toArray()).toEqual([Infinity, 0, NaN, 0]);
    });
  });

  test('float32 (vexpf, native/core/vmath.h) is within 1 ulp of the correctly rounded e^x over the whole range', () => {
    tidy(() => {
      // 2^21 points spread over [-87.3, 88.7] plus a dense patch around 0, where the polynomial matters most.
      const n = 1 << 21;
      const x = new Float32Array(n + 4096);
      for (let i = 0; i < n; i++) x[i] = -87.3 + (176 * i) / n;
      for (let i = 0; i < 4096; i++) x[n + i] = (i - 2048) * 1e-4;
      const y = exp(tensor(x, [x.length])).toTypedArray() as Float32Array;
      const bits = (v: number) => new Int32Array(new Float32Array([v]).buffer)[0];
      let worst = 0;
      for (let i = 0; i < x.length; i++) {
        const ref = Math.fround(Math.exp(x[i]));
        if (ref < 1.1754944e-38) continue; // below FLT_MIN: denormal, flushed to 0 by design
        const d = Math.abs(bits(y[i]) - bits(ref));
        if (d > worst) worst = d;
      }
      expect(worst).toBeLessThanOrEqual(1);
    });
  });
});

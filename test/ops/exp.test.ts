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
    });
  });
});

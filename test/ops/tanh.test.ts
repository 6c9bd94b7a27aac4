import { tanh } from '../../lib/ops';
import { tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { unarySuite } from '../harness/op_cases';
import { tanhRef } from '../reference/tanh';

describe('tanh', () => {
  unarySuite({ op: 'tanh', fn: tanh, ref: tanhRef, backward: { kernel: 'tanh_backward' } });

  test('is ±1 far out and odd', () => {
    tidy(() => {
      expect(tanh(tensor([-500, -0.25, 0.25, 500], [4], { dtype: 'float64' })).toArray()).toEqual([-1, -Math.tanh(0.25), Math.tanh(0.25), 1]);
    });
  });
});

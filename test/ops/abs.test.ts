import { abs } from '../../lib/ops';
import { backward, tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { unarySuite } from '../harness/op_cases';
import { absRef } from '../reference/abs';

describe('abs', () => {
  unarySuite({ op: 'abs', fn: abs, ref: absRef, backward: { kernel: 'abs_backward' } });

  test('the gradient is sign(x), 0 at x = 0 (as PyTorch)', () => {
    const x = tensor([-3, 0, 2, -0], [4], { dtype: 'float64', requiresGrad: true });
    tidy(() => backward(abs(x), tensor([2, 2, 2, 2], [4], { dtype: 'float64' })));
    expect(x.grad!.toArray()).toEqual([-2, 0, 2, 0]);
    x.dispose();
  });
});

import { leakyRelu } from '../../lib/ops';
import { backward, tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { expectMmgError, unarySuite } from '../harness/op_cases';
import { leakyReluRef } from '../reference/leaky_relu';

describe('leaky_relu', () => {
  unarySuite({ op: 'leaky_relu', fn: (x) => leakyRelu(x), ref: (x) => leakyReluRef(x), backward: { kernel: 'leaky_relu_backward' } });

  describe('with slope 0.2', () => {
    unarySuite({ op: 'leaky_relu', fn: (x) => leakyRelu(x, 0.2), ref: (x) => leakyReluRef(x, 0.2), backward: { kernel: 'leaky_relu_backward', attrs: [0.2] } });
  });

  test('the gradient at exactly 0 is the slope (PyTorch)', () => {
    const x = tensor([0, 1, -1], [3], { dtype: 'float64', requiresGrad: true });
    tidy(() => backward(leakyRelu(x, 0.1), tensor([1, 1, 1], [3], { dtype: 'float64' })));
    expect(x.grad!.toArray()).toEqual([0.1, 1, 0.1]);
    x.dispose();
  });

  test('a non-finite slope is refused', () => {
    tidy(() => expectMmgError(() => leakyRelu(tensor([1], [1]), NaN), /^leaky_relu: expected a finite slope, got nan/, 'MMG_E_ARG'));
  });
});

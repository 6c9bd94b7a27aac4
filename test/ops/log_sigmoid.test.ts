import { logSigmoid } from '../../lib/ops';
import { backward, tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { unarySuite } from '../harness/op_cases';
import { logSigmoidRef } from '../reference/log_sigmoid';

describe('log_sigmoid', () => {
  unarySuite({ op: 'log_sigmoid', fn: logSigmoid, ref: logSigmoidRef, backward: { kernel: 'log_sigmoid_backward' } });

  test('is finite and accurate for very large |x| where the textbook formula overflows', () => {
    for (const dtype of ['float32', 'float64'] as const)
      tidy(() => {
        const y = logSigmoid(tensor([-1000, -100, 40, 1000], [4], { dtype })).toArray();
        expect(y[0]).toBe(-1000);
        expect(y[1]).toBe(-100);
        // ln σ(40) = −ln(1 + e^−40) ≈ −e^−40: keeps its relative precision (no 1 − σ cancellation).
        expect(Math.abs(y[2] / -Math.exp(-40) - 1)).toBeLessThan(dtype === 'float32' ? 1e-6 : 1e-14);
        expect(y[3] === 0).toBe(true);
      });
  });

  test('the gradient σ(−x) is finite and exact far out', () => {
    const x = tensor([-1000, 0, 1000], [3], { dtype: 'float64', requiresGrad: true });
    tidy(() => backward(logSigmoid(x), tensor([1, 1, 1], [3], { dtype: 'float64' })));
    expect(x.grad!.toArray()).toEqual([1, 0.5, 0]);
    x.dispose();
  });
});

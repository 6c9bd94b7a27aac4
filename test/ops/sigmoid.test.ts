import { sigmoid } from '../../lib/ops';
import { tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
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
});

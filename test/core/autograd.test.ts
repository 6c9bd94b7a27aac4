import { tensor, matmul, add, backward, noGrad, MmgError } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { Rng } from '../harness/rng';

describe('autograd tape', () => {
  const rng = new Rng(3);

  test('gradients accumulate when a tensor is used twice', () => {
    // y = sum((A·x) + (A·x)) via a ones seed: dA = 2·1·xᵀ
    const A = rng.randn([2, 3], 'float64', true);
    const x = rng.randn([3, 1], 'float64');
    tidy(() => {
      const y1 = matmul(A, x);
      const y2 = matmul(A, x);
      const s = add(y1, y2);
      backward(s, tensor([1, 1], [2, 1], { dtype: 'float64' }));
    });
    const xv = x.toArray();
    expect(A.grad!.toArray()).toEqual([2 * xv[0], 2 * xv[1], 2 * xv[2], 2 * xv[0], 2 * xv[1], 2 * xv[2]].map((v) => expect.closeTo(v, 12)));
    // Second backward accumulates into the existing .grad.
    tidy(() => backward(matmul(A, x), tensor([1, 0], [2, 1], { dtype: 'float64' })));
    expect(A.grad!.toArray()[0]).toBeCloseTo(3 * xv[0], 12);
    A.dispose();
    x.dispose();
  });

  test('a deep chain backpropagates without recursion limits', () => {
    const w = tensor([1], [1, 1], { dtype: 'float64', requiresGrad: true });
    const one = tensor([1], [1, 1], { dtype: 'float64' });
    tidy(() => {
      let y = w;
      for (let i = 0; i < 20000; i++) y = add(y, one);
      expect(y.item()).toBe(20001);
      backward(y);
    });
    expect(w.grad!.item()).toBe(1);
    w.dispose();
    one.dispose();
  });

  test('add(x, x) gives gradient 2 (the same gradient returned for two inputs)', () => {
    const x = tensor([3], [1, 1], { dtype: 'float64', requiresGrad: true });
    tidy(() => backward(add(x, x)));
    expect(x.grad!.item()).toBe(2);
    x.dispose();
  });

  test('noGrad records nothing, and backward on it is a clear error', () => {
    const x = tensor([3], [1, 1], { dtype: 'float64', requiresGrad: true });
    tidy(() => {
      const y = noGrad(() => add(x, x));
      expect(y.requiresGrad).toBe(false);
      expect(() => backward(y)).toThrow(MmgError);
      expect(() => backward(add(x, tensor([1, 2], [2, 1], { dtype: 'float64' })))).toThrow(/add: expected/);
    });
    x.dispose();
  });

  test('backward needs a scalar or an explicit seed', () => {
    const x = tensor([3, 4], [2, 1], { dtype: 'float64', requiresGrad: true });
    tidy(() => expect(() => backward(add(x, x))).toThrow(/expected a scalar loss/));
    x.dispose();
  });
});

import { frobeniusNorm } from '../../lib/ops/frobenius_norm';
import { tensor, MmgError, backward } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { gradcheck } from '../harness/gradcheck';
import { Rng } from '../harness/rng';
import { frobeniusNormRef } from '../reference/frobenius_norm';

describe('frobenius_norm', () => {
  const rng = new Rng(11);

  test('forward matches the reference in float32 and float64, incl. one row, empty and large inputs', () => {
    for (const shape of [[1, 1], [1, 64], [17, 5], [0, 4], [300, 700]]) {
      for (const dtype of ['float32', 'float64'] as const) {
        tidy(() => {
          const x = rng.randn(shape, dtype);
          const y = frobeniusNorm(x);
          expect(y.shape).toEqual([]);
          const ref = frobeniusNormRef(x.toArray());
          expect(Math.abs(y.item() - ref)).toBeLessThanOrEqual((dtype === 'float32' ? 1e-6 : 1e-13) * Math.max(ref, 1));
        });
      }
    }
  });

  test('backward matches finite differences (float64)', () => {
    const x = rng.randn([4, 3], 'float64', true);
    const r = gradcheck((a) => frobeniusNorm(a), [x]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    x.dispose();
  });

  test('the gradient at zero is zero, not NaN', () => {
    const x = tensor(new Float64Array(6), [2, 3], { requiresGrad: true });
    tidy(() => backward(frobeniusNorm(x)));
    expect(x.grad!.toArray()).toEqual([0, 0, 0, 0, 0, 0]);
    x.dispose();
  });

  test('integer input is refused with a message naming the op', () => {
    tidy(() => {
      const x = tensor([1, 2], [2], { dtype: 'int32' });
      expect(() => frobeniusNorm(x)).toThrow(MmgError);
      expect(() => frobeniusNorm(x)).toThrow(/^frobenius_norm: expected X to be float32 or float64, got int32/);
    });
  });
});

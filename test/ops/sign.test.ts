import { sign, mul } from '../../lib/ops';
import { backward, tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { expectClose } from '../harness/compare';
import { FLOAT_DTYPES, SHAPES, expectMmgError, randTensor } from '../harness/op_cases';
import { Rng } from '../harness/rng';
import { signRef } from '../reference/sign';

describe('sign', () => {
  const rng = new Rng(4242);

  test('forward matches the reference in float32 and float64: one row, empty, 1-D and multi-chunk shapes', () => {
    for (const shape of SHAPES)
      for (const dtype of FLOAT_DTYPES)
        tidy(() => {
          const x = randTensor(rng, shape, dtype);
          const y = sign(x);
          expect(y.shape).toEqual(shape);
          expect(y.dtype).toBe(dtype);
          expectClose(y, x.toArray().map(signRef), 0, `sign ${dtype} [${shape}]`);
        });
  });

  test('sign(±0) = 0, NaN stays NaN, infinities and denormal-free tiny values keep their sign', () => {
    tidy(() => {
      const got = sign(tensor([0, -0, NaN, Infinity, -Infinity, 1e-300, -1e-300, 3], [8], { dtype: 'float64' })).toArray();
      expect(got.map((v) => (Object.is(v, -0) ? 0 : v))).toEqual([0, 0, NaN, 1, -1, 1, -1, 1]);
      expect(sign(tensor([2.5], [], { dtype: 'float32' })).item()).toBe(1);
    });
  });

  test('is a constant to autograd: x ⊙ sign(x) has gradient sign(x) (the abs subgradient)', () => {
    const x = tensor([-2, 0, 0.5, 3], [4], { dtype: 'float64', requiresGrad: true });
    tidy(() => {
      const s = sign(x);
      expect(s.requiresGrad).toBe(false);
      backward(mul(x, s), tensor([1, 1, 1, 1], [4], { dtype: 'float64' }));
    });
    expect(x.grad!.toArray()).toEqual([-1, 0, 1, 1]);
    x.dispose();
  });

  test('an integer input throws an error that starts with "sign" and the process survives', () => {
    tidy(() => {
      expectMmgError(() => sign(tensor([1, 2], [2], { dtype: 'int32' })), /^sign: expected x to be float32 or float64, got int32/, 'MMG_E_DTYPE');
      expect(sign(tensor([-0.5], [1])).toArray()).toEqual([-1]);
    });
  });
});

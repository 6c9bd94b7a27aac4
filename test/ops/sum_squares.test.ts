import { sumSquares } from '../../lib/ops';
import { tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { runOp1 } from '../../lib/ops/run';
import { gradcheck } from '../harness/gradcheck';
import { expectMmgError, FLOAT_DTYPES, SHAPES } from '../harness/op_cases';
import { Rng } from '../harness/rng';
import { sumSquaresRef } from '../reference/sum_squares';

describe('sum_squares', () => {
  const rng = new Rng(61);

  test('forward matches the reference (no ½ factor) for one row, empty, 1-D and large inputs, float32 and float64', () => {
    for (const shape of [...SHAPES, [200000]])
      for (const dtype of FLOAT_DTYPES)
        tidy(() => {
          const x = rng.randn(shape, dtype);
          const y = sumSquares(x);
          expect(y.shape).toEqual([]);
          const ref = sumSquaresRef(x.toArray());
          expect(Math.abs(y.item() - ref)).toBeLessThanOrEqual((dtype === 'float32' ? 1e-6 : 1e-13) * Math.max(ref, 1));
        });
    tidy(() => expect(sumSquares(tensor([3, 4], [2])).item()).toBe(25));
  });

  test('backward is 2·g·x and matches finite differences (float64)', () => {
    const x = rng.randn([5, 3], 'float64', true);
    const r = gradcheck((a) => sumSquares(a), [x]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    x.dispose();
  });

  test('errors start with the op name', () => {
    tidy(() => {
      expectMmgError(() => sumSquares(tensor([1], [1], { dtype: 'int32' })), /^sum_squares: expected x to be float32 or float64/, 'MMG_E_DTYPE');
      expectMmgError(() => runOp1('sum_squares_backward', [rng.randn([2]), rng.randn([2])]), /^sum_squares_backward: expected a scalar g, got \[2\]/, 'MMG_E_SHAPE');
    });
  });
});

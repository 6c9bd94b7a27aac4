import { rowNorm } from '../../lib/ops';
import { backward, tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { runOp1 } from '../../lib/ops/run';
import { expectClose } from '../harness/compare';
import { gradcheck } from '../harness/gradcheck';
import { expectMmgError, FLOAT_DTYPES, SHAPES, tolFor } from '../harness/op_cases';
import { Rng } from '../harness/rng';
import { rowNormRef } from '../reference/row_norm';

describe('row_norm', () => {
  const rng = new Rng(81);

  test('forward matches the reference: one row, empty, 1-D (→ scalar) and multi-chunk shapes, float32 and float64', () => {
    for (const shape of [...SHAPES, [3, 0], [2, 3, 4]])
      for (const dtype of FLOAT_DTYPES)
        tidy(() => {
          const x = rng.randn(shape, dtype);
          const y = rowNorm(x);
          expect(y.shape).toEqual(shape.slice(0, -1));
          const cols = shape[shape.length - 1];
          const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
          expectClose(y, rowNormRef(x.toArray(), rows, cols), tolFor(dtype), `row_norm [${shape}]`);
        });
  });

  test('backward matches finite differences (float64); a zero row gets a zero gradient, not NaN', () => {
    const x = rng.randn([4, 3], 'float64', true);
    const r = gradcheck((a) => rowNorm(a), [x]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    x.dispose();
    const z = tensor([0, 0, 3, 4], [2, 2], { dtype: 'float64', requiresGrad: true });
    tidy(() => backward(rowNorm(z), tensor([1, 1], [2], { dtype: 'float64' })));
    expectClose(z.grad!, [0, 0, 0.6, 0.8], 1e-15);
    z.dispose();
  });

  test('errors start with the op name', () => {
    tidy(() => {
      expectMmgError(() => rowNorm(tensor([1], [])), /^row_norm: expected x to have at least 1 dimension, got shape \[\]/, 'MMG_E_SHAPE');
      expectMmgError(() => rowNorm(tensor([1], [1], { dtype: 'int32' })), /^row_norm: expected x to be float32 or float64/, 'MMG_E_DTYPE');
      const x = rng.randn([2, 3]);
      expectMmgError(() => runOp1('row_norm_backward', [x, rng.randn([3]), rng.randn([3])]), /^row_norm_backward: expected y and g with one entry per row/, 'MMG_E_SHAPE');
    });
  });
});

import { rowSoftmax } from '../../lib/ops';
import { tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { runOp1 } from '../../lib/ops/run';
import { expectClose } from '../harness/compare';
import { gradcheck } from '../harness/gradcheck';
import { expectMmgError, FLOAT_DTYPES, SHAPES, tolFor } from '../harness/op_cases';
import { Rng } from '../harness/rng';
import { rowSoftmaxRef } from '../reference/row_softmax';

describe('row_softmax', () => {
  const rng = new Rng(101);

  test('forward matches the reference: one row, empty, 1-D and multi-chunk shapes, float32 and float64', () => {
    for (const shape of [...SHAPES, [2, 3, 4]])
      for (const dtype of FLOAT_DTYPES)
        tidy(() => {
          const x = rng.randn(shape, dtype);
          const y = rowSoftmax(x);
          expect(y.shape).toEqual(shape);
          expectClose(y, rowSoftmaxRef(x.toArray(), x.rows, x.cols), tolFor(dtype), `row_softmax [${shape}]`);
        });
  });

  test('stable for huge logits (max subtraction) and rows sum to 1', () => {
    for (const dtype of FLOAT_DTYPES)
      tidy(() => {
        const y = rowSoftmax(tensor([1000, 1000, -1000, 5e30, 0, -5e30], [2, 3], { dtype })).toArray();
        expectClose(y, [0.5, 0.5, 0, 1, 0, 0], 1e-7);
      });
  });

  test('backward matches finite differences (float64)', () => {
    const x = rng.randn([4, 5], 'float64', true);
    const r = gradcheck((a) => rowSoftmax(a), [x]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    x.dispose();
  });

  test('errors start with the op name', () => {
    tidy(() => {
      expectMmgError(() => rowSoftmax(tensor([1], [])), /^row_softmax: expected x to have at least 1 dimension/, 'MMG_E_SHAPE');
      expectMmgError(() => rowSoftmax(tensor([1], [1], { dtype: 'int64' })), /^row_softmax: expected x to be float32 or float64/, 'MMG_E_DTYPE');
      expectMmgError(() => runOp1('row_softmax_backward', [rng.randn([2, 3]), rng.randn([6])]), /^row_softmax_backward: expected y and g to have the same shape/, 'MMG_E_SHAPE');
    });
  });
});

import { rowNormalize } from '../../lib/ops';
import { backward, tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { runOp1 } from '../../lib/ops/run';
import { expectClose } from '../harness/compare';
import { gradcheck } from '../harness/gradcheck';
import { expectMmgError, FLOAT_DTYPES, SHAPES, tolFor } from '../harness/op_cases';
import { Rng } from '../harness/rng';
import { rowNormalizeRef } from '../reference/row_normalize';

describe('row_normalize', () => {
  const rng = new Rng(91);

  test('forward matches the reference: one row, empty, 1-D and multi-chunk shapes, float32 and float64', () => {
    for (const shape of SHAPES)
      for (const dtype of FLOAT_DTYPES)
        tidy(() => {
          const x = rng.randn(shape, dtype);
          const y = rowNormalize(x);
          expect(y.shape).toEqual(shape);
          const cols = shape[shape.length - 1];
          expectClose(y, rowNormalizeRef(x.toArray(), x.rows, cols), tolFor(dtype), `row_normalize [${shape}]`);
        });
  });

  test('backward matches finite differences (float64), with rows above and below eps', () => {
    // eps = 0.5: rows 0 and 2 are shorter than eps (y = x/eps, dx = g/eps), row 1 is not.
    const x = tensor([0.1, -0.2, 0.05, 1.5, -0.7, 2.0, 0.01, 0.3, -0.1], [3, 3], { dtype: 'float64', requiresGrad: true });
    for (const eps of [0.5, 1e-12]) {
      const r = gradcheck((a) => rowNormalize(a, eps), [x]);
      expect(r.ok ? 'ok' : r).toBe('ok');
    }
    const y = rng.randn([5, 4], 'float64', true);
    const r = gradcheck((a) => rowNormalize(a), [y]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    [x, y].forEach((t) => t.dispose());
  });

  test('torch F.normalize semantics below eps: y = x/eps and dx = g/eps; a zero row gives y = 0, dx = g/eps', () => {
    const x = tensor([0.3, 0.4, 0, 0], [2, 2], { dtype: 'float64', requiresGrad: true });
    const g = tensor([1, -2, 3, 4], [2, 2], { dtype: 'float64' });
    tidy(() => {
      const y = rowNormalize(x, 1);
      expectClose(y, [0.3, 0.4, 0, 0], 1e-15);
      backward(y, g);
    });
    expectClose(x.grad!, [1, -2, 3, 4], 1e-15);
    x.grad!.dispose();
    x.grad = null;
    tidy(() => backward(rowNormalize(x), g));
    expectClose(x.grad!.toArray().slice(2), [3e12, 4e12], 1e-15);
    [x, g].forEach((t) => t.dispose());
  });

  test('errors start with the op name', () => {
    tidy(() => {
      expectMmgError(() => rowNormalize(tensor([1], [])), /^row_normalize: expected x to have at least 1 dimension/, 'MMG_E_SHAPE');
      expectMmgError(() => rowNormalize(tensor([1], [1]), -1), /^row_normalize: expected a finite eps >= 0, got -1/, 'MMG_E_ARG');
      expectMmgError(() => runOp1('row_normalize_backward', [rng.randn([2, 3]), rng.randn([3, 2])]), /^row_normalize_backward: expected x and g to have the same shape/, 'MMG_E_SHAPE');
    });
  });
});

import { mean } from '../../lib/ops';
import { tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { runOp1 } from '../../lib/ops/run';
import { expectClose } from '../harness/compare';
import { gradcheck } from '../harness/gradcheck';
import { expectMmgError, FLOAT_DTYPES, tolFor } from '../harness/op_cases';
import { Rng } from '../harness/rng';
import { meanRef } from '../reference/mean';

const SHAPES: number[][] = [[1, 1], [1, 9], [9, 1], [17, 5], [300, 230], [70000, 3]];
const AXES = [undefined, 0, 1] as const;

describe('mean', () => {
  const rng = new Rng(51);

  test.each(SHAPES)('forward matches the reference over every axis for [%i, %i], float32 and float64', (m, n) => {
    for (const dtype of FLOAT_DTYPES)
      for (const axis of AXES)
        tidy(() => {
          const x = rng.randn([m, n], dtype);
          const y = mean(x, axis);
          expect(y.shape).toEqual(axis === undefined ? [] : axis === 0 ? [n] : [m]);
          expectClose(y, meanRef(x.toArray(), m, n, axis), tolFor(dtype, 1e-6, 1e-11), `mean axis ${axis}`);
        });
  });

  test('empty inputs: the mean of nothing is NaN (numpy, PyTorch), and empty outputs stay empty', () => {
    tidy(() => {
      const x = tensor([], [0, 4], { dtype: 'float64' });
      expect(mean(x).item()).toBeNaN();
      expect(mean(x, 0).toArray().every(Number.isNaN)).toBe(true);
      expect(mean(x, 1).shape).toEqual([0]);
    });
  });

  test.each(AXES)('backward matches finite differences (float64), axis %s', (axis) => {
    const x = rng.randn([4, 3], 'float64', true);
    const r = gradcheck((a) => mean(a, axis), [x]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    x.dispose();
  });

  test('bad ranks, axes and mismatched backward shapes throw MmgErrors naming the op', () => {
    tidy(() => {
      expectMmgError(() => mean(rng.randn([2, 3, 4]), 1), /^mean: expected a 2-D x for axis 1, got shape \[2, 3, 4\]/, 'MMG_E_SHAPE');
      expectMmgError(() => mean(rng.randn([2, 3]), -3 as 0), /^mean: expected axis 0, 1 or -1/, 'MMG_E_ARG');
      expectMmgError(() => runOp1('mean_backward', [rng.randn([2]), rng.randn([2, 3])], [0]), /^mean_backward: expected g of shape \[3\] for x \[2, 3\], got \[2\]/, 'MMG_E_SHAPE');
    });
  });
});
